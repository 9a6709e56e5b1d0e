"""Rules that span tables or reach into the corpus: ids that must exist, offsets that must fit.

Each check is a small function returning a list of Problems, so a broken edit reports everything
that is wrong at once, each with the file, row and column a person has to open.
"""

from __future__ import annotations

import hashlib
import re
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
            problems.append(
                Problem(
                    "sources/sources.csv",
                    csv_row(i),
                    "sha256",
                    f"checksum mismatch for '{row.file}': the page was changed (expected {row.sha256[:12]}…, "
                    f"found {sha256_of(data)[:12]}…); sources must stay byte-for-byte verbatim",
                )
            )
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
            problems.append(
                Problem(
                    file,
                    csv_row(i),
                    "end",
                    f"offset {row.end} is past the end of source '{row.source_id}' ({len(text)} characters)",
                )
            )
    return problems


def quotes_match(mentions: pd.DataFrame, texts: Texts, file: str = "mentions.csv") -> list[Problem]:
    problems = []
    for i, row in mentions.iterrows():
        text = texts.get(row.source_id)
        if text is None or row.end > len(text):
            continue
        found = text[row.start : row.end]
        if found != row.quote:
            problems.append(
                Problem(
                    file,
                    csv_row(i),
                    "quote",
                    f"text[{row.start}:{row.end}] of '{row.source_id}' is {found!r}, not {row.quote!r}",
                )
            )
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
                problems.append(
                    Problem(
                        "segments.csv",
                        csv_row(i),
                        "start",
                        f"gap: characters {expected}–{row.start} of '{source_id}' belong to no segment",
                    )
                )
            elif row.start < expected:
                problems.append(
                    Problem(
                        "segments.csv",
                        csv_row(i),
                        "start",
                        f"overlap: segment starts at {row.start} but the previous one ends at {expected}",
                    )
                )
            expected = max(expected, row.end)
        if expected != len(text):
            problems.append(
                Problem(
                    "segments.csv",
                    None,
                    "end",
                    f"segments of '{source_id}' end at {expected}, the text has {len(text)} characters",
                )
            )
    return problems


def tree(taxonomy: pd.DataFrame) -> list[Problem]:
    """Parents exist and are categories; every cause has a parent; no cycles."""
    problems = unknown_ids(taxonomy, "taxonomy.csv", "parent_id", taxonomy.cause_id, "parent_id")
    level = dict(zip(taxonomy.cause_id, taxonomy.level))
    parent = dict(zip(taxonomy.cause_id, taxonomy.parent_id))
    for i, row in taxonomy.iterrows():
        if pd.isna(row.parent_id):
            if row.level == "cause":
                problems.append(
                    Problem("taxonomy.csv", csv_row(i), "parent_id", f"cause '{row.cause_id}' needs a parent category")
                )
            continue
        if level.get(row.parent_id) == "cause":
            problems.append(
                Problem("taxonomy.csv", csv_row(i), "parent_id", f"parent '{row.parent_id}' is a cause, not a category")
            )
        seen, node = set(), row.cause_id
        while pd.notna(node) and node in parent:
            if node in seen:
                problems.append(Problem("taxonomy.csv", csv_row(i), "parent_id", f"cycle through '{row.cause_id}'"))
                break
            seen.add(node)
            node = parent[node]
    return problems


SPAN = re.compile(r"^(?P<source>[a-z][a-z0-9_]*):(?P<start>\d+)-(?P<end>\d+)$")


def evidence(
    links: pd.DataFrame, references: Iterable, texts: Texts, file: str = "cause_findings.csv"
) -> list[Problem]:
    """literature cites a reference; source cites a span whose text is the quote; estimates may cite either or none."""
    references = set(references)
    problems = []
    for i, row in links.iterrows():
        cited = row.evidence if pd.notna(row.evidence) else ""
        if row.basis == "source":
            span = SPAN.match(cited)
            if not span or span["source"] not in texts:
                problems.append(
                    Problem(file, csv_row(i), "evidence", f"basis 'source' needs source_id:start-end, not {cited!r}")
                )
                continue
            text, start, end = texts[span["source"]], int(span["start"]), int(span["end"])
            if not (pd.notna(row.quote) and text[start:end] == row.quote):
                problems.append(
                    Problem(file, csv_row(i), "quote", f"text at {cited} is {text[start:end]!r}, not {row.quote!r}")
                )
        elif cited and cited not in references:
            problems.append(Problem(file, csv_row(i), "evidence", f"unknown reference_id '{cited}'"))
        elif row.basis == "literature" and not cited:
            problems.append(Problem(file, csv_row(i), "evidence", "basis 'literature' needs a reference_id"))
    return problems


