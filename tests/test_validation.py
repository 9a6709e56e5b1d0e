"""Broken tables fail with the message a person editing them needs: file, row, column, reason."""

import re

import pandas as pd
import pytest

from backpain import DataError
from backpain.__main__ import main as cli
from backpain.knowledge import integrity
from backpain.knowledge.base import build
from backpain.knowledge.reading import read_csv
from backpain.knowledge.schema import ID_RULE, SCHEMAS, validate_table
from backpain.knowledge.tables import FOREIGN_KEYS, TABLES, TARGETS, ForeignKey

# What a person editing a spreadsheet must never be shown: a pattern, a pandera check's name, a repr.
NOT_PLAIN = re.compile(
    r"\^|\$|\[a-z|\[0-9|\[A-Z|\\d|\(\?|\.\*|str_matches|str_length|isin|in_range|greater_than|less_than|"
    r"equal_to|not_nullable|coerce_dtype|dtype\(|uniqueness|column_in|Check\(|<Check|np\.|numpy|TypeError|fails "
)


def _plain(problem) -> bool:
    """True if the reason (with the value the person typed, quoted at its start, set aside) is plain words."""
    return not NOT_PLAIN.search(re.sub(r"^'[^']*' ", "", problem.reason))


def _edit(path, fn):
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    fn(table).to_csv(path, index=False)


def _message(data_dir) -> str:
    with pytest.raises(DataError) as info:
        build(data_dir)
    return str(info.value)


def test_the_real_data_is_valid(kb):
    assert len(kb.source_ids) == 5


def test_missing_column_is_named(data_copy):
    _edit(data_copy / "taxonomy.csv", lambda t: t.drop(columns=["name_zh"]))
    assert "taxonomy.csv, column 'name_zh': required column is missing" in _message(data_copy)


def test_unknown_cause_id_points_at_the_row(data_copy):
    def corrupt(t):
        t.loc[3, "cause_id"] = "no_such_cause"
        return t

    _edit(data_copy / "mentions.csv", corrupt)
    assert "mentions.csv, row 5, column 'cause_id': unknown cause_id 'no_such_cause'" in _message(data_copy)


def test_offset_past_the_end_of_the_text(data_copy):
    def corrupt(t):
        t.loc[0, "end"] = "999999"
        return t

    _edit(data_copy / "mentions.csv", corrupt)
    msg = _message(data_copy)
    assert "mentions.csv, row 2, column 'end': offset 999999 is past the end of source" in msg


def test_quote_that_does_not_match_its_offsets(data_copy):
    def corrupt(t):
        t.loc[1, "quote"] = "something else"
        return t

    _edit(data_copy / "mentions.csv", corrupt)
    assert "mentions.csv, row 3, column 'quote':" in _message(data_copy)


def test_wrong_checksum_means_the_page_was_edited(data_copy):
    page = data_copy / "sources" / "zh_fujian.txt"
    page.write_bytes(page.read_bytes().replace("肺炎".encode(), "肺癌".encode(), 1))
    msg = _message(data_copy)
    assert "sources/sources.csv, row 3, column 'sha256': checksum mismatch for 'zh_fujian.txt'" in msg


def test_bad_choice_and_empty_required_cell(data_copy):
    def corrupt(t):
        t.loc[0, "origin"] = "cosmic"
        t.loc[1, "name_en"] = ""
        return t

    _edit(data_copy / "taxonomy.csv", corrupt)
    msg = _message(data_copy)
    assert "taxonomy.csv, row 2, column 'origin': 'cosmic' must be one of: spine, neurological, visceral," in msg
    assert "taxonomy.csv, row 3, column 'name_en': must not be empty" in msg


def test_segments_with_a_gap(data_copy):
    def corrupt(t):
        t.loc[1, "start"] = str(int(t.loc[1, "start"]) + 3)
        return t

    _edit(data_copy / "segments.csv", corrupt)
    assert "gap: characters" in _message(data_copy)


def test_validate_command_reports_ok_and_errors(data_copy, capsys):
    assert cli(["validate", "--data", str(data_copy)]) == 0
    assert "OK" in capsys.readouterr().out
    _edit(data_copy / "lexicon.csv", lambda t: t.assign(cause_id="nope"))
    assert cli(["validate", "--data", str(data_copy)]) == 1
    assert "lexicon.csv, row 2, column 'cause_id': unknown cause_id 'nope'" in capsys.readouterr().err


def test_handed_out_frames_cannot_change_the_knowledge_base(kb):
    tax = kb.taxonomy
    tax.loc[0, "name_en"] = "vandalised"
    assert kb.taxonomy.loc[0, "name_en"] != "vandalised"


# --- every check speaks plainly -----------------------------------------------------------------------
@pytest.mark.parametrize("name", list(SCHEMAS))
def test_every_check_has_a_message_in_plain_words(name):
    for column, spec in SCHEMAS[name].columns.items():
        for check in spec.checks:
            assert check.error and check.error.startswith("must "), (name, column, check)
            assert not NOT_PLAIN.search(check.error), (name, column, check.error)


