import shutil
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


# --- browser tests: one Chromium, one JupyterLab and one Voilà (`make present`) per test session -----------
# With pytest-xdist each worker has its own session. The tests that share a server live in one module
# (JupyterLab: test_browser_notebooks.py; Voilà: test_browser_present.py), so `-n 2 --dist loadscope`
# runs each module on one worker and each server starts once. (xdist 3.8's --dist loadgroup cannot
# group under pytest 9: it renames item._nodeid, which pytest 9 no longer reads.)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session; each test opens its own context with browser_page."""
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
