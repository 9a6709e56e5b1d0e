"""Column-level rules for every table in data/, as pandera schemas.

Links between tables (a cause_id that must exist) are declared in tables.py and checked, with the other
cross-table rules (offsets that must fit the text), in integrity.py; this module only says what each
column may hold, so data/README.md and the code stay in step.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column

from ..vocab import (
    BACKGROUND_BASIS,
    BASIS,
    FINDING_GROUP,
    GUIDELINE,
    GUIDELINE_STANCE,
    INSTRUMENT,
    MENTION_STANCE,
    NAME_KIND,
    ORIGIN,
    PAGE_LANGUAGE,
    REFERENCE_STATUS,
    ROLE,
    SCALE,
    SEGMENT_KIND,
    SPLIT_GROUP,
    TAXONOMY_LEVEL,
    TREATMENT_CATEGORY,
    URGENCY,
)
from .anatomy import level_range
from .errors import Problem, csv_row

# Every check carries its message in the words of the person editing the spreadsheet: it starts with
# "must " and is shown after the value, as in "'Lumbar-Strain' must be a snake_case id such as
# lumbar_muscle_strain". No message shows a pattern or the name of a check (tests/test_validation.py).
_ID = r"^[a-z][a-z0-9_]*$"
_IDS = r"^[a-z0-9_]+(;[a-z0-9_]+)*$"
ID_RULE = "must be a snake_case id such as lumbar_muscle_strain (small letters, digits and _, starting with a letter)"


def _ids_rule(example: str) -> str:
    return f"must be snake_case ids separated by ';' with no spaces, such as {example}"


_text = dict(dtype="string", nullable=False, checks=Check.str_length(min_value=1, error="must not be empty"))
_optional_text = dict(dtype="string", nullable=True)


def _id(nullable=False, **kw) -> Column:
    return Column("string", Check.str_matches(_ID, error=ID_RULE), nullable=nullable, **kw)


def _ids(example: str, nullable=False) -> Column:
    """A ';'-separated list of ids, e.g. the causes a red flag points to."""
    return Column("string", Check.str_matches(_IDS, error=_ids_rule(example)), nullable=nullable)


def _choice(values, nullable=False) -> Column:
    """One of a vocabulary's values (vocab.py), or of a short tuple of them."""
    values = list(values)
    return Column("string", Check.isin(values, error=f"must be one of: {', '.join(values)}"), nullable=nullable)


def _offset() -> Column:
    return Column("int64", Check.ge(0, error="must be 0 or more (a character position in the page)"), nullable=False)


def _between(low, high, what="a number", low_excluded=False) -> Check:
    """low <= value <= high (low < value if low_excluded), said in words."""
    if low_excluded:
        error = f"must be {what} greater than {low} and at most {high}"
    else:
        error = f"must be {what} from {low} to {high}"
    return Check.in_range(low, high, include_min=not low_excluded, error=error)


def _schema(columns: dict, unique=None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, strict=True, coerce=True, unique=unique, ordered=False)


SOURCES = _schema(
    {
        "source_id": _id(unique=True),
        "file": Column(**_text),
        "sha256": Column(
            "string",
            Check.str_matches(
                r"^[0-9a-f]{64}$",
                error="must be the page's SHA-256: 64 characters, each a digit or a small letter from a to f",
            ),
        ),
        "language": _choice(PAGE_LANGUAGE),
        "title": Column(**_text),
        "author": Column(**_optional_text),
        "credentials": Column(**_optional_text),
        "institution": Column(**_optional_text),
        "site_type": Column(**_text),
        "site_type_zh": Column(**_optional_text),  # the same in Chinese, shown in 中文 mode
        "date": Column(**_optional_text),
        "translated_from": Column(**_optional_text),
        "notes": Column(**_text),
        "notes_zh": Column(**_optional_text),  # the same in Chinese, shown in 中文 mode
    }
)

SEGMENTS = _schema(
    {
        "source_id": _id(),
        "start": _offset(),
        "end": _offset(),
        "kind": _choice(SEGMENT_KIND),
        "heading": Column(**_optional_text),
        "heading_zh": Column(**_optional_text),  # the heading in Chinese, shown in 中文 mode
    }
)

