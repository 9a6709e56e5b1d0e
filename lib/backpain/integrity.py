"""Rules that span tables or reach into the corpus: ids that must exist, offsets that must fit.

Each check is a small function returning a list of Problems, so a broken edit reports everything
that is wrong at once, each with the file, row and column a person has to open.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from .errors import Problem, csv_row

Tables = Mapping[str, pd.DataFrame]
Texts = Mapping[str, str]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unknown_ids(table: pd.DataFrame, file: str, column: str, known: Iterable, what: str) -> list[Problem]:
    """Rows whose `column` names something not in `known` (empty cells are skipped)."""
    known = set(known)
    return [
        Problem(file, csv_row(i), column, f"unknown {what} '{value}'")
        for i, value in table[column].items()
        if pd.notna(value) and value not in known
    ]


def checksums(sources: pd.DataFrame, raw: Mapping[str, bytes]) -> list[Problem]:
    problems = []
    for i, row in sources.iterrows():
        data = raw.get(row.source_id)
        if data is None:
            problems.append(Problem("sources/sources.csv", csv_row(i), "file", f"file '{row.file}' not found"))
        elif sha256_of(data) != row.sha256:
            problems.append(Problem(
                "sources/sources.csv", csv_row(i), "sha256",
                f"checksum mismatch for '{row.file}': the page was changed (expected {row.sha256[:12]}…, "
                f"found {sha256_of(data)[:12]}…); sources must stay byte-for-byte verbatim",
            ))
    return problems


def spans(table: pd.DataFrame, file: str, texts: Texts) -> list[Problem]:
    """start < end <= len(text) for every row of a table with source_id, start, end."""
    problems = []
    for i, row in table.iterrows():
        text = texts.get(row.source_id)
        if text is None:
            continue  # reported as an unknown source_id
        if not row.start < row.end:
            problems.append(Problem(file, csv_row(i), "end", f"end {row.end} must be greater than start {row.start}"))
        elif row.end > len(text):
            problems.append(Problem(
                file, csv_row(i), "end",
                f"offset {row.end} is past the end of source '{row.source_id}' ({len(text)} characters)",
            ))
    return problems


def quotes_match(mentions: pd.DataFrame, texts: Texts, file: str = "mentions.csv") -> list[Problem]:
    problems = []
    for i, row in mentions.iterrows():
        text = texts.get(row.source_id)
        if text is None or row.end > len(text):
            continue
        found = text[row.start:row.end]
        if found != row.quote:
            problems.append(Problem(
                file, csv_row(i), "quote",
                f"text[{row.start}:{row.end}] of '{row.source_id}' is {found!r}, not {row.quote!r}",
            ))
    return problems


def partitions(segments: pd.DataFrame, texts: Texts) -> list[Problem]:
    """The segments of each source cover it exactly: from 0 to len(text), no gap, no overlap."""
    problems = []
    for source_id, text in texts.items():
        rows = segments[segments.source_id == source_id].sort_values("start")
        if rows.empty:
            problems.append(Problem("segments.csv", None, "source_id", f"source '{source_id}' has no segments"))
            continue
        expected = 0
        for i, row in rows.iterrows():
            if row.start > expected:
                problems.append(Problem("segments.csv", csv_row(i), "start", f"gap: characters {expected}–{row.start} of '{source_id}' belong to no segment"))
            elif row.start < expected:
                problems.append(Problem("segments.csv", csv_row(i), "start", f"overlap: segment starts at {row.start} but the previous one ends at {expected}"))
            expected = max(expected, row.end)
        if expected != len(text):
            problems.append(Problem("segments.csv", None, "end", f"segments of '{source_id}' end at {expected}, the text has {len(text)} characters"))
    return problems


def tree(taxonomy: pd.DataFrame) -> list[Problem]:
    """Parents exist and are categories; every cause has a parent; no cycles."""
    problems = unknown_ids(taxonomy, "taxonomy.csv", "parent_id", taxonomy.cause_id, "parent_id")
    level = dict(zip(taxonomy.cause_id, taxonomy.level))
    parent = dict(zip(taxonomy.cause_id, taxonomy.parent_id))
    for i, row in taxonomy.iterrows():
        if pd.isna(row.parent_id):
            if row.level == "cause":
                problems.append(Problem("taxonomy.csv", csv_row(i), "parent_id", f"cause '{row.cause_id}' needs a parent category"))
            continue
        if level.get(row.parent_id) == "cause":
            problems.append(Problem("taxonomy.csv", csv_row(i), "parent_id", f"parent '{row.parent_id}' is a cause, not a category"))
        seen, node = set(), row.cause_id
        while pd.notna(node) and node in parent:
            if node in seen:
                problems.append(Problem("taxonomy.csv", csv_row(i), "parent_id", f"cycle through '{row.cause_id}'"))
                break
            seen.add(node)
            node = parent[node]
    return problems


Rule = Callable[[Tables, Texts, Mapping[str, bytes]], list[Problem]]


def _causes(t: Tables) -> set:
    tax = t["taxonomy"]
    return set(tax.cause_id[tax.level == "cause"])


RULES: list[Rule] = [
    lambda t, x, raw: checksums(t["sources"], raw),
    lambda t, x, raw: unknown_ids(t["segments"], "segments.csv", "source_id", x, "source_id"),
    lambda t, x, raw: spans(t["segments"], "segments.csv", x),
    lambda t, x, raw: partitions(t["segments"], x),
    lambda t, x, raw: tree(t["taxonomy"]),
    lambda t, x, raw: unknown_ids(t["lexicon"], "lexicon.csv", "cause_id", t["taxonomy"].cause_id, "cause_id"),
    lambda t, x, raw: unknown_ids(t["mentions"], "mentions.csv", "source_id", x, "source_id"),
    lambda t, x, raw: unknown_ids(t["mentions"], "mentions.csv", "cause_id", _causes(t), "cause_id"),
    lambda t, x, raw: spans(t["mentions"], "mentions.csv", x),
    lambda t, x, raw: quotes_match(t["mentions"], x),
]


def problems(tables: Tables, texts: Texts, raw: Mapping[str, bytes], rules: list[Rule] = RULES) -> list[Problem]:
    found: list[Problem] = []
    for rule in rules:
        found.extend(rule(tables, texts, raw))
    return found
