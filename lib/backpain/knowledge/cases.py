"""Teaching vignettes from data/cases.yaml, checked field by field.

A case states its findings and the expected cause (with any clinically equivalent answers an examiner
accepts). The group (mechanical / non-mechanical spinal / visceral) comes from the cause and the
urgency from the red flags its findings raise, so the quiz key can never contradict the lab.

The YAML is read with safe_load only. A malformed case is reported as
`cases.yaml, case 'builder_evening_ache', field 'answer.cause_id': unknown cause 'x'`, so an
instructor adding a case knows exactly what to fix. Page quotes in teaching points are located in
the verbatim text, so every citation is a verified span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, Problem
from .reading import read_yaml

FILE = "cases.yaml"
KEYS = {"case_id", "title_en", "title_zh", "stem_en", "stem_zh", "present", "absent", "answer", "teaching_points"}
ANSWER_KEYS = {"cause_id", "also_accept", "urgency"}


@dataclass(frozen=True)
class TeachingPoint:
    en: str
    zh: str
    reference: str | None = None
    source: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None


@dataclass(frozen=True)
class Case:
    case_id: str
    title_en: str
    title_zh: str
    stem_en: str
    stem_zh: str
    present: tuple[str, ...]
    absent: tuple[str, ...]
    cause_id: str
    accept: tuple[str, ...]  # cause_id and the clinically equivalent answers
    group: str  # the cause's split group
    urgency: str  # from the red flags the findings raise
    teaching_points: tuple[TeachingPoint, ...]

    def text(self, key: str, lang: str) -> str:
        return getattr(self, f"{key}_{lang}").strip()


def _problem(case_id, field, reason) -> Problem:
    return Problem(FILE, None, None, f"case '{case_id}', field '{field}': {reason}")


def parse(raw: str | bytes, kb) -> list[Case]:
    """Cases from YAML text, validated against the knowledge base; DataError lists every problem."""
    data, problems = read_yaml(raw.encode("utf-8") if isinstance(raw, str) else raw, FILE)
    if problems:
        raise DataError(problems)
    if not isinstance(data, list):
        raise DataError([Problem(FILE, None, None, "must be a list of cases")])
    findings, causes = set(kb.findings.finding_id), kb.engine.causes
    references, texts = set(kb.references.reference_id), {s: kb.text(s) for s in kb.source_ids}
    problems, cases, seen = [], [], set()
    for n, item in enumerate(data, start=1):
        cid = item.get("case_id", f"#{n}") if isinstance(item, dict) else f"#{n}"
        cid = cid if isinstance(cid, str) else f"#{n}"
        if not isinstance(item, dict):
            problems.append(_problem(cid, "-", "each case must be a mapping"))
            continue
        found = []
        missing, extra = KEYS - set(item), set(item) - KEYS
        found += [_problem(cid, k, "missing") for k in sorted(missing)]
        found += [_problem(cid, k, "unknown field") for k in sorted(extra)]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(cid)) or cid in seen:
            found.append(_problem(cid, "case_id", "must be a unique snake_case id"))
        seen.add(cid)
        for k in ("title_en", "title_zh", "stem_en", "stem_zh"):
            if k in item and not (isinstance(item[k], str) and item[k].strip()):
                found.append(_problem(cid, k, "must be non-empty text"))
        for k in ("present", "absent"):
            values = item.get(k) or []
            if not isinstance(values, list) or not all(isinstance(f, str) for f in values):
                found.append(_problem(cid, k, "must be a list of finding ids such as [assoc_fever, loc_lumbar]"))
                item[k] = []
                continue
            found += [_problem(cid, k, f"unknown finding '{f}'") for f in values if f not in findings]
        both = set(item.get("present") or []) & set(item.get("absent") or [])
        if both:
            found.append(_problem(cid, "absent", f"also marked present: {sorted(both)}"))
        answer = item.get("answer") or {}
        if not isinstance(answer, dict):
            found.append(_problem(cid, "answer", "must be a mapping with cause_id (and optionally also_accept)"))
            answer = {}
        found += [_problem(cid, f"answer.{k}", "unknown field") for k in sorted(set(answer) - ANSWER_KEYS)]
        cause = answer.get("cause_id")
        accept = answer.get("also_accept") or []
        if not isinstance(cause, str) or cause not in causes.index:
            found.append(
                _problem(
                    cid, "answer.cause_id", f"unknown cause '{cause}' (must be a ranked condition in base_rates.csv)"
                )
            )
        if not isinstance(accept, list) or not all(isinstance(c, str) for c in accept):
            found.append(_problem(cid, "answer.also_accept", "must be a list of cause ids"))
            accept = []
        found += [_problem(cid, "answer.also_accept", f"unknown cause '{c}'") for c in accept if c not in causes.index]
        urgency = None
        if not found:
            urgency = kb.engine.differential(item.get("present") or [], item.get("absent") or []).urgency
            stated = answer.get("urgency")
            if stated is not None and stated != urgency:
                found.append(
                    _problem(
                        cid,
                        "answer.urgency",
                        f"'{stated}' but the red flags these findings raise say "
                        f"'{urgency}'; urgency comes from the flags, so leave it out",
                    )
                )
        points = []
        listed = item.get("teaching_points") or []
        if not isinstance(listed, list):
            found.append(_problem(cid, "teaching_points", "must be a list of points, each with en, zh and cite"))
            listed = []
        for i, tp in enumerate(listed, start=1):
            field = f"teaching_points[{i}]"
            if not isinstance(tp, dict) or not isinstance(tp.get("en"), str) or not isinstance(tp.get("zh"), str):
                found.append(_problem(cid, field, "needs 'en' and 'zh' text"))
                continue
            cite = tp.get("cite") or {}
            if not isinstance(cite, dict) or not all(isinstance(v, str) for v in cite.values()):
                found.append(_problem(cid, field + ".cite", "needs {reference: id} or {source: id, quote: words}"))
                continue
            if "reference" in cite:
                if cite["reference"] not in references:
                    found.append(_problem(cid, field + ".cite", f"unknown reference '{cite['reference']}'"))
                points.append(TeachingPoint(tp["en"], tp["zh"], reference=cite["reference"]))
            elif "source" in cite:
                text = texts.get(cite["source"], "")
                at = text.find(cite.get("quote") or "\0")
                if at < 0:
                    found.append(_problem(cid, field + ".cite", f"quote not found in '{cite['source']}'"))
                    continue
                points.append(
                    TeachingPoint(
                        tp["en"],
                        tp["zh"],
                        source=cite["source"],
                        start=at,
                        end=at + len(cite["quote"]),
                        quote=cite["quote"],
                    )
                )
            else:
                found.append(_problem(cid, field + ".cite", "needs {reference: id} or {source: id, quote: words}"))
        if len(points) < 1 and not found:
            found.append(_problem(cid, "teaching_points", "at least one cited teaching point is needed"))
        problems += found
        if not found:
            cases.append(
                Case(
                    cid,
                    item["title_en"],
                    item["title_zh"],
                    item["stem_en"],
                    item["stem_zh"],
                    tuple(item.get("present") or ()),
                    tuple(item.get("absent") or ()),
                    cause,
                    tuple(dict.fromkeys([cause, *accept])),
                    causes.group[cause],
                    urgency,
                    tuple(points),
                )
            )
    if problems:
        raise DataError(problems)
    return cases


def load_cases(kb, path: str | Path | None = None) -> list[Case]:
    path = Path(path) if path else Path(kb.path) / FILE
    return parse(path.read_bytes(), kb)