TAXONOMY = _schema(
    {
        "cause_id": _id(unique=True),
        "parent_id": _id(nullable=True),
        "level": _choice(TAXONOMY_LEVEL),
        "name_en": Column(**_text),
        "name_zh": Column(**_text),
        "origin": _choice(ORIGIN),
        "organ_system": Column(**_optional_text),
        "icd10": Column(
            "string",
            Check.str_matches(
                r"^[A-Z][0-9]{2}(\.[0-9])?$",
                error="must be an ICD-10 code such as M54 or M54.5 (a capital letter, two digits, "
                "then optionally a dot and one digit)",
            ),
            nullable=True,
        ),
        "can_t_miss": _choice(("true", "false")),
        "reference_id": _id(nullable=True),
        "summary_en": Column(**_text),
        "summary_zh": Column(**_text),
        "role": _choice(ROLE),
        "indicated_by": _ids("hx_stress;hx_sedentary_work", nullable=True),
    }
)

LEXICON = _schema(
    {
        "cause_id": _id(),
        "language": _choice(PAGE_LANGUAGE),
        "term": Column(**_text),
        "page_only": _choice(("true", "false")),
        "note": Column(**_optional_text),
    },
    unique=["language", "term"],
)

CAUSE_NAMES = _schema(
    {
        "cause_id": _id(),
        "language": _choice(PAGE_LANGUAGE),
        "term": Column(**_text),
        "kind": _choice(NAME_KIND),
    },
    unique=["language", "term"],
)

MENTIONS = _schema(
    {
        "source_id": _id(),
        "start": _offset(),
        "end": _offset(),
        "quote": Column(**_text),
        "cause_id": _id(),
        "stance": _choice(MENTION_STANCE),
    }
)

REFERENCES = _schema(
    {
        "reference_id": _id(unique=True),
        "citation": Column(**_text),
        "year": Column("Int64", _between(1900, 2100, "a year"), nullable=True),
        "url_or_doi": Column(**_optional_text),
        "status": _choice(REFERENCE_STATUS),
        "note": Column(**_optional_text),
    }
)

FINDINGS = _schema(
    {
        "finding_id": _id(unique=True),
        "group": _choice(FINDING_GROUP),
        "label_en": Column(**_text),
        "label_zh": Column(**_text),
        "question_en": Column(**_text),
        "question_zh": Column(**_text),
        # How often the finding occurs in ordinary mechanical back pain: the rate at which every
        # condition that does not list the finding is taken to have it.
        "background": Column("float64", _between(0.001, 0.95, "a proportion"), nullable=False),
        "background_basis": _choice(BACKGROUND_BASIS),
        "background_evidence": _id(nullable=True),
        "background_note": Column(**_text),  # shown to students
        "scale": _choice(SCALE, nullable=True),
        "curator_note": Column(**_optional_text),  # for curators only, never shown
    }
)

CAUSE_FINDINGS = _schema(
    {
        "cause_id": _id(),
        "finding_id": _id(),
        # P(finding | condition); the likelihood ratios are derived from it and the finding's background
        "frequency": Column("float64", _between(0.001, 0.99, "a proportion"), nullable=False),
        "basis": _choice(BASIS),
        "evidence": Column(**_optional_text),  # reference_id, or source_id:start-end for basis=source
        "quote": Column(**_optional_text),  # the page's words at that span (basis=source)
        "population": Column(**_optional_text),  # who a published figure was measured in
        "population_zh": Column(**_optional_text),
        "note": Column(**_text),  # shown to students
        "note_zh": Column(**_optional_text),
        "curator_note": Column(**_optional_text),  # for curators only, never shown
    },
    unique=["cause_id", "finding_id"],
)

BASE_RATES = _schema(
    {
        "cause_id": _id(unique=True),
        "prior": Column("float64", _between(0, 1, "a proportion", low_excluded=True), nullable=False),
        "group": _choice(SPLIT_GROUP),
        "setting": Column(**_text),
        "basis": _choice(BASIS),
        "evidence": _id(nullable=True),
        "note": Column(**_text),  # shown to students
        "curator_note": Column(**_optional_text),  # for curators only, never shown
    }
)