def listed_ids(table: pd.DataFrame, file: str, column: str, known: Iterable, what: str) -> list[Problem]:
    """Like unknown_ids, for cells holding lists separated by ';' (or '|' inside a trigger group)."""
    known = set(known)
    return [
        Problem(file, csv_row(i), column, f"unknown {what} '{item}'")
        for i, cell in table[column].dropna().items()
        for item in re.split(r"[;|]", cell)
        if item not in known
    ]


def priors(base_rates: pd.DataFrame, links: pd.DataFrame) -> list[Problem]:
    problems = []
    total = base_rates.prior.sum()
    if abs(total - 1) > 1e-6:
        problems.append(Problem("base_rates.csv", None, "prior", f"priors must sum to 1, they sum to {total:.6f}"))
    for cause in sorted(set(links.cause_id) - set(base_rates.cause_id)):
        problems.append(Problem("base_rates.csv", None, "cause_id", f"'{cause}' has finding links but no prior"))
    return problems


def ratings(ratings: pd.DataFrame, items: pd.DataFrame, sources: Iterable, texts: Texts) -> list[Problem]:
    """A rated source is rated on every item, within the item's scale; 'not applicable' only for DISCERN section 2.

    A source with no ratings at all is simply not rated yet (e.g. a page an instructor just added).
    """
    file, problems = "quality/ratings.csv", []
    scale = items.set_index(["instrument", "item_id"])
    for i, row in ratings.iterrows():
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
    have = set(zip(ratings.source_id, ratings.instrument, ratings.item_id))
    for source in set(sources) & set(ratings.source_id):
        for instrument, item_id in scale.index:
            if (source, instrument, item_id) not in have:
                problems.append(Problem(file, None, "item_id", f"'{source}' has no rating for {instrument}/{item_id}"))
    quoted = ratings[ratings.evidence.notna()]
    return problems + evidence(quoted.assign(basis="source"), (), texts, file)


def flag_counts(flags: pd.DataFrame) -> list[Problem]:
    return [
        Problem(
            "red_flags.csv",
            csv_row(i),
            "min_count",
            f"needs {row.min_count} of only {len(row.trigger_findings.split(';'))} trigger groups",
        )
        for i, row in flags.iterrows()
        if row.min_count > len(row.trigger_findings.split(";"))
    ]


def presets(table: pd.DataFrame) -> list[Problem]:
    """A preset patient cannot have one finding both present and absent."""
    problems = []
    for i, row in table.iterrows():
        both = set(row.present.split(";")) & set(row.absent.split(";") if isinstance(row.absent, str) else [])
        if both:
            problems.append(
                Problem("lab_presets.csv", csv_row(i), "absent", f"also marked present: {', '.join(sorted(both))}")
            )
    return problems


