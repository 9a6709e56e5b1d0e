"""Turn human curation (strings) into offsets (numbers), so no offset is ever typed by hand.

A curator writes, in data/curation/:
  segment_starts.csv  source_id, marker, occurrence, kind, heading, heading_zh
      a segment starts at the `occurrence`-th appearance of `marker` and runs to the next start;
  mention_rules.csv   source_id, cause_id, quote, stance, within, note
      every occurrence of `quote` (inside each occurrence of `within`, when given) names cause_id.
      stance 'exclude' records words that look like a cause name but are not one there.

  treatment_rules.csv source_id, treatment_id, quote, within, note   (the same, for advice)

`python -m backpain curate` rewrites data/segments.csv, mentions.csv and treatment_mentions.csv
from these, fills the spans of rows that cite a page by its words (evidence = source_id, quote) in
cause_findings.csv and quality/ratings.csv, and
lists any occurrence of a lexicon term that no rule accounts for (the page named something the
curator has not yet looked at). Tests check that the committed files equal a fresh build.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from .base import data_dir
from .reading import read_table

SEGMENT_COLUMNS = ["source_id", "start", "end", "kind", "heading", "heading_zh"]


class CurationError(ValueError):
    pass


def find_all(text: str, needle: str, lo: int = 0, hi: int | None = None) -> Iterator[int]:
    """Start offsets of every non-overlapping occurrence of needle in text[lo:hi]."""
    hi = len(text) if hi is None else hi
    at = text.find(needle, lo, hi)
    while at != -1:
        yield at
        at = text.find(needle, at + len(needle), hi)


def build_segments(starts: pd.DataFrame, texts: Mapping[str, str]) -> pd.DataFrame:
    rows = []
    for source_id, spec in starts.groupby("source_id", sort=False):
        text = texts[source_id]
        located = []
        for r in spec.itertuples():
            hits = list(find_all(text, r.marker))
            n = int(r.occurrence) if pd.notna(r.occurrence) else 1
            if len(hits) < n:
                raise CurationError(
                    f"segment_starts: marker {r.marker!r} occurs {len(hits)}× in {source_id}, occurrence {n} asked"
                )
            located.append((hits[n - 1], r.kind, r.heading, getattr(r, "heading_zh", None)))
        located.sort(key=lambda x: x[0])
        if located[0][0] != 0:
            raise CurationError(f"segment_starts: first segment of {source_id} starts at {located[0][0]}, not 0")
        ends = [start for start, *_ in located[1:]] + [len(text)]
        rows += [(source_id, start, end, kind, heading, zh) for (start, kind, heading, zh), end in zip(located, ends)]
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)


def _rule_spans(rule, text: str) -> list[tuple[int, int]]:
    windows = [(0, len(text))]
    if pd.notna(rule.within) and rule.within:
        windows = [(at, at + len(rule.within)) for at in find_all(text, rule.within)]
    spans = [(at, at + len(rule.quote)) for lo, hi in windows for at in find_all(text, rule.quote, lo, hi)]
    if not spans:
        where = f" within {rule.within!r}" if pd.notna(rule.within) and rule.within else ""
        raise CurationError(f"mention_rules: {rule.quote!r}{where} not found in {rule.source_id}")
    return spans


def apply_rules(
    rules: pd.DataFrame, texts: Mapping[str, str], id_column: str = "cause_id"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(mentions, excluded spans). Rules with `within` are more specific and override general ones.

    Rules without a stance column (treatment rules) give rows without one.
    """
    has_within = rules.within.notna() & (rules.within != "")
    decided: dict[tuple, str] = {}
    for rule in pd.concat([rules[~has_within], rules[has_within]]).itertuples():
        for start, end in _rule_spans(rule, texts[rule.source_id]):
            decided[(rule.source_id, start, end, rule.quote, getattr(rule, id_column))] = getattr(rule, "stance", "")
    columns = ["source_id", "start", "end", "quote", id_column, "stance"]
    table = pd.DataFrame([(*key, stance) for key, stance in decided.items()], columns=columns)
    table = table.sort_values(["source_id", "start", id_column])
    excluded = table[table.stance == "exclude"].reset_index(drop=True)
    kept = table[table.stance != "exclude"].reset_index(drop=True)
    return (kept if "stance" in rules else kept.drop(columns="stance")), excluded