RED_FLAGS = _schema(
    {
        "flag_id": _id(unique=True),
        "name_en": Column(**_text),
        "name_zh": Column(**_text),
        "concern_en": Column(**_text),
        "concern_zh": Column(**_text),
        "cause_ids": _ids("cauda_equina_syndrome;disc_herniation"),
        # groups separated by ';' (min_count of them must hold), alternatives inside a group by '|'
        "trigger_findings": Column(
            "string",
            Check.str_matches(
                r"^[a-z0-9_]+([;|][a-z0-9_]+)*$",
                error="must be finding ids, groups separated by ';' and alternatives inside a group by '|', "
                "with no spaces, such as assoc_bilateral_leg;assoc_numbness|assoc_leg_weakness",
            ),
        ),
        "min_count": Column("int64", Check.ge(1, error="must be a whole number, 1 or more")),
        # findings that explain the pattern away (e.g. claudication for bilateral leg symptoms), ';'-separated
        "unless": _ids("agg_walking_claudication;rel_rest", nullable=True),
        "urgency": _choice(URGENCY),
        "reference_id": _id(),
        "explain_en": Column(**_text),
        "explain_zh": Column(**_text),
    }
)


# the spinal segments from the top, for level ranges such as 'C8-T4' (top first)
def _is_level_range(text: str) -> bool:
    try:
        return bool(level_range(text))
    except ValueError:
        return False


_LEVELS = Check(
    lambda s: s.map(_is_level_range),
    element_wise=False,
    error="must be a range of spinal segments, top first, such as T10-L1 (C1-C8, T1-T12, L1-L5, S1-S5)",
)
BODY_REGIONS = _schema(
    {
        "region_id": _id(unique=True),
        "name_en": Column(**_text),
        "name_zh": Column(**_text),
        "finding_id": _id(),
        "levels": Column("string", _LEVELS),
        **{k: Column("float64", _between(0, 21, "a position on the body chart")) for k in ("x0", "y0", "x1", "y1")},
    }
)

ORGAN_SEGMENTS = _schema(
    {
        "organ_id": _id(unique=True),
        "name_en": Column(**_text),
        "name_zh": Column(**_text),
        "levels": Column("string", _LEVELS),
        "reference_id": _id(),
    }
)

LAB_PRESETS = _schema(
    {
        "preset_id": _id(unique=True),
        "name_en": Column(**_text),
        "name_zh": Column(**_text),
        "present": _ids("loc_lumbar;agg_movement"),
        "absent": _ids("assoc_fever;rel_rest", nullable=True),
        "note": Column(**_text),
    }
)

TREATMENTS = _schema(
    {
        "treatment_id": _id(unique=True),
        "name_en": Column(**_text),
        "name_zh": Column(**_text),
        "category": _choice(TREATMENT_CATEGORY),
        "stance": _choice(GUIDELINE_STANCE),
        "guideline": _choice(GUIDELINE),
        "position_en": Column(**_text),
        "position_zh": Column(**_text),
        "reference_id": _id(nullable=True),
        "status": _choice(REFERENCE_STATUS),
        "note": Column(**_optional_text),
    }
)

TREATMENT_MENTIONS = _schema(
    {
        "source_id": _id(),
        "start": _offset(),
        "end": _offset(),
        "quote": Column(**_text),
        "treatment_id": _id(),
    }
)

RUBRIC_ITEMS = _schema(
    {
        "instrument": _choice(INSTRUMENT),
        "item_id": _id(),
        "section": Column("string", nullable=True),
        "text_en": Column(**_text),
        "text_zh": Column(**_text),
        "scale_min": Column("int64"),
        "scale_max": Column("int64"),
        "reference_id": _id(),
        "note": Column(**_optional_text),
    },
    unique=["instrument", "item_id"],
)

RATINGS = _schema(
    {
        "source_id": _id(),
        "instrument": _choice(INSTRUMENT),
        "item_id": _id(),
        "score": Column("Int64", nullable=True),  # empty = not applicable (DISCERN section 2 only)
        "justification": Column(**_text),
        "justification_zh": Column(**_text),  # the same in Chinese, shown in 中文 mode
        "evidence": Column(**_optional_text),  # source_id:start-end of the quote, if any
        "quote": Column(**_optional_text),
    },
    unique=["source_id", "instrument", "item_id"],
)

BENCHMARKS = _schema(
    {
        "instrument": Column(**_text),
        "study": Column(**_text),
        "population": Column(**_text),
        "statistic": Column(**_text),
        "value_low": Column("float64", nullable=True),
        "value_high": Column("float64", nullable=True),
        "reference_id": _id(),
        "status": _choice(REFERENCE_STATUS),
        "note": Column(**_optional_text),
    }
)

CONCLUSIONS = _schema(
    {"source_id": _id(unique=True), "conclusion_en": Column(**_text), "conclusion_zh": Column(**_text)}
)

# Written as true/false in the CSV (so a typo such as "yes" is caught), handed out as bool.
BOOLEAN_COLUMNS = {"taxonomy": ["can_t_miss"], "lexicon": ["page_only"]}

