"""Teaching flow: instructor copies, slides, and one language setting for everything."""

import json
from pathlib import Path

import nbformat
import pytest
import yaml

import backpain
from backpain import i18n
from backpain.__main__ import main as cli
from backpain.sources import compare
from backpain.teaching import instructor
from backpain.ui import source_charts
from backpain.ui.browsers import SourceBrowser
from backpain.ui.lab import DifferentialLab
from backpain.ui.quiz import CaseQuiz

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_instructor_copies_carry_solutions_that_student_notebooks_do_not(tmp_path):
    assert cli(["instructor", "--out", str(tmp_path)]) == 0
    solutions = yaml.safe_load(instructor.SOLUTIONS.read_text(encoding="utf-8"))
    for path in NOTEBOOKS:
        student = nbformat.read(path, as_version=4)
        copy = nbformat.read(tmp_path / path.name, as_version=4)
        numbers = instructor.exercises(student)
        tagged = [c for c in copy.cells if "solution" in c.metadata.get("tags", [])]
        assert len(tagged) >= len(numbers)
        for n in numbers:
            answer = solutions[f"exercise_{n}"]["answer_en"].strip().splitlines()[0]
            assert answer in "".join(c.source for c in tagged), path.name
            assert answer not in "".join(c.source for c in student.cells), f"{path.name} leaks a solution"
    assert sum(len(instructor.exercises(nbformat.read(p, as_version=4))) for p in NOTEBOOKS) >= 7


def test_a_missing_solution_is_reported(tmp_path, monkeypatch):
    broken = tmp_path / "solutions.yaml"
    data = yaml.safe_load(instructor.SOLUTIONS.read_text(encoding="utf-8"))
    data.pop("exercise_3")
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(instructor, "SOLUTIONS", broken)
    assert cli(["instructor", "--out", str(tmp_path / "out")]) == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_carry_slide_metadata(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type") for c in cells]
    assert None not in kinds and kinds[0] == "slide" and kinds.count("slide") >= 3


def test_one_language_setting_switches_charts_and_widgets(kb):
    try:
        backpain.set_language("zh")
        fig = source_charts.segment_composition(compare.segment_shares(kb.segments))
        assert "每个网页" in fig.layout.title.text
        assert "后背抽筋" in SourceBrowser(kb, "zh_fujian").page.value
        lab = DifferentialLab(kb)
        assert lab.language.value == "zh" and "教学模型" in lab.disclaimer.value
        assert CaseQuiz(kb).language.value == "zh"
    finally:
        backpain.set_language("en")
    assert i18n.language() == "en"
