"""The bad-input battery: hundreds of odd inputs across the families a class produces (tables edited
in a spreadsheet, a hand-written cases.yaml, calls to the engine and the lab, hostile text inside the
data). Each input must end in a result or in the workbook's own error with a plain message: never a
traceback of another kind, never a hang (pytest-timeout), never markup that could run or fetch.
Odd files and folders for ingest are in test_ingest_bad_input.py.
"""

import html
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backpain import DataError
from backpain.knowledge.base import DEFAULT_DATA_DIR
from backpain.knowledge.cases import parse
from backpain.knowledge.reading import read_csv
from backpain.knowledge.schema import validate_table
from backpain.knowledge.tables import FILES
from backpain.reasoning.engine import FindingError
from backpain.ui.lab import DifferentialLab

pytestmark = pytest.mark.timeout(120)
QUICK = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# --- 1. tables edited in a spreadsheet -----------------------------------------------------------------
TABLES = ["findings", "cause_findings", "red_flags", "taxonomy", "lab_presets", "base_rates", "body_regions"]
MUTATIONS = {
    "gb18030": lambda raw: raw.decode("utf-8").encode("gb18030"),
    "utf-16": lambda raw: raw.decode("utf-8").encode("utf-16"),
    "excel ?": lambda raw: raw.decode("utf-8").encode("ascii", errors="replace"),
    "semicolons": lambda raw: raw.replace(b",", b";"),
    "tabs": lambda raw: raw.replace(b",", b"\t"),
    "empty": lambda raw: b"",
    "header only": lambda raw: raw.split(b"\n", 1)[0] + b"\n",
    "cut mid-line": lambda raw: raw[: len(raw) // 2],
    "extra field": lambda raw: raw.replace(b"\n", b",extra\n", 2).replace(b",extra\n", b"\n", 1),
    "unbalanced quote": lambda raw: raw.replace(b"\n", b'\n"', 2),
    "first column gone": lambda raw: b"\n".join(line.split(b",", 1)[-1] for line in raw.split(b"\n")),
    "NUL bytes": lambda raw: raw[:100] + b"\x00" * 50 + raw[100:],
    "CRLF": lambda raw: raw.replace(b"\n", b"\r\n"),
    "BOM": lambda raw: b"\xef\xbb\xbf" + raw,
    "script in text": lambda raw: raw.replace(b"\n", b"\n", 1).replace(b",", b",<script>alert(1)</script>", 1),
    "formula": lambda raw: raw.replace(b"\n", b'\n=HYPERLINK("http://x")', 1),
}


TECHNICAL = re.compile(
    r"\^\[|\]\*\$|\\d|str_matches|str_length|isin\(|in_range|greater_than|less_than|coerce_dtype|dtype\(|"
    r"not_nullable|uniqueness|Check\(|np\.(int|float)|fails "
)


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_an_edited_table_is_read_or_refused_in_plain_words(tmp_path, table, mutation):
    path = tmp_path / Path(FILES[table]).name
    path.write_bytes(MUTATIONS[mutation]((DEFAULT_DATA_DIR / FILES[table]).read_bytes()))
    frame, problems = read_csv(path, path.name)
    if frame is not None:
        _, more = validate_table(table, frame, path.name)
        problems += more
    for problem in problems:
        text = str(problem)
        assert text.startswith(path.name) and "Traceback" not in text and "object at 0x" not in text, text
        assert not TECHNICAL.search(problem.reason), text  # no pattern, no check name: words for a spreadsheet
        assert len(text) < 400
    if mutation in ("CRLF", "BOM"):
        assert not problems  # harmless saves must stay harmless
    has_chinese = b"_zh" in (DEFAULT_DATA_DIR / FILES[table]).read_bytes().split(b"\n", 1)[0]
    if mutation in ("gb18030", "utf-16", "semicolons", "empty") or (mutation == "excel ?" and has_chinese):
        assert problems  # nothing is silently lost


@QUICK
@given(st.binary(max_size=300))
def test_random_bytes_as_a_table_never_crash_the_reader(tmp_path, raw):
    path = tmp_path / "findings.csv"
    path.write_bytes(raw)
    frame, _problems = read_csv(path, "findings.csv")
    if frame is not None:
        validate_table("findings", frame, "findings.csv")


# --- 2. a hand-written cases.yaml ---------------------------------------------------------------------
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "case_id",
                    "present",
                    "absent",
                    "answer",
                    "cause_id",
                    "teaching_points",
                    "en",
                    "zh",
                    "cite",
                    "title_en",
                    "stem_en",
                    "also_accept",
                    "urgency",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=120, deadline=None)
