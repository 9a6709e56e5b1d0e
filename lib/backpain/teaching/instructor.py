"""`python -m backpain instructor [--out DIR]`: instructor copies of the notebooks, with worked solutions.

Student notebooks never contain answers. Solutions live in instructor/solutions.yaml, keyed by
exercise number; this script copies each notebook and inserts, after every "### Exercise N" cell,
a solution cell (English and Chinese) and, where given, a code cell that reproduces the numbers.

The same cell tags decide what a projected app leaves out: the Voilà template of `make present`
(share/jupyter/voila/templates/backpain/index.html.j2) removes every cell tagged with one of
HIDDEN_IN_APPS before running the notebook. "instructor" marks printouts kept for instructors (and for
nbval to check figures), "exercise" marks "run this code" tasks meant for JupyterLab, "handout" marks
a static picture of a live widget shown above it (for the exported hand-out), and "solution" marks the
cells this script adds. Students opening the notebooks in JupyterLab still see every cell.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
SOLUTIONS = ROOT / "instructor" / "solutions.yaml"
EXERCISE = re.compile(r"^### Exercise (\d+)", re.M)
SOLUTION_TAG = "solution"
HIDDEN_IN_APPS = ("instructor", "exercise", "handout", SOLUTION_TAG)


def hidden_in_apps(cell) -> bool:
    """True for a cell the projected app (Voilà, `make present`) leaves out."""
    return bool(set(cell.metadata.get("tags", [])) & set(HIDDEN_IN_APPS))


def exercises(nb) -> dict[int, int]:
    """exercise number → index of its markdown cell."""
    found = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and (m := EXERCISE.search(cell.source)):
            found[int(m.group(1))] = i
    return found


def instructor_copy(nb, solutions: dict) -> object:
    """A copy of the notebook with a solution after each exercise; KeyError if one is missing."""
    import copy

    import nbformat

    out = copy.deepcopy(nb)
    for number, index in sorted(exercises(nb).items(), reverse=True):
        sol = solutions[f"exercise_{number}"]
        cells = [
            nbformat.v4.new_markdown_cell(
                f"#### ✅ Solution to exercise {number} (instructor copy) · 练习 {number} 参考答案\n\n"
                f"{sol['answer_en'].strip()}\n\n---\n\n{sol['answer_zh'].strip()}"
            )
        ]
        if sol.get("code"):
            cells.append(nbformat.v4.new_code_cell(sol["code"].strip()))
        for cell in cells:
            cell.metadata["tags"] = [SOLUTION_TAG]
        out.cells[index + 1 : index + 1] = cells
    return out


def run(out_dir: Path) -> int:
    import nbformat

    out_dir.mkdir(parents=True, exist_ok=True)
    solutions = yaml.safe_load(SOLUTIONS.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        try:
            copy = instructor_copy(nb, solutions)
        except KeyError as missing:
            print(f"{path.name}: no solution for {missing} in {SOLUTIONS}", file=sys.stderr)
            return 1
        nbformat.write(copy, out_dir / path.name)
        print(f"{path.name}: {len(exercises(nb))} solution(s) → {out_dir / path.name}")
    return 0