SCHEMAS = {
    "sources": SOURCES,
    "segments": SEGMENTS,
    "taxonomy": TAXONOMY,
    "lexicon": LEXICON,
    "cause_names": CAUSE_NAMES,
    "mentions": MENTIONS,
    "references": REFERENCES,
    "findings": FINDINGS,
    "cause_findings": CAUSE_FINDINGS,
    "base_rates": BASE_RATES,
    "red_flags": RED_FLAGS,
    "body_regions": BODY_REGIONS,
    "organ_segments": ORGAN_SEGMENTS,
    "lab_presets": LAB_PRESETS,
    "treatments": TREATMENTS,
    "treatment_mentions": TREATMENT_MENTIONS,
    "rubric_items": RUBRIC_ITEMS,
    "ratings": RATINGS,
    "benchmarks": BENCHMARKS,
    "conclusions": CONCLUSIONS,
}


def _shown(written, failure_case) -> str:
    """The value as the person typed it, quoted: '2', not np.float64(2.0)."""
    if isinstance(written, str):
        return repr(written)
    value = failure_case.item() if hasattr(failure_case, "item") else failure_case
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(str(value))


def _schema_problems(file: str, error: pa.errors.SchemaErrors, frame: pd.DataFrame | None = None) -> list[Problem]:
    """pandera's failure cases as sentences for a person editing the file (never a check's name or pattern)."""
    problems = []
    together: dict[int, list] = {}  # rows that repeat a combination of columns that must be unique together
    cases = error.failure_cases
    # A column with a value that is not a number is reported once per such value; pandera then also
    # fails its dtype, and its range check on the text: echoes of the same root cause, left out.
    uncoerced = set(cases.column[cases.check.astype(str).str.startswith("coerce_dtype")])
    for case in cases.itertuples(index=False):
        column = None if pd.isna(case.column) else str(case.column)
        row = None if pd.isna(case.index) else csv_row(case.index)
        check = str(case.check)
        if column in uncoerced and (check.startswith("dtype(") or (row is None and check.startswith("must "))):
            continue
        written = (
            frame[column].iat[int(case.index)]
            if frame is not None and column in frame and pd.notna(case.index)
            else None
        )
        value = _shown(written, case.failure_case)
        if check == "column_in_dataframe":
            problems.append(Problem(file, None, str(case.failure_case), "required column is missing", whole_file=True))
        elif check == "column_in_schema":
            problems.append(
                Problem(
                    file,
                    None,
                    str(case.failure_case),
                    "unexpected column (not one this table has: see data/README.md)",
                    whole_file=True,
                )
            )
        elif check.startswith("not_nullable") and isinstance(written, str) and written.strip():
            problems.append(Problem(file, row, column, f"{value} is not a number"))
        elif check.startswith("not_nullable"):
            problems.append(Problem(file, row, column, "must not be empty"))
        elif check.startswith("coerce_dtype"):
            kind = "a whole number" if "int" in check.lower() else "a number"
            problems.append(Problem(file, row, column, f"{value} is not {kind}"))
        elif check.startswith("field_uniqueness"):
            problems.append(
                Problem(file, row, column, f"{value} is on more than one row: each row needs its own {column}")
            )
        elif check.startswith("multiple_fields_uniqueness") and row is not None:
            together.setdefault(row, []).append((column, value))
        elif check == "must not be empty":  # a cell holding '' (a CSV's empty cell is caught as missing)
            problems.append(Problem(file, row, column, check))
        elif check.startswith("must "):  # a check written in the words of the person editing the file
            problems.append(Problem(file, row, column, f"{value} {check}"))
        else:  # not expected: every check in SCHEMAS has a message (tests/test_validation.py)
            problems.append(Problem(file, row, column, f"{value} is not allowed here: see data/README.md"))
    for row, cells in together.items():
        columns = " and ".join(c for c, _ in cells)
        values = ", ".join(v for _, v in cells)
        problems.append(Problem(file, row, cells[0][0], f"another row has the same {columns} ({values})"))
    return problems


def validate_table(name: str, frame: pd.DataFrame, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        table = SCHEMAS[name].validate(frame, lazy=True)
        for column in BOOLEAN_COLUMNS.get(name, []):
            table[column] = table[column] == "true"
        return table, []
    except pa.errors.SchemaErrors as error:
        return None, _schema_problems(file, error, frame)
