"""Statistics about the sources (frames in, frames out): how much is content, which causes each names."""

from __future__ import annotations

import pandas as pd

from ..vocab import SEGMENT_KIND


def segment_shares(segments: pd.DataFrame) -> pd.DataFrame:
    """Characters and share of each page per segment kind (one row per source × kind present)."""
    seg = segments.assign(chars=segments.end - segments.start)
    out = seg.groupby(["source_id", "kind"], as_index=False, sort=False).chars.sum()
    out["share"] = out.chars / out.groupby("source_id").chars.transform("sum")
    order = {k: i for i, k in enumerate(SEGMENT_KIND)}
    return out.sort_values(["source_id", "kind"], key=lambda s: s.map(order) if s.name == "kind" else s).reset_index(
        drop=True
    )


def sources_per_cause(mentions: pd.DataFrame) -> pd.Series:
    """How many distinct sources name each cause (any stance), indexed by cause_id."""
    return mentions.groupby("cause_id").source_id.nunique().rename("n_sources")


def source_overview(sources: pd.DataFrame, segments: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Who wrote each page, how long it is, how much of it is body text, how many causes it names."""
    shares = segment_shares(segments)
    body = shares[shares.kind == "body"].set_index("source_id").share
    length = segments.groupby("source_id").end.max()
    named = mentions[mentions.stance == "cause"].groupby("source_id").cause_id.nunique()
    out = sources.set_index("source_id")[
        ["language", "title", "author", "credentials", "institution", "site_type", "date", "translated_from"]
    ].copy()
    out["characters"] = length
    out["body_share"] = body.reindex(out.index).fillna(0).round(2)
    out["causes_named"] = named.reindex(out.index).fillna(0).astype(int)
    return out.fillna("—")


def _named(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions that name a cause of back pain (stance 'cause')."""
    return mentions[mentions.stance == "cause"]


def _warned_of(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions that name a cause as a cause or as one to rule out (stance 'ruled_out'): for the
    can't-miss charts, a page that says "rule out a fracture" has warned of the fracture."""
    return mentions[mentions.stance.isin(["cause", "ruled_out"])]


def cause_sets(mentions: pd.DataFrame) -> dict[str, set]:
    """source_id → the set of causes it names."""
    return {s: set(g.cause_id) for s, g in _named(mentions).groupby("source_id")}


def unique_causes(mentions: pd.DataFrame) -> dict[str, list[str]]:
    """source_id → causes that no other source names."""
    sets = cause_sets(mentions)
    return {s: sorted(c - set().union(*(o for t, o in sets.items() if t != s))) for s, c in sets.items()}


def jaccard(mentions: pd.DataFrame) -> pd.DataFrame:
    """Pairwise agreement between sources: |A ∩ B| / |A ∪ B| of the causes they name."""
    sets = cause_sets(mentions)
    ids = sorted(sets)
    return pd.DataFrame(
        [[len(sets[a] & sets[b]) / len(sets[a] | sets[b]) for b in ids] for a in ids], index=ids, columns=ids
    )


def intersections(mentions: pd.DataFrame) -> pd.DataFrame:
    """For each cause: which sources name it (an UpSet-style table), most shared first."""
    named = _named(mentions).groupby("cause_id").source_id.apply(lambda s: tuple(sorted(set(s))))
    table = named.rename("sources").reset_index()
    table["n_sources"] = table.sources.map(len)
    return table.sort_values(["n_sources", "cause_id"], ascending=[False, True]).reset_index(drop=True)


def origin_mix(mentions: pd.DataFrame, taxonomy: pd.DataFrame) -> pd.DataFrame:
    """source × origin: share of the distinct causes a page names that come from each origin."""
    origin = taxonomy.set_index("cause_id").origin
    named = _named(mentions)[["source_id", "cause_id"]].drop_duplicates()
    mix = pd.crosstab(named.source_id, named.cause_id.map(origin))
    return mix.div(mix.sum(axis=1), axis=0)


def cant_miss_named(mentions: pd.DataFrame, taxonomy: pd.DataFrame) -> pd.Series:
    """source_id → the can't-miss causes it names, as a cause or to rule out (empty list if none)."""
    flags = taxonomy.set_index("cause_id").can_t_miss
    named = _warned_of(mentions)
    return named[named.cause_id.map(flags)].groupby("source_id").cause_id.apply(lambda s: sorted(set(s)))


def red_flag_coverage(
    mentions: pd.DataFrame, red_flags: pd.DataFrame, taxonomy: pd.DataFrame, sources: list[str]
) -> pd.DataFrame:
    """flag × source: does the page name the danger a red flag warns about (its can't-miss causes)?

    Only can't-miss causes count: naming a disc herniation does not warn of cauda equina syndrome.
    """
    cant_miss = set(taxonomy.cause_id[taxonomy.can_t_miss])
    sets = {s: set(g.cause_id) for s, g in _warned_of(mentions).groupby("source_id")}
    dangers = [set(f.cause_ids.split(";")) & cant_miss for f in red_flags.itertuples()]
    return pd.DataFrame({s: [bool(d & sets.get(s, set())) for d in dangers] for s in sources}, index=red_flags.flag_id)


def with_ingested(mentions: pd.DataFrame, store) -> pd.DataFrame:
    """Curated mentions (auto = False) and an ingest store's machine-extracted ones (auto = True, the
    page id suffixed ' (auto)') in one frame, so every chart can show which is which."""
    curated = mentions.assign(auto=False)
    if not store.mentions_path.exists():
        return curated
    auto = pd.read_csv(store.mentions_path, dtype={"source_id": str})
    auto = auto.assign(source_id=auto.source_id + " (auto)", auto=True)
    return pd.concat([curated, auto[curated.columns]], ignore_index=True)
