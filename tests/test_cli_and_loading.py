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
from backpain.knowledge.cache import cached

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


LOAD_IN_A_NEW_KERNEL = (
    "import sys, backpain; kb = backpain.load(sys.argv[1]); print(len(kb.findings), 'pandera' in sys.modules)"
)


def load_in_a_new_process(data: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BACKPAIN_CACHE": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", LOAD_IN_A_NEW_KERNEL, str(data)], env=env, capture_output=True, text=True, timeout=120
    )


def test_a_new_kernel_reads_data_it_validated_before_from_the_disk_cache(data_copy, tmp_path):
    cache = tmp_path / "cache"
    first, second = load_in_a_new_process(data_copy, cache), load_in_a_new_process(data_copy, cache)
    count = first.stdout.split()[0]
    assert first.stdout.split() == [count, "True"], "the first kernel validates (pandera loaded)"
    assert second.stdout.split() == [count, "False"], "the second reads the validated tables, no pandera"
    assert len(list(cache.glob("*.pickle"))) == 1
    taxonomy = data_copy / "taxonomy.csv"  # an edit is validated afresh, even though valid data was cached
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("lumbar_muscle_strain", "Bad-Id", 1))
    broken = load_in_a_new_process(data_copy, cache)
    assert broken.returncode != 0 and "taxonomy.csv" in broken.stderr and "snake_case" in broken.stderr
    assert len(list(cache.glob("*.pickle"))) == 1, "invalid data is never stored"


def test_the_disk_cache_rebuilds_on_a_changed_or_damaged_entry_and_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKPAIN_CACHE", str(tmp_path / "cache"))
    table, calls = tmp_path / "table.csv", []
    table.write_text("a\n1\n")

    def make():
        calls.append(1)
        return {"built": len(calls)}

    assert cached([table], make) == cached([table], make) == {"built": 1}
    next((tmp_path / "cache").glob("*.pickle")).write_bytes(b"half a file")
    assert cached([table], make) == {"built": 2}, "a damaged entry is rebuilt"
    table.write_text("a\n2\n")
    assert cached([table], make) == {"built": 3}, "changed bytes, new key"
    monkeypatch.setenv("BACKPAIN_CACHE", "off")
    assert [cached([table], make), cached([table], make)] == [{"built": 4}, {"built": 5}], "off: built every time"


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
    """pyproject's package-data names every file git tracks in data/ (read through lib/backpain/data, the
    link to data/) and every non-Python file of the package itself (the lab form's script and style), so a
    wheel built from the repository carries all of them (checked by hand with `pip wheel .`; building one
    here would need the network for build isolation)."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["backpain"]
    package = ROOT / "lib" / "backpain"
    carried = {p.relative_to(package).as_posix() for g in globs for p in package.glob(g) if p.is_file()}
    listed = subprocess.run(["git", "ls-files", "-z", "data", "lib/backpain"], cwd=ROOT, capture_output=True, text=True)
    tracked = {t.removeprefix("lib/backpain/") for t in listed.stdout.split("\0") if t and not t.endswith(".py")}
    tracked.discard("data")  # lib/backpain/data itself: the link, not a file
    assert len(tracked) > 30 and tracked <= carried, sorted(tracked - carried)


def test_showing_a_chart_in_a_new_kernel_builds_no_iri_grammar():
    """plotly's renderers import nbformat, which imports jsonschema; from 4.25 jsonschema imports
    rfc3987-syntax, which builds its grammars at import (~3 s of every kernel that shows a chart). The
    pinned jsonschema leaves it out: the modules a first chart loads must not include it."""
    code = (
        "import sys, plotly.io as pio, plotly.graph_objects as go\n"
        "pio.renderers.default = 'plotly_mimetype'\n"
        "go.Figure(go.Bar(x=[1], y=[2]))._repr_mimebundle_()\n"
        "print('nbformat' in sys.modules, 'jsonschema' in sys.modules, 'rfc3987_syntax' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["True", "True", "False"], shown.stdout + shown.stderr