NUMBERS_OUT_OF_RANGE = ["-5", "99999", "0"]  # numeric columns: a number, but outside the range
NOT_WHAT_THE_COLUMN_HOLDS = ["Not An Id", "x;;y", "", "2.5", "Lumbar-Strain"]


@pytest.mark.parametrize("name", list(TABLES))
def test_every_column_of_every_table_broken_is_refused_in_plain_words(data_copy, name):
    """Each column of the table in turn gets values it cannot hold; every check of that column must fire
    with its own sentence, and no message may show a pattern, a check's name or a Python repr. (The frame
    is broken in memory: an empty cell read from a CSV is missing, not '', and '' must be refused too.)"""
    file = TABLES[name].file
    frame, problems = read_csv(data_copy / file, file)
    assert frame is not None and not problems
    base = pd.concat([frame] * 4, ignore_index=True).head(8).copy()
    for column, spec in SCHEMAS[name].columns.items():
        mine = []
        for values in (NUMBERS_OUT_OF_RANGE, NOT_WHAT_THE_COLUMN_HOLDS):
            broken = base.copy()
            for row, value in enumerate(values):
                broken.loc[row, column] = value
            _, found = validate_table(name, broken, file)
            assert all(_plain(p) for p in found), [str(p) for p in found if not _plain(p)]
            mine += [p.reason for p in found if p.column == column]
        for check in spec.checks:
            assert any(check.error in reason for reason in mine), (name, column, check.error, mine)
        if spec.checks or not spec.nullable or "string" not in str(spec.dtype):
            assert mine, (name, column)


def test_one_break_of_each_kind_in_one_data_copy(data_copy):
    """Through build(), as a person editing the files meets them: each message in words, none technical."""
    edits = {
        "taxonomy.csv": {"cause_id": "Lumbar-Strain", "origin": "cosmic", "icd10": "m545", "name_en": ""},
        "findings.csv": {"background": "2", "group": "where"},
        "references.csv": {"year": "1800"},
        "base_rates.csv": {"prior": "0"},
        "red_flags.csv": {"min_count": "0", "trigger_findings": "assoc_fever;;loc_lumbar", "cause_ids": "a b"},
        "segments.csv": {"start": "-1"},
        "cause_findings.csv": {"frequency": "often"},
        "sources/sources.csv": {"sha256": "not-a-checksum"},
        "organ_segments.csv": {"levels": "L5-C1"},
    }
    for file, cells in edits.items():

        def corrupt(t, cells=cells):
            for column, value in cells.items():
                t.loc[0, column] = value
            return t

        _edit(data_copy / file, corrupt)
    _edit(data_copy / "lexicon.csv", lambda t: pd.concat([t, t.head(1)]))  # a repeated (language, term)
    _edit(data_copy / "mentions.csv", lambda t: t.drop(columns=["stance"]).assign(extra="x"))
    with pytest.raises(DataError) as info:
        build(data_copy)
    problems = info.value.problems
    assert all(_plain(p) for p in problems), [str(p) for p in problems if not _plain(p)]
    said = [str(p) for p in problems]
    for expected in [
        f"taxonomy.csv, row 2, column 'cause_id': 'Lumbar-Strain' {ID_RULE}",
        "taxonomy.csv, row 2, column 'origin': 'cosmic' must be one of: spine, neurological, visceral, serious_spinal",
        "taxonomy.csv, row 2, column 'icd10': 'm545' must be an ICD-10 code such as M54 or M54.5",
        "taxonomy.csv, row 2, column 'name_en': must not be empty",
        "findings.csv, row 2, column 'background': '2' must be a proportion from 0.001 to 0.95",
        "findings.csv, row 2, column 'group': 'where' must be one of: location, character,",
        "references.csv, row 2, column 'year': '1800' must be a year from 1900 to 2100",
        "base_rates.csv, row 2, column 'prior': '0' must be a proportion greater than 0 and at most 1",
        "red_flags.csv, row 2, column 'min_count': '0' must be a whole number, 1 or more",
        "red_flags.csv, row 2, column 'trigger_findings': 'assoc_fever;;loc_lumbar' must be finding ids, groups",
        "red_flags.csv, row 2, column 'cause_ids': 'a b' must be snake_case ids separated by ';'",
        "segments.csv, row 2, column 'start': '-1' must be 0 or more",
        "cause_findings.csv, row 2, column 'frequency': 'often' is not a number",
        "sources/sources.csv, row 2, column 'sha256': 'not-a-checksum' must be the page's SHA-256",
        "organ_segments.csv, row 2, column 'levels': 'L5-C1' must be a range of spinal segments, top first",
        "lexicon.csv, row 2, column 'language': another row has the same language and term",
        "mentions.csv, column 'stance': required column is missing",
        "mentions.csv, column 'extra': unexpected column",
    ]:
        assert any(line.startswith(expected) for line in said), (expected, said)
    # the files that cannot be used as they are come first, before any single row
    assert [p.column for p in problems[:2]] == ["extra", "stance"]


# --- foreign keys, declared once ------------------------------------------------------------------------
def _tables(kb):
    return {name: getattr(kb, name) for name in kb.table_names}


