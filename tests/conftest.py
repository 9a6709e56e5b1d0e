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
