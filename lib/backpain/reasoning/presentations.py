"""Judge the engine against classic presentations written outside the project.

Each presentation (tests/clinical/presentations.yaml) was written from a guideline or textbook and
reviewed before any weight was changed. It states the red flags that must fire (an empty list: none
may fire), the urgency, whether referred visceral pain should lead the split, and the causes an
examiner accepts in the top three. A presentation passes when all four hold. Where the engine has no
condition for the answer (a placental abruption, say), `visceral` is null and `top3` empty: only the
flags and the urgency are judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

CHECKS = ("flags", "urgency", "verdict", "top3")


@dataclass(frozen=True)
class Presentation:
    id: str
    title: str
    source: str
    kind: str
    present: tuple[str, ...]
    absent: tuple[str, ...]
    flags: tuple[str, ...]
    urgency: str
    visceral: bool | None  # None: not judged (no ranked condition fits)
    top3: tuple[str, ...]  # empty: not judged
    note: str = ""


def load(path: str | Path) -> list[Presentation]:
    items = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [
        Presentation(
            p["id"],
            p["title"],
            p["source"],
            p["kind"],
            tuple(p.get("present") or ()),
            tuple(p.get("absent") or ()),
            tuple(p.get("flags") or ()),
            p["urgency"],
            None if p["visceral"] is None else bool(p["visceral"]),
            tuple(p["top3"] or ()),
            p.get("note", ""),
        )
        for p in items
    ]


def judge(engine, p: Presentation) -> dict:
    """What the engine makes of one presentation, and which of the four checks it passes."""
    d = engine.differential(p.present, p.absent)
    raised = set(d.red_flags.flag_id)
    top3 = list(d.top(3).index)
    leading = d.split.idxmax()
    checks = {
        "flags": set(p.flags) <= raised if p.flags else not raised,
        "urgency": d.urgency == p.urgency,
        "verdict": p.visceral is None or (leading == "visceral") == p.visceral,
        "top3": not p.top3 or bool(set(p.top3) & set(top3)),
    }
    return dict(
        id=p.id,
        kind=p.kind,
        **checks,
        passed=all(checks.values()),
        raised=sorted(raised),
        expected_flags=list(p.flags),
        engine_urgency=d.urgency,
        expected_urgency=p.urgency,
        visceral_share=round(d.split["visceral"], 3),
        engine_top3=top3,
        expected_top3=list(p.top3),
    )


def evaluate(engine, presentations: list[Presentation]) -> pd.DataFrame:
    return pd.DataFrame([judge(engine, p) for p in presentations]).set_index("id")


def summary(results: pd.DataFrame) -> pd.DataFrame:
    """Pass rates: red-flag presentations apart from the rest, and each check over all."""
    red = results[results.expected_flags.str.len() > 0]
    rest = results[results.expected_flags.str.len() == 0]
    rows = {"red-flag presentations": red.passed, "all other presentations": rest.passed, "all": results.passed}
    rows |= {f"check: {c}": results[c] for c in CHECKS}
    return pd.DataFrame(
        {"passed": {k: int(v.sum()) for k, v in rows.items()}, "of": {k: len(v) for k, v in rows.items()}}
    ).assign(share=lambda t: (t.passed / t["of"]).round(3))
