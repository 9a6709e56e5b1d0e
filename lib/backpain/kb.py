"""Load data/ into one validated, read-only KnowledgeBase.

Everything the workbook knows comes through `load()`: the CSV files are read, checked column by
column (pandera) and across tables (integrity.py), and the corpus checksums verified. Whatever is
wrong is reported together, naming file, row and column, so an instructor who edits a table learns
exactly what to fix. Frames handed out are copies: a notebook cannot change the shared knowledge.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import integrity
from .errors import DataError, Problem, csv_row
from .reading import read_csv
from .schema import BOOLEAN_COLUMNS, SCHEMAS

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"

FILES = {
    "sources": "sources/sources.csv",
    "segments": "segments.csv",
    "taxonomy": "taxonomy.csv",
    "lexicon": "lexicon.csv",
    "mentions": "mentions.csv",
    "references": "references.csv",
    "findings": "findings.csv",
    "cause_findings": "cause_findings.csv",
    "base_rates": "base_rates.csv",
    "red_flags": "red_flags.csv",
    "body_regions": "body_regions.csv",
    "organ_segments": "organ_segments.csv",
    "lab_presets": "lab_presets.csv",
    "treatments": "treatments.csv",
    "treatment_mentions": "treatment_mentions.csv",
    "rubric_items": "quality/rubric_items.csv",
    "ratings": "quality/ratings.csv",
    "benchmarks": "quality/published_benchmarks.csv",
    "conclusions": "quality/conclusions.csv",
}


def data_dir() -> Path:
    """The data folder: $BACKPAIN_DATA if set (e.g. an instructor's edited copy), else the repository's."""
    return Path(os.environ.get("BACKPAIN_DATA", DEFAULT_DATA_DIR)).resolve()


def read_table(path: Path) -> pd.DataFrame:
    """Every cell as text, empty cells as missing; the schema does the typing. DataError if unreadable."""
    frame, problems = read_csv(path, Path(path).name)
    if frame is None:
        raise DataError(problems)
    return frame


def _schema_problems(file: str, error: pa.errors.SchemaErrors, frame: pd.DataFrame | None = None) -> list[Problem]:
    problems = []
    for case in error.failure_cases.itertuples(index=False):
        column = None if pd.isna(case.column) else str(case.column)
        row = None if pd.isna(case.index) else csv_row(case.index)
        check = str(case.check)
        written = (frame[column].iat[int(case.index)] if frame is not None and column in frame and pd.notna(case.index)
                   else None)
        if check == "column_in_dataframe":
            problems.append(Problem(file, None, str(case.failure_case), "required column is missing"))
        elif check == "column_in_schema":
            problems.append(Problem(file, None, str(case.failure_case), "unexpected column (not in the schema, see data/README.md)"))
        elif check.startswith("not_nullable") and isinstance(written, str) and written.strip():
            problems.append(Problem(file, row, column, f"{written!r} is not a number"))
        elif check.startswith("not_nullable"):
            problems.append(Problem(file, row, column, "must not be empty"))
        elif check.startswith("coerce_dtype"):
            kind = "a whole number" if "int" in check.lower() else "a number"
            problems.append(Problem(file, row, column, f"{str(case.failure_case)!r} is not {kind}"))
        elif check.startswith("field_uniqueness") or check.startswith("multiple_fields_uniqueness"):
            problems.append(Problem(file, row, column, f"duplicate value {case.failure_case!r}"))
        elif check.startswith("must "):  # a check written in the words of the person editing the file
            problems.append(Problem(file, row, column, f"{case.failure_case!r} {check}"))
        else:
            problems.append(Problem(file, row, column, f"value {case.failure_case!r} fails {check}"))
    return problems


def validate_table(name: str, frame: pd.DataFrame, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        table = SCHEMAS[name].validate(frame, lazy=True)
        for column in BOOLEAN_COLUMNS.get(name, []):
            table[column] = table[column] == "true"
        return table, []
    except pa.errors.SchemaErrors as error:
        return None, _schema_problems(file, error, frame)


@dataclass(frozen=True)
class KnowledgeBase:
    """The validated tables and the verbatim corpus. Attributes return copies; the originals never change."""

    path: Path
    _tables: dict = field(repr=False)
    _texts: dict = field(repr=False)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = object.__getattribute__(self, "_tables")
        if name in tables:
            return tables[name].copy(deep=False)  # copy-on-write: edits stay local to the caller
        raise AttributeError(name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._tables))

    # --- the corpus -------------------------------------------------------------------------
    @property
    def source_ids(self) -> list[str]:
        return list(self._tables["sources"].source_id)

    def text(self, source_id: str) -> str:
        """The verbatim text of a source (Python str; all offsets in data/ index into it)."""
        try:
            return self._texts[source_id]
        except KeyError:
            raise KeyError(f"unknown source_id {source_id!r}; known: {', '.join(self._texts)}") from None

    def segment_text(self, source_id: str, index: int) -> str:
        """Text of the index-th segment (0-based, in page order) of a source."""
        seg = self.segments_of(source_id).iloc[index]
        return self.text(source_id)[seg.start:seg.end]

    def segments_of(self, source_id: str) -> pd.DataFrame:
        seg = self._tables["segments"]
        return seg[seg.source_id == source_id].sort_values("start").reset_index(drop=True)

    # --- causes -----------------------------------------------------------------------------
    @property
    def causes(self) -> pd.DataFrame:
        """Leaf rows of the taxonomy (level == 'cause'), indexed by cause_id."""
        tax = self._tables["taxonomy"]
        return tax[tax.level == "cause"].set_index("cause_id")

    def cause(self, cause_id: str) -> pd.Series:
        tax = self._tables["taxonomy"].set_index("cause_id")
        if cause_id not in tax.index:
            raise KeyError(f"unknown cause_id {cause_id!r}")
        return tax.loc[cause_id]

    def mentions_of(self, cause_id: str) -> pd.DataFrame:
        """Every recorded place where a source names this cause, with the exact quote."""
        self.cause(cause_id)
        men = self._tables["mentions"]
        return men[men.cause_id == cause_id].sort_values(["source_id", "start"]).reset_index(drop=True)

    # --- reasoning ----------------------------------------------------------------------------
    @functools.cached_property
    def engine(self):
        """The differential engine built from findings, links, base rates and red flags (built once)."""
        from .reasoning import Engine

        t = self._tables
        return Engine.from_tables(t["taxonomy"], t["findings"], t["cause_findings"], t["base_rates"], t["red_flags"])

    def differential(self, present=(), absent=()):
        """Rank the causes for the findings present and absent (ids from findings.csv). See reasoning.py."""
        return self.engine.differential(present, absent)

    def tree(self) -> pd.DataFrame:
        """The taxonomy with each row's depth and root-to-node path (for sunbursts and indented tables)."""
        from .taxonomy import with_paths

        return with_paths(self._tables["taxonomy"])


def read_sources(path: Path, sources: pd.DataFrame) -> tuple[dict, dict]:
    raw, texts = {}, {}
    for row in sources.itertuples():
        file = path / "sources" / row.file
        if file.is_file():
            raw[row.source_id] = file.read_bytes()
            texts[row.source_id] = raw[row.source_id].decode("utf-8")
    return raw, texts


def build(path: Path) -> KnowledgeBase:
    """Read and validate everything under `path`; raise DataError listing every problem."""
    path = Path(path)
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for name, file in FILES.items():
        if not (path / file).is_file():
            problems.append(Problem(file, None, None, "file is missing"))
            continue
        frame, found = read_csv(path / file, file)
        problems += found
        if frame is None:
            continue
        table, found = validate_table(name, frame, file)
        problems += found
        if table is not None:
            tables[name] = table
    if problems:  # cross-table rules need every table in shape first
        raise DataError(problems)
    raw, texts = read_sources(path, tables["sources"])
    problems = integrity.problems(tables, texts, raw)
    if problems:
        raise DataError(problems)
    return KnowledgeBase(path, tables, texts)


@functools.lru_cache(maxsize=4)
def _cached(path: Path) -> KnowledgeBase:
    return build(path)


def load(path: str | Path | None = None) -> KnowledgeBase:
    """The validated knowledge base (cached: loading twice costs nothing)."""
    return _cached(Path(path).resolve() if path else data_dir())
