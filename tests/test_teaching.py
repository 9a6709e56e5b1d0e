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


def test_projected_apps_leave_out_what_instructor_copies_and_printouts_are_tagged_with(tmp_path):
    """Solutions, instructor printouts and "run this code" exercises are hidden in Voilà; student cells are not."""
    assert cli(["instructor", "--out", str(tmp_path)]) == 0
    hidden_in_students = 0
    for path in NOTEBOOKS:
        student = nbformat.read(path, as_version=4)
        copy = nbformat.read(tmp_path / path.name, as_version=4)
        assert all(
            instructor.hidden_in_apps(c) for c in copy.cells if instructor.SOLUTION_TAG in c.metadata.get("tags", [])
        )
        # the copy keeps the student notebook's tags, so its app hides the same cells and the solutions
        student_tags = [c.metadata.get("tags", []) for c in student.cells]
        copy_tags = [
            c.metadata.get("tags", []) for c in copy.cells if instructor.SOLUTION_TAG not in c.metadata.get("tags", [])
        ]
        assert copy_tags == student_tags, path.name
        hidden = [c for c in student.cells if instructor.hidden_in_apps(c)]
        hidden_in_students += len(hidden)
        for cell in hidden:  # never the widgets the app exists for, nor a heading that starts a slide
            assert "interactive" not in cell.metadata.get("tags", []), path.name
            assert not cell.source.startswith("# "), path.name
        assert len(hidden) < len(student.cells) / 2, f"{path.name}: the app would lose most of the notebook"
    assert hidden_in_students >= 10
    quiz = nbformat.read(ROOT / "notebooks" / "07_case_quiz.ipynb", as_version=4)
    assert any("(for instructors)" in c.source and instructor.hidden_in_apps(c) for c in quiz.cells)


def test_instructor_copies_run_with_their_solutions(tmp_path):
    """Every solution cell of every instructor copy runs and prints its numbers.

    nbval already runs each student notebook, so this runs, per copy, only what a solution needs: the code
    cells up to its last solution, without the 'interactive' widget cells (nothing later may use them,
    see test_notebooks). All copies share one kernel, its namespace reset between copies, reached over
    Unix sockets in tmp_path (no TCP port to clash with a parallel worker): one start-up and one import
    of the library instead of nine.
    """
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    out = tmp_path / "instructor"
    assert instructor.run(out) == 0
    km = KernelManager(kernel_name="python3", transport="ipc", connection_file=str(tmp_path / "kernel.json"))
    client = NotebookClient(
        nbformat.v4.new_notebook(), km=km, timeout=300, startup_timeout=300, resources={"metadata": {"path": str(out)}}
    )
    ran = []
    with client.setup_kernel():
        for path in NOTEBOOKS:
            copy = nbformat.read(out / path.name, as_version=4)
            code = [i for i, c in enumerate(copy.cells) if c.cell_type == "code"]
            solutions = [i for i in code if "solution" in copy.cells[i].metadata.get("tags", [])]
            if not solutions:
                assert copy == nbformat.read(path, as_version=4), f"{path.name}: no solution, yet the copy differs"
                continue
            copy.cells.append(nbformat.v4.new_code_cell("%reset -f"))  # run first: nothing left from the last copy
            client.nb = copy
            for i in [len(copy.cells) - 1] + [i for i in code if i <= solutions[-1]]:
                if "interactive" in copy.cells[i].metadata.get("tags", []):
                    continue
                try:
                    client.execute_cell(copy.cells[i], i)
                except CellExecutionError as error:
                    raise AssertionError(f"{path.name}, cell {i}: {error}") from None
            for i in solutions:
                printed = "".join(o.get("text", "") for o in copy.cells[i].outputs if o.get("name") == "stdout")
                assert any(ch.isdigit() for ch in printed), f"{path.name}: solution cell {i} printed no numbers"
            ran.append(path.name)
    assert len(ran) >= 7, ran


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