def test_every_id_column_is_a_key_or_a_declared_foreign_key():
    """A column that names rows of another table is in tables.FOREIGN_KEYS (or is checked by a named rule)."""
    declared = {(fk.table, fk.column) for fk in FOREIGN_KEYS}
    by_rule = {("ratings", "item_id"), ("rubric_items", "item_id")}  # (instrument, item_id) pairs: integrity.ratings
    for name, table in TABLES.items():
        for column in SCHEMAS[table.name].columns:
            names_ids = column.endswith("_id") or column in (
                "cause_ids",
                "trigger_findings",
                "unless",
                "present",
                "absent",
            )
            if names_ids and column != table.key and (name, column) not in by_rule:
                assert (name, column) in declared, (name, column)
    assert len(declared) == len(FOREIGN_KEYS) >= 27
    assert all(fk.table in TABLES and fk.target in TARGETS for fk in FOREIGN_KEYS)


@pytest.mark.parametrize("fk", FOREIGN_KEYS, ids=lambda fk: f"{fk.table}.{fk.column}")
def test_each_foreign_key_names_the_row_column_and_missing_id(kb, fk):
    tables = _tables(kb)
    assert not integrity.foreign_key(tables, fk)
    table = tables[fk.table].copy()
    row = table[fk.column].first_valid_index() if table[fk.column].notna().any() else table.index[0]
    table.loc[row, fk.column] = "no_such_thing" if not fk.many else f"{table.loc[row, fk.column]};no_such_thing"
    found = integrity.foreign_key({**tables, fk.table: table}, fk)
    key = TABLES[TARGETS[fk.target].table].key
    assert [str(p) for p in found] == [
        f"{TABLES[fk.table].file}, row {row + 2}, column '{fk.column}': unknown {key} 'no_such_thing' "
        f"(not in {TABLES[TARGETS[fk.target].table].file})"
    ]


def test_a_category_where_a_cause_is_needed_says_so(kb):
    tables = _tables(kb)
    category = tables["taxonomy"].query("level == 'category'").cause_id.iloc[0]
    mentions = tables["mentions"].copy()
    mentions.loc[0, "cause_id"] = category
    found = integrity.foreign_key({**tables, "mentions": mentions}, ForeignKey("mentions", "cause_id", "cause"))
    assert [p.reason for p in found] == [f"'{category}' in taxonomy.csv has level 'category', not 'cause'"]


def test_the_cross_table_rules_are_named_functions_not_lambdas():
    assert integrity.foreign_keys in integrity.RULES
    assert not any(rule.__name__ == "<lambda>" for rule in integrity.RULES)


# --- the root cause first -------------------------------------------------------------------------------
def test_a_missing_page_is_one_problem_naming_its_file(data_copy):
    (data_copy / "sources" / "zh_fujian.txt").unlink()
    with pytest.raises(DataError) as info:
        build(data_copy)
    assert [str(p) for p in info.value.problems] == [
        "sources/sources.csv, row 3, column 'file': the page file 'sources/zh_fujian.txt' is missing: restore it "
        "(git checkout), or remove this row and every row that names 'zh_fujian'"
    ]


def test_a_changed_page_reports_its_checksum_first_and_once(data_copy):
    page = data_copy / "sources" / "zh_fujian.txt"
    text = page.read_text("utf-8")
    page.write_text(text[:100] + text[101:], "utf-8")  # one character gone: every later offset would shift
    with pytest.raises(DataError) as info:
        build(data_copy)
    problems = info.value.problems
    assert str(problems[0]).startswith("sources/sources.csv, row 3, column 'sha256': checksum mismatch for 'zh_fujian")
    assert len(problems) == 1, [str(p) for p in problems]


def test_a_changed_page_comes_before_the_row_problems_of_other_tables(data_copy):
    page = data_copy / "sources" / "zh_fujian.txt"
    page.write_bytes(page.read_bytes() + b"\n")

    def corrupt(t):
        t.loc[0, "cause_id"] = "no_such_cause"
        return t

    _edit(data_copy / "lexicon.csv", corrupt)
    with pytest.raises(DataError) as info:
        build(data_copy)
    said = [str(p) for p in info.value.problems]
    assert said[0].startswith("sources/sources.csv, row 3, column 'sha256': checksum mismatch")
    assert said[1] == "lexicon.csv, row 2, column 'cause_id': unknown cause_id 'no_such_cause' (not in taxonomy.csv)"
    assert len(said) == 2


def test_rows_naming_a_source_missing_from_sources_csv_are_each_named(data_copy):
    """The other way round: the page is there but its row in sources.csv is gone; each row citing it says so."""
    _edit(data_copy / "sources" / "sources.csv", lambda t: t[t.source_id != "zh_fujian"])
    with pytest.raises(DataError) as info:
        build(data_copy)
    said = {str(p).split(",")[0] for p in info.value.problems if "unknown source_id 'zh_fujian'" in str(p)}
    assert said == {
        "segments.csv",
        "mentions.csv",
        "treatment_mentions.csv",
        "cause_findings.csv",
        "quality/ratings.csv",
        "quality/conclusions.csv",
    }
