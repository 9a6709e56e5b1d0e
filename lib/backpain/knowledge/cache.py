"""A disk cache of validated tables, so that every new kernel does not re-validate unchanged data.

Validation (pandera and the cross-table rules) costs about a second and pandera's import another
quarter; a class of students opens dozens of kernels, and the test suite more. The cache is keyed
by the bytes of every file `build()` reads and by the library's own source code, so an edited CSV,
a new schema rule or another pandas gives a new key and is validated afresh; only data that passed
validation is ever stored. Where the cache lives: $BACKPAIN_CACHE, else $XDG_CACHE_HOME/backpain, else
~/.cache/backpain; BACKPAIN_CACHE=off turns it off. A damaged or unreadable entry is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

PACKAGE = Path(__file__).resolve().parents[1]
KEEP = 16  # entries kept (newest used first): an instructor's copies and the tests' edited copies


def location() -> Path | None:
    """The cache folder, or None when the cache is off."""
    chosen = os.environ.get("BACKPAIN_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in {"", "0", "off", "no", "false"} else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "backpain"


def code_digest() -> str:
    """Digest of the library's source: a change to a schema or rule invalidates every entry."""
    h = hashlib.sha256(pd.__version__.encode())
    for file in sorted(PACKAGE.rglob("*.py")):
        h.update(file.relative_to(PACKAGE).as_posix().encode())
        h.update(file.read_bytes())
    return h.hexdigest()


def key(files: Iterable[Path]) -> str:
    """Digest of the named files' names and bytes (a missing file counts too) and of the code."""
    h = hashlib.sha256(code_digest().encode())
    for file in files:
        h.update(file.name.encode())
        try:
            h.update(hashlib.sha256(file.read_bytes()).digest())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


def cached(files: Iterable[Path], make: Callable[[], object]):
    """make()'s value, stored under the digest of `files`; read back while none of them changes."""
    folder = location()
    if folder is None:
        return make()
    entry = folder / f"{key(files)}.pickle"
    try:
        with entry.open("rb") as stream:
            value = pickle.load(stream)
        os.utime(entry)  # recently used: kept when the folder is pruned
        return value
    except Exception:  # absent, partly written by a crashed process, or from an older pandas: rebuild
        pass
    value = make()  # raises on invalid data: nothing is stored
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(stream.name, entry)  # atomic: a kernel starting at the same time never reads half a file
        prune(folder)
    except OSError:  # a read-only home: work without the cache
        pass
    return value


def prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