@given(YAML_VALUES)
def test_any_yaml_shape_gets_a_case_and_field_message(kb, value):
    import yaml

    try:
        parse(yaml.safe_dump(value, allow_unicode=True), kb)
    except DataError as error:
        assert "cases.yaml" in str(error) and len(str(error)) < 20_000


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_as_cases_yaml_is_parsed_or_refused(kb, text):
    try:
        parse(text, kb)
    except DataError as error:
        assert "cases.yaml" in str(error)


# --- 3. calls to the engine and the lab ---------------------------------------------------------------
ODD_IDS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(allow_nan=True),
    st.lists(st.one_of(st.text(max_size=30), st.integers(), st.none(), st.floats()), max_size=8),
    st.dictionaries(st.text(max_size=10), st.booleans(), max_size=3),
    st.lists(
        st.sampled_from(["assoc_fever", "loc_lumbar", "hx_age_over_70", "hx_age_over_50", "agg_movement"]), max_size=5
    ),
)


@settings(max_examples=150, deadline=None)
@given(ODD_IDS, ODD_IDS)
def test_any_call_to_the_engine_returns_or_says_why(kb, present, absent):
    try:
        d = kb.differential(present, absent)
    except FindingError as error:
        assert 0 < len(str(error)) < 800
        return
    assert math.isclose(d.posterior.sum(), 1.0) and d.urgency in ("emergency", "same_day", "soon", "routine")


@pytest.mark.parametrize("n", ["3", -1, 2.5, None, True, 10**9])
def test_top_takes_a_whole_number(kb, n):
    d = kb.differential()
    if isinstance(n, int) and not isinstance(n, bool) and n >= 0:
        assert len(d.top(n)) == len(d.ranking)
    else:
        with pytest.raises(ValueError):
            d.top(n)


@pytest.fixture(scope="module")
def lab(kb):
    return DifferentialLab(kb, lang="en")


@QUICK
@given(ODD_IDS, ODD_IDS)
def test_any_findings_set_in_the_lab_redraw_or_show_a_message(lab, present, absent):
    before = lab.findings_set()
    lab.set_findings(present, absent)
    if "color:#b30000" in lab.message.value:
        assert lab.findings_set() == before  # a refused set changes nothing
    lab.reset()


# --- 4. hostile text inside the data ---------------------------------------------------------------
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<span style="background:url(http://example.com/x)">x</span>',
    '"><iframe src=//example.com>',
    "' onmouseover='alert(1)",
    "<b onclick=alert(1)>b</b>",
    "&lt;script&gt;",
    "<style>@import url(http://example.com)</style>",
]
LIVE = re.compile(r"<(script|img|svg|iframe|style|a |span style)|on\w+=|javascript:", re.I)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_and_notes_are_text_in_every_panel_and_chart(kb, payload):
    """A payload in a cause's name and in a note reaches the why-panel, the flags panel, the ranking
    chart and the quiz feedback only as text."""
    from backpain.ui.differential_html import render_flags, render_why
    from backpain.ui.theme import plain

    engine = kb.engine
    names, notes = engine.causes.name_en.copy(), engine.links.note.copy()
    try:
        engine.causes.loc[engine.causes.index[0], "name_en"] = payload  # restored below
        engine.links.loc[engine.links.index[0], "note"] = payload
        first = engine.links.iloc[0]
        d = kb.differential(["loc_lumbar", "assoc_fever", first.finding_id])
        panels = render_flags(d, "en") + render_why(d, first.cause_id, kb.references, "en")
        assert html.escape(payload) in panels or payload not in panels
        assert not LIVE.search(panels.replace(html.escape(payload), ""))
        assert not re.search(r"<(?!/?(br|b|i|sup|sub)>)", plain(payload))  # chart labels: no tag survives
    finally:
        engine.causes["name_en"] = names
        engine.links["note"] = notes
