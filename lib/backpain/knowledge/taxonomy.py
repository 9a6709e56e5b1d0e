"""The cause tree: categories and causes in one table, linked by parent_id."""

from __future__ import annotations

import pandas as pd


def with_paths(taxonomy: pd.DataFrame) -> pd.DataFrame:
    """Add `depth` (0 for roots) and `path` (root → node cause_ids) to every row, in tree order."""
    parent = dict(zip(taxonomy.cause_id, taxonomy.parent_id))

    def lineage(node: str) -> list[str]:
        chain = [node]
        while pd.notna(parent.get(chain[-1])):
            chain.append(parent[chain[-1]])
        return chain[::-1]

    out = taxonomy.copy()
    out["path"] = [lineage(c) for c in out.cause_id]
    out["depth"] = out.path.map(len) - 1
    order = {c: i for i, c in enumerate(taxonomy.cause_id)}
    out["_key"] = out.path.map(lambda p: [order[c] for c in p])
    return out.sort_values("_key", key=lambda s: s.map(tuple)).drop(columns="_key").reset_index(drop=True)


def descendants(taxonomy: pd.DataFrame, node: str) -> list[str]:
    """All cause_ids below `node` (not including it)."""
    children = taxonomy.groupby("parent_id").cause_id.apply(list).to_dict()
    found, todo = [], list(children.get(node, []))
    while todo:
        current = todo.pop(0)
        found.append(current)
        todo.extend(children.get(current, []))
    return found
