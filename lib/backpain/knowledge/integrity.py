"""Rules that span tables or reach into the corpus: ids that must exist, offsets that must fit.

Foreign keys (a column naming a row of another table) are declared as data in tables.py and all
checked by `foreign_keys`; the named functions below are the rules that are not foreign keys. Each
returns a list of Problems, so a broken edit reports everything that is wrong at once, each with the
file, row and column a person has to open.

Root causes first: a page file that is missing or changed is reported once, in sources/sources.csv,
and its offsets and quotes are not checked (they would all fail with it, or all be meaningless);
source_id columns are checked against sources.csv, not against the pages that happened to load.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from .errors import Problem, csv_row
from .tables import FOREIGN_KEYS, TABLES, TARGETS, ForeignKey

Tables = Mapping[str, pd.DataFrame]
Texts = Mapping[str, str]
SOURCES = TABLES["sources"].file


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Pages:
    """The corpus as found on disk: the bytes of every page file that exists, and the text of the pages
    that match their checksum (the only ones offsets and quotes can be checked against)."""

    raw: Mapping[str, bytes]
    texts: Texts

    @classmethod
    def verified(cls, sources: pd.DataFrame, texts: Texts, raw: Mapping[str, bytes]) -> Pages:
        expected = dict(zip(sources.source_id, sources.sha256))
        ok = {s: text for s, text in texts.items() if s in raw and sha256_of(raw[s]) == expected.get(s)}
        return cls(raw, ok)


# --- foreign keys -------------------------------------------------------------------------------------
def split_ids(cell: str, many: bool) -> list[str]:
    """The ids in one cell: a single id, or a list separated by ';' (and '|' inside a trigger group)."""
    return re.split(r"[;|]", cell) if many else [cell]


def foreign_key(t: Tables, fk: ForeignKey) -> list[Problem]:
    """Rows whose `fk.column` names something that is not a `fk.target` (empty cells are skipped)."""
    target = TARGETS[fk.target]
    key, rows = TABLES[target.table].key, t[target.table]
    known = allowed = set(rows[key])
    if target.where is not None:  # e.g. a cause: a taxonomy row whose level is 'cause'
        column, wanted = target.where
        allowed = set(rows[key][rows[column] == wanted])
    file, target_file = TABLES[fk.table].file, TABLES[target.table].file
    problems = []
    for i, cell in t[fk.table][fk.column].dropna().items():
        for item in split_ids(cell, fk.many):
            if item in allowed:
                continue
            if item in known:
                actual = rows[column][rows[key] == item].iloc[0]
                reason = f"'{item}' in {target_file} has {column} '{actual}', not '{wanted}'"
            else:
                reason = f"unknown {key} '{item}' (not in {target_file})"
            problems.append(Problem(file, csv_row(i), fk.column, reason))
    return problems


def foreign_keys(t: Tables, pages: Pages | None = None, keys: Iterable[ForeignKey] = FOREIGN_KEYS) -> list[Problem]:
    """Every foreign key declared in tables.FOREIGN_KEYS."""
    return [problem for fk in keys for problem in foreign_key(t, fk)]


# --- the corpus ---------------------------------------------------------------------------------------
def checksums(t: Tables, pages: Pages) -> list[Problem]:
    """Every page of sources.csv is on disk, byte for byte as it was curated. Each is a root cause."""
    problems = []
    for i, row in zip(t["sources"].index, t["sources"].itertuples(index=False)):
        data = pages.raw.get(row.source_id)
        if data is None:
            reason = (
                f"the page file 'sources/{row.file}' is missing: restore it (git checkout), or remove this row "
                f"and every row that names '{row.source_id}'"
            )
            problems.append(Problem(SOURCES, csv_row(i), "file", reason, whole_file=True))
        elif sha256_of(data) != row.sha256:
            reason = (
                f"checksum mismatch for '{row.file}': the page was changed (expected {row.sha256[:12]}…, "
                f"found {sha256_of(data)[:12]}…); sources must stay byte-for-byte verbatim, so its offsets "
                "and quotes are checked again only once it is restored"
            )
            problems.append(Problem(SOURCES, csv_row(i), "sha256", reason, whole_file=True))
    return problems


def _spans(table: pd.DataFrame, file: str, texts: Texts) -> list[Problem]:
    """start < end <= len(text) for every row of a table with source_id, start, end."""
    problems = []
    for i, row in zip(table.index, table.itertuples(index=False)):
        text = texts.get(row.source_id)
        if text is None:
            continue  # an unknown source_id, or a page missing or changed: each reported once elsewhere
        if not row.start < row.end:
            problems.append(Problem(file, csv_row(i), "end", f"end {row.end} must be greater than start {row.start}"))
        elif row.end > len(text):
            problems.append(
                Problem(
                    file,
                    csv_row(i),
                    "end",
                    f"offset {row.end} is past the end of source '{row.source_id}' ({len(text)} characters)",
                )
            )
    return problems


SPANNED = ("segments", "mentions", "treatment_mentions")  # tables with source_id, start, end
QUOTED = ("mentions", "treatment_mentions")  # ... and a quote that is text[start:end]


def spans(t: Tables, pages: Pages) -> list[Problem]:
    return [p for name in SPANNED for p in _spans(t[name], TABLES[name].file, pages.texts)]


def quotes(t: Tables, pages: Pages) -> list[Problem]:
    problems = []
    for name in QUOTED:
        for i, row in zip(t[name].index, t[name].itertuples(index=False)):
            text = pages.texts.get(row.source_id)
            if text is None or row.end > len(text):
                continue
            found = text[row.start : row.end]
            if found != row.quote:
                problems.append(
                    Problem(
                        TABLES[name].file,
                        csv_row(i),
                        "quote",
                        f"text[{row.start}:{row.end}] of '{row.source_id}' is {found!r}, not {row.quote!r}",
                    )
                )
    return problems


def partitions(t: Tables, pages: Pages) -> list[Problem]:
    """The segments of each source cover it exactly: from 0 to len(text), no gap, no overlap."""
    segments, file, problems = t["segments"], TABLES["segments"].file, []
    for source_id, text in pages.texts.items():
        rows = segments[segments.source_id == source_id].sort_values("start")
        if rows.empty:
            problems.append(Problem(file, None, "source_id", f"source '{source_id}' has no segments"))
            continue
        expected = 0
        for i, row in zip(rows.index, rows.itertuples(index=False)):
            if row.start > expected:
                problems.append(
                    Problem(
                        file,
                        csv_row(i),
                        "start",
                        f"gap: characters {expected}–{row.start} of '{source_id}' belong to no segment",
                    )
                )
            elif row.start < expected:
                problems.append(
                    Problem(
                        file,
                        csv_row(i),
                        "start",
                        f"overlap: segment starts at {row.start} but the previous one ends at {expected}",
                    )
                )
            expected = max(expected, row.end)
        if expected != len(text):
            problems.append(
                Problem(
                    file,
                    None,
                    "end",
                    f"segments of '{source_id}' end at {expected}, the text has {len(text)} characters",
                )
            )
    return problems


# --- the taxonomy -------------------------------------------------------------------------------------
def tree(t: Tables, pages: Pages | None = None) -> list[Problem]:
    """Parents are categories; every cause has a parent; no cycles. (That a parent exists is a foreign key.)"""
    taxonomy, file, problems = t["taxonomy"], TABLES["taxonomy"].file, []
    level = dict(zip(taxonomy.cause_id, taxonomy.level))
    parent = dict(zip(taxonomy.cause_id, taxonomy.parent_id))
    for i, row in zip(taxonomy.index, taxonomy.itertuples(index=False)):
        if pd.isna(row.parent_id):
            if row.level == "cause":
                problems.append(
                    Problem(file, csv_row(i), "parent_id", f"cause '{row.cause_id}' needs a parent category")
                )
            continue
        if level.get(row.parent_id) == "cause":
            problems.append(
                Problem(file, csv_row(i), "parent_id", f"parent '{row.parent_id}' is a cause, not a category")
            )
        seen, node = set(), row.cause_id
        while pd.notna(node) and node in parent:
            if node in seen:
                problems.append(Problem(file, csv_row(i), "parent_id", f"cycle through '{row.cause_id}'"))
                break
            seen.add(node)
            node = parent[node]
    return problems


def roles(t: Tables, pages: Pages | None = None) -> list[Problem]:
    """Only conditions are ranked; only factors are indicated by findings; categories are the category rows."""
    taxonomy, base_rates = t["taxonomy"], t["base_rates"]
    role = dict(zip(taxonomy.cause_id, taxonomy.role))
    problems = [
        Problem(
            TABLES["base_rates"].file,
            csv_row(i),
            "cause_id",
            f"'{c}' is a {role[c]}, not a condition: only conditions are ranked",
        )
        for i, c in base_rates.cause_id.items()
        if role.get(c, "condition") != "condition"
    ]
    file = TABLES["taxonomy"].file
    for i, row in zip(taxonomy.index, taxonomy.itertuples(index=False)):
        if (row.level == "category") != (row.role == "category"):
            problems.append(
                Problem(
                    file,
                    csv_row(i),
                    "role",
                    f"role 'category' goes with level 'category' (row is {row.level}/{row.role})",
                )
            )
        if pd.notna(row.indicated_by) and row.role != "factor":
            problems.append(
                Problem(file, csv_row(i), "indicated_by", "only contributing factors are indicated by findings")
            )
    return problems


# --- the evidence behind the numbers ------------------------------------------------------------------
SPAN = re.compile(r"^(?P<source>[a-z][a-z0-9_]*):(?P<start>\d+)-(?P<end>\d+)$")


def cited(links: pd.DataFrame, references: Iterable, sources: Iterable, texts: Texts, file: str) -> list[Problem]:
    """literature cites a reference; source cites a span whose text is the quote; estimates may cite either or none."""
    references, sources = set(references), set(sources)
    problems = []
    for i, row in zip(links.index, links.itertuples(index=False)):
        cell = row.evidence if pd.notna(row.evidence) else ""
        if row.basis == "source":
            span = SPAN.match(cell)
            if not span:
                problems.append(
                    Problem(file, csv_row(i), "evidence", f"basis 'source' needs source_id:start-end, not {cell!r}")
                )
                continue
            if span["source"] not in sources:
                problems.append(
                    Problem(file, csv_row(i), "evidence", f"unknown source_id '{span['source']}' (not in {SOURCES})")
                )
                continue
            if span["source"] not in texts:
                continue  # its page is missing or changed: reported once, in sources.csv
            text, start, end = texts[span["source"]], int(span["start"]), int(span["end"])
            if not (pd.notna(row.quote) and text[start:end] == row.quote):
                problems.append(
                    Problem(file, csv_row(i), "quote", f"text at {cell} is {text[start:end]!r}, not {row.quote!r}")
                )
        elif cell and cell not in references:
            problems.append(Problem(file, csv_row(i), "evidence", f"unknown reference_id '{cell}'"))
        elif row.basis == "literature" and not cell:
            problems.append(Problem(file, csv_row(i), "evidence", "basis 'literature' needs a reference_id"))
    return problems


def evidence(t: Tables, pages: Pages) -> list[Problem]:
    """cause_findings.evidence: a reference_id, or the span of a page whose words are the quote."""
    return cited(
        t["cause_findings"],
        t["references"].reference_id,
        t["sources"].source_id,
        pages.texts,
        TABLES["cause_findings"].file,
    )


def priors(t: Tables, pages: Pages | None = None) -> list[Problem]:
    base_rates, links, file = t["base_rates"], t["cause_findings"], TABLES["base_rates"].file
    problems = []
    total = base_rates.prior.sum()
    if abs(total - 1) > 1e-6:
        problems.append(Problem(file, None, "prior", f"priors must sum to 1, they sum to {total:.6f}"))
    for cause in sorted(set(links.cause_id) - set(base_rates.cause_id)):
        problems.append(Problem(file, None, "cause_id", f"'{cause}' has finding links but no prior"))
    return problems


def ratings(t: Tables, pages: Pages) -> list[Problem]:
    """A rated source is rated on every item, within the item's scale; 'not applicable' only for DISCERN section 2.

    A source with no ratings at all is simply not rated yet (e.g. a page an instructor just added).
    """
    rated, file, problems = t["ratings"], TABLES["ratings"].file, []
    scale = t["rubric_items"].set_index(["instrument", "item_id"])
    for i, row in zip(rated.index, rated.itertuples(index=False)):
        key = (row.instrument, row.item_id)
        if key not in scale.index:
            problems.append(Problem(file, csv_row(i), "item_id", f"unknown rubric item {row.instrument}/{row.item_id}"))
            continue
        item = scale.loc[key]
        if pd.isna(row.score):
            if not (row.instrument == "discern" and str(item.section) == "2"):
                problems.append(
                    Problem(file, csv_row(i), "score", "only DISCERN section 2 items may be 'not applicable' (empty)")
                )
        elif not item.scale_min <= row.score <= item.scale_max:
            problems.append(
                Problem(file, csv_row(i), "score", f"{row.score} is outside {item.scale_min}–{item.scale_max}")
            )
    have = set(zip(rated.source_id, rated.instrument, rated.item_id))
    for source in sorted(set(t["sources"].source_id) & set(rated.source_id)):
        for instrument, item_id in scale.index:
            if (source, instrument, item_id) not in have:
                problems.append(Problem(file, None, "item_id", f"'{source}' has no rating for {instrument}/{item_id}"))
    quoted = rated[rated.evidence.notna()]
    return problems + cited(quoted.assign(basis="source"), (), t["sources"].source_id, pages.texts, file)


# --- red flags and the lab ----------------------------------------------------------------------------
def flag_counts(t: Tables, pages: Pages | None = None) -> list[Problem]:
    return [
        Problem(
            TABLES["red_flags"].file,
            csv_row(i),
            "min_count",
            f"needs {row.min_count} of only {len(row.trigger_findings.split(';'))} trigger groups",
        )
        for i, row in zip(t["red_flags"].index, t["red_flags"].itertuples(index=False))
        if row.min_count > len(row.trigger_findings.split(";"))
    ]


def presets(t: Tables, pages: Pages | None = None) -> list[Problem]:
    """A preset patient cannot have one finding both present and absent."""
    problems = []
    for i, row in zip(t["lab_presets"].index, t["lab_presets"].itertuples(index=False)):
        both = set(row.present.split(";")) & set(row.absent.split(";") if isinstance(row.absent, str) else [])
        if both:
            problems.append(
                Problem(
                    TABLES["lab_presets"].file, csv_row(i), "absent", f"also marked present: {', '.join(sorted(both))}"
                )
            )
    return problems


Rule = Callable[[Tables, Pages], list[Problem]]

RULES: tuple[Rule, ...] = (
    foreign_keys,
    checksums,
    spans,
    partitions,
    quotes,
    tree,
    roles,
    evidence,
    priors,
    ratings,
    flag_counts,
    presets,
)


def problems(tables: Tables, texts: Texts, raw: Mapping[str, bytes], rules: Iterable[Rule] = RULES) -> list[Problem]:
    """Every cross-table problem. `texts` and `raw` are the pages that loaded (by source_id)."""
    pages = Pages.verified(tables["sources"], texts, raw)
    return [problem for rule in rules for problem in rule(tables, pages)]