def unaccounted(
    lexicon: pd.DataFrame, languages: Mapping[str, str], texts: Mapping[str, str], covered: pd.DataFrame
) -> pd.DataFrame:
    """Occurrences of lexicon terms in same-language pages that lie inside no mention or exclusion."""
    missing = []
    for source_id, text in texts.items():
        spans = covered[covered.source_id == source_id][["start", "end"]].to_numpy().tolist()
        for term in lexicon.term[lexicon.language == languages[source_id]]:
            for at in find_all(text, term):
                if not any(s <= at and at + len(term) <= e for s, e in spans):
                    missing.append((source_id, at, term, text[max(0, at - 30) : at + len(term) + 30]))
    return pd.DataFrame(missing, columns=["source_id", "start", "term", "context"])


def quote_spans(table: pd.DataFrame, texts: Mapping[str, str], name: str = "table") -> pd.DataFrame:
    """Rows citing a page by its words (evidence = a source_id, quote = the words) get evidence 'source_id:start-end'.

    The span is the first occurrence of the quote (give a longer quote to pick another). Rows whose
    evidence is a reference id, or already a span, are left alone; the loader checks every span.
    """
    out = table.copy()
    for i, row in out[out.evidence.isin(list(texts))].iterrows():
        at = texts[row.evidence].find(row.quote) if isinstance(row.quote, str) and row.quote else -1
        if at < 0:
            raise CurationError(f"{name}, row {i + 2}: quote {row.quote!r} not found in {row.evidence}")
        out.loc[i, "evidence"] = f"{row.evidence}:{at}-{at + len(row.quote)}"
    return out


QUOTED_TABLES = ("cause_findings.csv", "quality/ratings.csv")


def corpus(path: Path) -> tuple[dict, dict]:
    """(texts, languages) of the curated sources, by source_id."""
    sources = read_table(path / "sources" / "sources.csv")
    texts = {r.source_id: (path / "sources" / r.file).read_text("utf-8") for r in sources.itertuples()}
    return texts, dict(zip(sources.source_id, sources.language))


def build(path: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every offset-bearing table, rebuilt from data/curation/ and the corpus, plus 'gaps' (unaccounted terms)."""
    path = Path(path or data_dir())
    texts, languages = corpus(path)
    mentions, excluded = apply_rules(read_table(path / "curation" / "mention_rules.csv"), texts)
    treatments, _ = apply_rules(read_table(path / "curation" / "treatment_rules.csv"), texts, "treatment_id")
    built = {
        "segments.csv": build_segments(read_table(path / "curation" / "segment_starts.csv"), texts),
        "mentions.csv": mentions,
        "treatment_mentions.csv": treatments,
        **{name: quote_spans(read_table(path / name), texts, name) for name in QUOTED_TABLES},
    }
    built["gaps"] = unaccounted(read_table(path / "lexicon.csv"), languages, texts, pd.concat([mentions, excluded]))
    return built


def run(path: Path) -> int:
    """`python -m backpain curate`: rewrite the built tables; 1 if a rule fails or a term is unaccounted for."""
    try:
        built = build(path)
    except CurationError as error:
        print(f"curation failed: {error}", file=sys.stderr)
        return 1
    gaps = built.pop("gaps")
    for name, table in built.items():
        table.to_csv(path / name, index=False)
    print("wrote " + ", ".join(f"{name} ({len(table)} rows)" for name, table in built.items()))
    if not gaps.empty:
        print(f"{len(gaps)} lexicon term occurrence(s) no rule accounts for:", file=sys.stderr)
        print(gaps.to_string(index=False), file=sys.stderr)
        return 1
    return 0
