"""Broken tables fail with the message a person editing them needs: file, row, column, reason."""

import pandas as pd
import pytest

from backpain import DataError
from backpain.__main__ import main as cli
from backpain.knowledge.base import build


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
    assert "taxonomy.csv, row 2, column 'origin': value 'cosmic' fails isin" in msg
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
