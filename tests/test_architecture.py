"""The shape of the code, checked: layers import only downwards, lint and format are clean, no module
reaches into another's private names, and the README's layout names every module there is."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lib" / "backpain"
BIN = Path(sys.executable).parent
CODE = ["lib", "tests", "benchmarks", "notebooks", "conftest.py"]


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_layers_import_only_downwards():
    """import-linter with the contract in pyproject.toml (teaching > ui > sources > knowledge >
    reasoning > vocab > i18n)."""
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_ruff_finds_nothing_to_lint():
    result = run(str(BIN / "ruff"), "check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing_to_reformat():
    result = run(str(BIN / "ruff"), "format", "--check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def python_sources():
    """(name, source) for every module, test, benchmark and notebook code cell."""
    for folder in ("lib", "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        yield path.name, "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))


def private_uses(source: str) -> list[str]:
    """Names with a leading underscore imported from, or read off, another module."""
    tree = ast.parse(source)
    modules = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            found += [f"from {node.module or '.'} import {a.name}" for a in node.names if a.name.startswith("_")]
            modules |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if any(p.startswith("_") for p in a.name.split("."))]
            modules |= {(a.asname or a.name).split(".")[0] for a in node.names}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    offences = {name: uses for name, source in python_sources() if (uses := private_uses(source))}
    assert not offences, offences


def test_the_private_name_check_catches_what_it_should():
    assert private_uses("from backpain.ui.theme import _layout") == ["from backpain.ui.theme import _layout"]
    assert private_uses("from backpain.sources import ingest\ningest._replace(1)") == ["ingest._replace"]
    assert private_uses("import os\nos.path.join('a')\nx = self._y") == []


@pytest.mark.parametrize("module", sorted(p.relative_to(PACKAGE.parent) for p in PACKAGE.rglob("*.py")), ids=str)
def test_every_module_says_why_it_exists(module):
    tree = ast.parse((PACKAGE.parent / module).read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{module} has no docstring"


def test_readme_layout_names_every_module_and_folder():
    """The README's layout tree is the code's: each subpackage and module of lib/backpain is named there,
    and nothing is named that does not exist."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :]
    layout = layout[: layout.index("\n## ", 4)]
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name != "__init__.py":
            assert re.search(rf"\b{re.escape(path.name)}\b", layout), f"README layout does not name {path.name}"
    for folder in sorted(p for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        assert f"{folder.name}/" in layout, f"README layout does not name {folder.name}/"
    existing = {path.name for folder in CODE for path in (ROOT / folder).rglob("*.py")}  # not the venv's 9,000
    for named in re.findall(r"\b([a-z_]+\.py)\b", layout):
        assert named in existing, f"README layout names {named}, which does not exist"
