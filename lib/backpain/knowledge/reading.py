"""Read the files a person edits (CSV tables, cases.yaml) and say plainly what is wrong with them.

A spreadsheet program can save a table in many ways that pandas or YAML would only answer with a
traceback: the wrong encoding, semicolons for commas, a ragged row, an unbalanced quote, or Chinese
silently replaced by '?' (Excel's "CSV (Comma delimited)" on a non-Chinese Windows). Every such case
becomes one Problem naming the file, the line where known, and the fix.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import yaml

from .errors import DataError, Problem

SAVE_AS = "save it again as 'CSV UTF-8 (comma delimited)'"
CJK = re.compile(r"[\u3400-\u9fff]")
LOST = re.compile(r"^[\s?？.,;:()/\-\d]*\?[\s?？.,;:()/\-\d]*$")  # nothing left but question marks


def decode(raw: bytes, file: str, fix: str = SAVE_AS) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a byte-order mark is dropped), or a Problem that names the encoding it looks like."""
    if not raw.strip():
        return None, [Problem(file, None, None, "the file is empty: restore it (git checkout) or add its header line")]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:200].count(b"\x00") > 10:
        return None, [Problem(file, None, None, f"the file is saved as UTF-16 ('Unicode text'); {fix}")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        from charset_normalizer import from_bytes

        guess = from_bytes(raw).best()
        named = f" (it looks like {guess.encoding})" if guess else ""
        return None, [Problem(file, line, None, f"the file is not UTF-8{named}; {fix}")]


def read_csv(path: Path, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Every cell as text, empty cells as missing; or the problems that stop the file being read."""
    text, problems = decode(Path(path).read_bytes(), file)
    if text is None:
        return None, problems
    header = text.split("\n", 1)[0]
    if "," not in header and (";" in header or "\t" in header):
        sep = "semicolons" if ";" in header else "tabs"
        return None, [Problem(file, 1, None, f"columns are separated by {sep}, not commas; {SAVE_AS}")]
    width, reader = None, csv.reader(io.StringIO(text), strict=True)
    try:
        for row in reader:
            if width is None:
                width = len(row)
            elif row and len(row) != width:
                return None, [
                    Problem(
                        file,
                        reader.line_num,
                        None,
                        f"this line has {len(row)} fields where the header has "
                        f"{width} (a comma inside a value needs the value in double quotes)",
                    )
                ]
    except csv.Error as error:
        return None, [
            Problem(
                file, reader.line_num, None, f"cannot be read as CSV ({error}); look for an unbalanced double quote"
            )
        ]
    try:
        frame = pd.read_csv(io.StringIO(text), dtype="string", keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, csv.Error) as error:
        return None, [
            Problem(
                file,
                None,
                None,
                f"cannot be read as CSV ({str(error).splitlines()[0]}); look for an unbalanced double quote",
            )
        ]
    return frame, lost_chinese(frame, file)


def lost_chinese(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Chinese columns whose text has become question marks (saved in a non-Unicode encoding)."""
    problems = []
    for column in [c for c in frame.columns if c.endswith("_zh")]:
        values = frame[column].dropna()
        lost = values[values.str.match(LOST.pattern) & ~values.str.contains(CJK.pattern)]
        if len(lost):
            first = int(lost.index[0]) + 2
            problems.append(
                Problem(
                    file,
                    first,
                    column,
                    f"{len(lost)} of {len(values)} Chinese values are only question "
                    f"marks: the file was saved in an encoding without Chinese; restore it and {SAVE_AS}",
                )
            )
    return problems


class StrictLoader(yaml.SafeLoader):
    """safe_load that also refuses anchors and aliases (a few bytes can expand to gigabytes) and duplicate keys."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed; write the value out", problem_mark=event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"the key {key!r} appears twice in one entry", problem_mark=key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(raw: bytes, file: str):
    """The YAML document, or the problem that stops it being read (encoding, syntax, alias, duplicate key)."""
    text, problems = decode(raw, file, fix="save it again as UTF-8")
    if text is None:
        return None, problems
    try:
        return yaml.load(text, Loader=StrictLoader), []
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        return None, [Problem(file, line, None, f"not valid YAML: {error.problem}")]
    except (yaml.YAMLError, RecursionError) as error:
        return None, [Problem(file, None, None, f"not valid YAML: {type(error).__name__}")]


def read_table(path: Path) -> pd.DataFrame:
    """Every cell as text, empty cells as missing; the schema does the typing. DataError if unreadable."""
    frame, problems = read_csv(path, Path(path).name)
    if frame is None:
        raise DataError(problems)
    return frame