def roles(taxonomy: pd.DataFrame, base_rates: pd.DataFrame) -> list[Problem]:
    """Only conditions are ranked; only factors are indicated by findings; categories are the category rows."""
    role = dict(zip(taxonomy.cause_id, taxonomy.role))
    problems = [
        Problem(
            "base_rates.csv",
            csv_row(i),
            "cause_id",
            f"'{c}' is a {role[c]}, not a condition: only conditions are ranked",
        )
        for i, c in base_rates.cause_id.items()
        if role.get(c, "condition") != "condition"
    ]
    for i, row in taxonomy.iterrows():
        if (row.level == "category") != (row.role == "category"):
            problems.append(
                Problem(
                    "taxonomy.csv",
                    csv_row(i),
                    "role",
                    f"role 'category' goes with level 'category' (row is {row.level}/{row.role})",
                )
            )
        if pd.notna(row.indicated_by) and row.role != "factor":
            problems.append(
                Problem(
                    "taxonomy.csv", csv_row(i), "indicated_by", "only contributing factors are indicated by findings"
                )
            )
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
    lambda t, x, raw: unknown_ids(
        t["taxonomy"], "taxonomy.csv", "reference_id", t["references"].reference_id, "reference_id"
    ),
    lambda t, x, raw: unknown_ids(t["cause_findings"], "cause_findings.csv", "cause_id", _causes(t), "cause_id"),
    lambda t, x, raw: unknown_ids(
        t["cause_findings"], "cause_findings.csv", "finding_id", t["findings"].finding_id, "finding_id"
    ),
    lambda t, x, raw: evidence(t["cause_findings"], t["references"].reference_id, x),
    lambda t, x, raw: unknown_ids(t["base_rates"], "base_rates.csv", "cause_id", _causes(t), "cause_id"),
    lambda t, x, raw: unknown_ids(
        t["base_rates"], "base_rates.csv", "evidence", t["references"].reference_id, "reference_id"
    ),
    lambda t, x, raw: priors(t["base_rates"], t["cause_findings"]),
    lambda t, x, raw: listed_ids(t["red_flags"], "red_flags.csv", "cause_ids", _causes(t), "cause_id"),
    lambda t, x, raw: listed_ids(
        t["red_flags"], "red_flags.csv", "trigger_findings", t["findings"].finding_id, "finding_id"
    ),
    lambda t, x, raw: listed_ids(t["red_flags"], "red_flags.csv", "unless", t["findings"].finding_id, "finding_id"),
    lambda t, x, raw: unknown_ids(
        t["red_flags"], "red_flags.csv", "reference_id", t["references"].reference_id, "reference_id"
    ),
    lambda t, x, raw: flag_counts(t["red_flags"]),
    lambda t, x, raw: roles(t["taxonomy"], t["base_rates"]),
    lambda t, x, raw: listed_ids(t["taxonomy"], "taxonomy.csv", "indicated_by", t["findings"].finding_id, "finding_id"),
    lambda t, x, raw: unknown_ids(
        t["findings"], "findings.csv", "background_evidence", t["references"].reference_id, "reference_id"
    ),
    lambda t, x, raw: unknown_ids(
        t["body_regions"], "body_regions.csv", "finding_id", t["findings"].finding_id, "finding_id"
    ),
    lambda t, x, raw: unknown_ids(
        t["organ_segments"], "organ_segments.csv", "reference_id", t["references"].reference_id, "reference_id"
    ),
    lambda t, x, raw: listed_ids(
        t["lab_presets"], "lab_presets.csv", "present", t["findings"].finding_id, "finding_id"
    ),
    lambda t, x, raw: presets(t["lab_presets"]),
    lambda t, x, raw: listed_ids(
        t["lab_presets"].dropna(subset=["absent"]), "lab_presets.csv", "absent", t["findings"].finding_id, "finding_id"
    ),
    lambda t, x, raw: unknown_ids(
        t["treatments"], "treatments.csv", "reference_id", t["references"].reference_id, "reference_id"
    ),
    lambda t, x, raw: unknown_ids(
        t["treatment_mentions"], "treatment_mentions.csv", "treatment_id", t["treatments"].treatment_id, "treatment_id"
    ),
    lambda t, x, raw: unknown_ids(t["treatment_mentions"], "treatment_mentions.csv", "source_id", x, "source_id"),
    lambda t, x, raw: spans(t["treatment_mentions"], "treatment_mentions.csv", x),
    lambda t, x, raw: quotes_match(t["treatment_mentions"], x, "treatment_mentions.csv"),
    lambda t, x, raw: unknown_ids(
        t["rubric_items"], "quality/rubric_items.csv", "reference_id", t["references"].reference_id, "reference_id"
    ),
    lambda t, x, raw: ratings(t["ratings"], t["rubric_items"], x, x),
    lambda t, x, raw: unknown_ids(t["conclusions"], "quality/conclusions.csv", "source_id", x, "source_id"),
    lambda t, x, raw: unknown_ids(
        t["benchmarks"],
        "quality/published_benchmarks.csv",
        "reference_id",
        t["references"].reference_id,
        "reference_id",
    ),
]


def problems(tables: Tables, texts: Texts, raw: Mapping[str, bytes], rules: list[Rule] = RULES) -> list[Problem]:
    found: list[Problem] = []
    for rule in rules:
        found.extend(rule(tables, texts, raw))
    return found
