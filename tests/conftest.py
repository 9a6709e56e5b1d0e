import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import backpain
from backpain.knowledge.base import DEFAULT_DATA_DIR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def kb():
    return backpain.load()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A scratch copy of data/ that a test may break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def pytest_collection_modifyitems(items):
    """Modules marked heavy first (the order is otherwise kept): with `--dist loadscope
    --no-loadscope-reorder` (make test) each worker starts on one of the long modules and the many short
    ones fill the gaps, so the two workers finish together rather than one waiting on a long module."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


# --- browser tests: one JupyterLab and one Voilà (`make present`) per test session, one Chromium per module --
# With pytest-xdist each worker has its own session. The tests that share a server live in one module
# (JupyterLab: test_browser_notebooks.py; Voilà: test_browser_present.py), so `-n 2 --dist loadscope`
# runs each module on one worker and each server starts once. (xdist 3.8's --dist loadgroup cannot
# group under pytest 9: it renames item._nodeid, which pytest 9 no longer reads.)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per module; each test opens its own context with browser_page.

    Per module, not per session: Playwright's sync API leaves its asyncio loop marked as running in this
    thread while Chromium is open, and a module run after a browser module on the same worker (test_lab)
    would find that loop instead of none, as in a plain script."""
    from browser import chromium, require_chromium

    require_chromium()
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory):
    """(base URL, token) of one JupyterLab serving a scratch copy of notebooks/."""
    from browser import jupyterlab, require_chromium

    require_chromium()
    with jupyterlab(tmp_path_factory.mktemp("lab")) as (url, token):
        yield url, token


@pytest.fixture(scope="session")
def present(tmp_path_factory):
    """Base URL of the real `make present` (Voilà serving notebooks/ as apps, code hidden)."""
    from browser import make_present, require_chromium

    require_chromium()
    with make_present(tmp_path_factory.mktemp("present")) as url:
        yield url


# --- the static export (`make html`), once per session, in English and in 中文 -----------------------------

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXPORT_ONE = (
    "import sys; from pathlib import Path; from backpain.teaching.export import export_notebook\n"
    "for nb in sys.argv[2:]: print(export_notebook(Path(nb), Path(sys.argv[1])))"
)
_SET_LANGUAGE = re.compile(r'backpain\.set_language\(\\"en\\"\)')  # as stored in the .ipynb JSON


def export_all(notebooks: list[Path], out: Path) -> Path:
    """Every notebook exported as `make html` does, into `out`: export_notebook on each (a fresh kernel
    each), in two processes side by side (one per core), so the nine notebooks take about half the time."""
    halves = [[str(nb) for nb in notebooks[i::2]] for i in range(2)]

    def export(names):
        return subprocess.run(
            [sys.executable, "-c", EXPORT_ONE, str(out), *names], cwd=ROOT, capture_output=True, text=True
        )

    with ThreadPoolExecutor(2) as pool:
        for result in pool.map(export, halves):
            assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.stem for p in out.glob("*.html")) == [nb.stem for nb in notebooks]
    return out


def export_once(tmp_path_factory, name: str, make) -> Path:
    """`make(folder)` run once per test run, not once per xdist worker: the export fixtures are used by
    modules on both workers, and two workers exporting at once ran four kernels on two cores (a kernel
    then missed its start-up deadline in CI). The first worker exports under a lock; the other waits
    and reads the same folder."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # this run's folder, above each worker's own
    out, done = shared / name, shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            make(out)
            done.touch()
    return out


@pytest.fixture(scope="session")
def exported(tmp_path_factory) -> Path:
    """Every notebook exported as `make html` does, into a scratch folder (never build/ in the repository)."""
    return export_once(tmp_path_factory, "html", lambda out: export_all(NOTEBOOKS, out))


@pytest.fixture(scope="session")
def exported_zh(tmp_path_factory) -> Path:
    """Every notebook exported in 中文: copies whose first cell says set_language("zh") instead of "en"
    (each notebook picks its language there, with a comment telling students to), exported the same way."""

    def make(out: Path) -> None:
        copies = out.with_name("notebooks_zh")
        copies.mkdir(exist_ok=True)
        for nb in NOTEBOOKS:
            text, n = _SET_LANGUAGE.subn(r'backpain.set_language(\\"zh\\")', nb.read_text(encoding="utf-8"))
            assert n == 1, f'{nb.name} does not pick its language with backpain.set_language("en")'
            (copies / nb.name).write_text(text, encoding="utf-8")
        export_all(sorted(copies.glob("*.ipynb")), out)

    return export_once(tmp_path_factory, "html_zh", make)
