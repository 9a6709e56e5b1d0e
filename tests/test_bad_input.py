"""Files edited by hand or in a spreadsheet, and hand-written cases.yaml: every bad one gets a clear,
specific message naming the file (and line or case where known), never a traceback, and nothing is
silently lost."""

import pytest

from backpain import DataError
from backpain.knowledge.base import build
from backpain.knowledge.cases import parse

FINDINGS = "findings.csv"


def _break(data_dir, fn):
    path = data_dir / FINDINGS
    path.write_bytes(fn(path.read_bytes()))


def _problems(data_dir) -> str:
    with pytest.raises(DataError) as info:
        build(data_dir)
    return str(info.value)


def _excel_question_marks(raw: bytes) -> bytes:
    """What Excel's 'CSV (Comma delimited)' does to Chinese on an English Windows: every character it
    cannot encode becomes '?', and the file is otherwise valid."""
    return raw.decode("utf-8").encode("ascii", errors="replace")


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda raw: raw.decode("utf-8").encode("gb18030"), "findings.csv, row"),
        (lambda raw: raw.decode("utf-8").encode("utf-16"), "saved as UTF-16"),
        (lambda raw: b"", "the file is empty"),
        (lambda raw: raw.replace(b",", b";"), "separated by semicolons"),
        (lambda raw: raw.replace(b"\n", b"\nx,", 3), "fields where the header has"),
        (lambda raw: raw.replace(b"loc_lumbar,", b'loc_lumbar,"', 1), "unbalanced double quote"),
        (_excel_question_marks, "Chinese values are only question marks"),
    ],
)
def test_spreadsheet_mishaps_get_a_plain_message(data_copy, edit, message):
    _break(data_copy, edit)
    text = _problems(data_copy)
    assert message in text and "Traceback" not in text
    assert "findings.csv" in text.splitlines()[1]  # the root cause is listed first


def test_not_utf8_names_the_fix(data_copy):
    _break(data_copy, lambda raw: raw.decode("utf-8").encode("gb18030"))
    assert "not UTF-8" in _problems(data_copy) and "CSV UTF-8" in _problems(data_copy)


def test_a_byte_order_mark_is_harmless(data_copy):
    _break(data_copy, lambda raw: b"\xef\xbb\xbf" + raw)
    assert len(build(data_copy).findings) > 100


@pytest.mark.parametrize(
    "text, message",
    [
        ("- &a {case_id: x}\n- *a\n", "aliases (*name) are not allowed"),
        ("- case_id: x\n  case_id: y\n", "appears twice"),
        ("- case_id: x\n  answer: yes\n", "field 'answer': must be a mapping"),
        ("- case_id: x\n  present: 5\n", "field 'present': must be a list of finding ids"),
        ("- case_id: x\n  present: [[loc_lumbar]]\n", "field 'present': must be a list of finding ids"),
        ("- case_id: [x]\n", "case '#1'"),
        ("[" * 5000, "not valid YAML"),
        ("just some text", "must be a list of cases"),
    ],
)
def test_hand_written_cases_get_the_case_and_field(kb, text, message):
    with pytest.raises(DataError) as info:
        parse(text, kb)
    assert message in str(info.value)


def test_cases_in_another_encoding_say_so(kb):
    with pytest.raises(DataError, match="not UTF-8"):
        parse("- case_id: 病例\n".encode("gbk"), kb)
    with pytest.raises(DataError, match="UTF-16"):
        parse("- case_id: x\n".encode("utf-16"), kb)


def test_markup_in_data_never_reaches_a_chart_label():
    """A name with a tag (and a CSS url() a browser would fetch) is drawn as text; the workbook's own
    <br> and <b> stay. Every chart goes through ui.theme.layout, where this happens."""
    import plotly.graph_objects as go

    from backpain.ui.theme import layout

    evil = '<span style="background:url(http://example.com/x.png)">Strain</span>'
    fig = go.Figure(go.Bar(y=[evil, "plain"], x=[1, 2], hovertext=[evil + "<br><b>ok</b>", "x"], name=evil))
    fig.add_annotation(text=evil)
    fig = layout(fig, evil)
    bar = fig.data[0]
    for text in (bar.y[0], bar.hovertext[0], bar.name, fig.layout.annotations[0].text, fig.layout.title.text):
        assert "<span" not in text and "&lt;span" in text
    assert bar.hovertext[0].endswith("<br><b>ok</b>") and bar.y[1] == "plain"


def _edit_csv(data_dir, name, fn):
    import pandas as pd

    table = pd.read_csv(data_dir / name, dtype=str, keep_default_na=False)
    fn(table)
    table.to_csv(data_dir / name, index=False)


@pytest.mark.parametrize(
    "name, edit, message",
    [
        (
            "body_regions.csv",
            lambda t: t.loc.__setitem__((0, "levels"), "T99-T6"),
            "'T99-T6' must be a range of spinal segments",
        ),
        (
            "organ_segments.csv",
            lambda t: t.loc.__setitem__((0, "levels"), "L5-C1"),
            "'L5-C1' must be a range of spinal segments, top first",
        ),
        (
            "lab_presets.csv",
            lambda t: t.loc.__setitem__((0, "absent"), t.present[0].split(";")[0]),
            "also marked present",
        ),
        ("cause_findings.csv", lambda t: t.loc.__setitem__((0, "frequency"), "high"), "'high' is not a number"),
        ("findings.csv", lambda t: t.loc.__setitem__((0, "background"), "NaN"), "'NaN' is not a number"),
        ("red_flags.csv", lambda t: t.loc.__setitem__((0, "min_count"), "two"), "'two' is not a whole number"),
        (
            "taxonomy.csv",
            lambda t: t.loc.__setitem__((0, "cause_id"), "Lumbar Strain"),
            "'Lumbar Strain' must be a snake_case id such as lumbar_muscle_strain",
        ),
        (
            "red_flags.csv",
            lambda t: t.loc.__setitem__((0, "urgency"), "asap"),
            "'asap' must be one of: emergency, same_day, soon, routine",
        ),
        ("red_flags.csv", lambda t: t.loc.__setitem__((0, "min_count"), "0"), "'0' must be a whole number, 1 or more"),
    ],
)
def test_values_that_would_break_a_notebook_are_refused_in_plain_words(data_copy, name, edit, message):
    _edit_csv(data_copy, name, edit)
    assert message in _problems(data_copy)


@pytest.mark.timeout(60)
def test_a_long_page_with_many_mentions_renders_in_one_sweep(kb):
    """100,000 mentions on a 2 MB page: drawn in linear time (this once took minutes)."""
    import pandas as pd

    from backpain.ui.page_html import render_page

    text = "lumbar strain and back pain " * 75_000
    ids = list(kb.causes.index[:20])
    mentions = pd.DataFrame(
        {"start": range(0, 2_000_000, 20), "cause_id": [ids[i % 20] for i in range(100_000)], "stance": "cause"}
    ).assign(end=lambda t: t.start + 6)
    page = render_page(
        text,
        "long",
        "en",
        pd.DataFrame([{"start": 0, "end": len(text), "kind": "body", "heading": None}]),
        mentions,
        kb.causes,
        "en",
    )
    assert page.html.count('class="bp-mention"') == 100_000
