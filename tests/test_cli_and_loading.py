"""The command line, where the library finds its data, and load() seeing edits without a restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import backpain
from backpain.__main__ import main as cli
from backpain.knowledge.base import DEFAULT_DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("validate", "curate", "ingest", "export", "instructor")


def test_one_command_line_lists_every_command(capsys):
    assert cli(["--help"]) == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert command in out
    assert cli(["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_data_to_read_or_out_to_write(command, capsys):
    assert cli([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert ("--data" in out) != ("--out" in out), "a command reads a data folder or writes an output folder"


def test_python_dash_m_backpain_runs_from_anywhere(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "backpain", "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("OK: ") and str(DEFAULT_DATA_DIR) in run.stdout


def test_validate_reads_the_folder_named_by_data(data_copy, capsys):
    assert cli(["validate", "--data", str(data_copy)]) == 0
    assert str(data_copy) in capsys.readouterr().out
    (data_copy / "taxonomy.csv").write_text("cause_id\nx\n", encoding="utf-8")
    assert cli(["validate", "--data", str(data_copy)]) == 1
    assert "taxonomy.csv" in capsys.readouterr().err


def test_backpain_data_names_an_instructors_copy(data_copy, monkeypatch):
    monkeypatch.setenv("BACKPAIN_DATA", str(data_copy))
    assert backpain.load().path == data_copy.resolve()
    monkeypatch.delenv("BACKPAIN_DATA")
    assert backpain.load().path == DEFAULT_DATA_DIR.resolve()


def test_load_notices_an_edited_table_without_a_restart(data_copy):
    first = backpain.load(data_copy)
    assert backpain.load(data_copy) is first, "nothing changed: the cached knowledge base is served"
    taxonomy = data_copy / "taxonomy.csv"
    text = taxonomy.read_text(encoding="utf-8")
    assert "Lumbar muscle strain" in text
    taxonomy.write_text(text.replace("Lumbar muscle strain", "Lumbar muscle sprain", 1), encoding="utf-8")
    os.utime(taxonomy, ns=(taxonomy.stat().st_atime_ns, taxonomy.stat().st_mtime_ns + 1_000_000))
    second = backpain.load(data_copy)
    assert second is not first
    assert second.cause("lumbar_muscle_strain").name_en.startswith("Lumbar muscle sprain")
    assert backpain.load(data_copy, reload=True) is not second, "reload=True always rebuilds"


def test_an_installed_copy_finds_its_own_data(tmp_path):
    """Installed without a checkout (a plain copy of the package, symlinks resolved, as a wheel holds
    it), run from an unrelated folder: the package loads the data it carries."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "lib" / "backpain", site / "backpain", symlinks=False)
    code = "import backpain; kb = backpain.load(); print(kb.path); print(len(kb.causes))"
    env = {k: v for k, v in os.environ.items() if k != "BACKPAIN_DATA"}
    env["PYTHONPATH"] = str(site)
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    path, causes = run.stdout.split()
    assert Path(path) == (site / "backpain" / "data").resolve() and int(causes) > 50


def test_the_package_data_globs_carry_every_data_file():
    """pyproject's package-data (read through lib/backpain/data, the link to data/) names every file
    git tracks in data/, so a wheel built from the repository carries all of them (checked by hand with
    `pip wheel .`: 38 of 38 files; building one here would need the network for build isolation)."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["backpain"]
    package = ROOT / "lib" / "backpain"
    carried = {p.relative_to(package / "data").as_posix() for g in globs for p in package.glob(g) if p.is_file()}
    listed = subprocess.run(["git", "ls-files", "-z", "data"], cwd=ROOT, capture_output=True, text=True).stdout
    tracked = {t.removeprefix("data/") for t in listed.split("\0") if t}
    assert len(tracked) > 30 and tracked <= carried, sorted(tracked - carried)
