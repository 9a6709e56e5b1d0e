"""Notebooks follow the conventions in DESIGN.md; their execution is nbval's job (make test)."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_notebooks_exist_in_teaching_order():
    names = [p.name for p in NOTEBOOKS]
    assert names[:3] == ["00_start_here.ipynb", "01_sources.ipynb", "02_cause_taxonomy.ipynb"]
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", n) for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    """Outputs are made by running the notebook; the only ones stored are the expected outputs of the
    cells nbval compares (tagged nbval-check-output, and keep_output so nbstripout leaves them)."""
    for cell in cells(path):
        if cell["cell_type"] == "code" and "nbval-check-output" not in cell["metadata"].get("tags", []):
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opening_and_closing_conventions(path):
    cs = cells(path)
    opening = "".join(cs[0]["source"])
    assert opening.startswith("# ")
    for part in ("What you will learn", "What you need", "Estimated time"):
        assert part in opening, f"{path.name}: opening lacks '{part}'"
    assert "## Key points" in "".join(cs[-1]["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_are_short_calls_into_the_library(path):
    for cell in cells(path):
        if cell["cell_type"] == "code":
            lines = [ln for ln in "".join(cell["source"]).splitlines() if ln.strip() and not ln.strip().startswith("#")]
            assert len(lines) <= 10, f"{path.name}: a {len(lines)}-line code cell belongs in lib/"
            assert "def " not in "".join(cell["source"]), f"{path.name}: define functions in lib/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_interactive_cells_define_nothing_later_cells_need(path):
    """Static exports skip cells tagged 'interactive'; nothing after them may depend on them."""
    import ast

    cs = [c for c in cells(path) if c["cell_type"] == "code"]
    for i, cell in enumerate(cs):
        if "interactive" in cell["metadata"].get("tags", []):
            tree = ast.parse("".join(cell["source"]))
            names = {
                t.id
                for node in ast.walk(tree)
                if isinstance(node, ast.Assign)
                for t in node.targets
                if isinstance(t, ast.Name)
            }
            later = "".join("".join(c["source"]) for c in cs[i + 1 :])
            assert not any(n in later for n in names), f"{path.name}: {names} used after an interactive cell"


NBVAL_COMMENT = re.compile(r"#\s*(NBVAL_|PYTEST_VALIDATE_)")


def nbval_tags():
    from nbval.plugin import metadata_tags

    return set(metadata_tags)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbval_markers_are_cell_tags_not_comments(path):
    """Students should not read test machinery: nbval markers live in the cell's tags, never in its code."""
    known = nbval_tags()
    for n, cell in enumerate(c for c in cells(path) if c["cell_type"] == "code"):
        assert not NBVAL_COMMENT.search("".join(cell["source"])), (
            f"{path.name} code cell {n}: make the NBVAL_ comment a tag"
        )
        for tag in cell["metadata"].get("tags", []):
            if tag.startswith("nbval") or tag == "raises-exception":
                assert tag in known, f"{path.name} code cell {n}: nbval does not know the tag {tag!r}"


def test_every_checked_cell_has_an_output_to_compare():
    unchecked = [
        f"{path.name} code cell {n}"
        for path in NOTEBOOKS
        for n, cell in enumerate(c for c in cells(path) if c["cell_type"] == "code")
        if "nbval-check-output" in cell["metadata"].get("tags", [])
        and (not cell["outputs"] or cell["execution_count"] is None or "keep_output" not in cell["metadata"]["tags"])
    ]
    assert not unchecked, f"tagged nbval-check-output but nothing stored to compare (or kept): {unchecked}"
    checked = sum("nbval-check-output" in c["metadata"].get("tags", []) for p in NOTEBOOKS for c in cells(p))
    assert checked >= 6
