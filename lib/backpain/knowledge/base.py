"""Load data/ into one validated, read-only KnowledgeBase.

Everything the workbook knows comes through `load()`: the CSV files are read, checked column by
column (pandera) and across tables (integrity.py), and the corpus checksums verified. Whatever is
wrong is reported together, naming file, row and column, so an instructor who edits a table learns
exactly what to fix. Frames handed out are copies: a notebook cannot change the shared knowledge.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..reasoning.engine import Engine
from . import integrity
from .cache import cached
from .errors import DataError, Problem
from .reading import read_csv
from .tables import FILES
from .taxonomy import with_paths

# The workbook's own data: in a checkout, lib/backpain/data is a link to the repository's data/; an
# installed package carries a copy there.
DEFAULT_DATA_DIR = (Path(__file__).resolve().parents[1] / "data").resolve()


def data_dir() -> Path:
    """The data folder: $BACKPAIN_DATA if set (e.g. an instructor's edited copy), else the repository's."""
    return Path(os.environ.get("BACKPAIN_DATA", DEFAULT_DATA_DIR)).resolve()


@dataclass(frozen=True)
class KnowledgeBase:
    """The validated tables and the verbatim corpus. Attributes return copies; the originals never change."""

    path: Path
    _tables: dict = field(repr=False)
    _texts: dict = field(repr=False)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = object.__getattribute__(self, "_tables")
        if name in tables:
            return tables[name].copy(deep=False)  # copy-on-write: edits stay local to the caller
        raise AttributeError(name)

    @property
    def table_names(self) -> list[str]:
        return sorted(self._tables)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._tables))

    # --- the corpus -------------------------------------------------------------------------
    @property
    def source_ids(self) -> list[str]:
        return list(self._tables["sources"].source_id)

    def text(self, source_id: str) -> str:
        """The verbatim text of a source (Python str; all offsets in data/ index into it)."""
        try:
            return self._texts[source_id]
        except KeyError:
            raise KeyError(f"unknown source_id {source_id!r}; known: {', '.join(self._texts)}") from None

    def segment_text(self, source_id: str, index: int) -> str:
        """Text of the index-th segment (0-based, in page order) of a source."""
        seg = self.segments_of(source_id).iloc[index]
        return self.text(source_id)[seg.start : seg.end]

    def segments_of(self, source_id: str) -> pd.DataFrame:
        seg = self._tables["segments"]
        return seg[seg.source_id == source_id].sort_values("start").reset_index(drop=True)

    # --- causes -----------------------------------------------------------------------------
    @property
    def causes(self) -> pd.DataFrame:
        """Leaf rows of the taxonomy (level == 'cause'), indexed by cause_id."""
        tax = self._tables["taxonomy"]
        return tax[tax.level == "cause"].set_index("cause_id")

    def cause(self, cause_id: str) -> pd.Series:
        tax = self._tables["taxonomy"].set_index("cause_id")
        if cause_id not in tax.index:
            raise KeyError(f"unknown cause_id {cause_id!r}")
        return tax.loc[cause_id]

    def mentions_of(self, cause_id: str) -> pd.DataFrame:
        """Every recorded place where a source names this cause, with the exact quote."""
        self.cause(cause_id)
        men = self._tables["mentions"]
        return men[men.cause_id == cause_id].sort_values(["source_id", "start"]).reset_index(drop=True)

    # --- reasoning ----------------------------------------------------------------------------
    @functools.cached_property
    def engine(self):
        """The differential engine built from findings, links, base rates and red flags (built once)."""
        t = self._tables
        return Engine.from_tables(t["taxonomy"], t["findings"], t["cause_findings"], t["base_rates"], t["red_flags"])

    def differential(self, present=(), absent=()):
        """Rank the causes for the findings present and absent (ids from findings.csv). See reasoning/engine.py."""
        return self.engine.differential(present, absent)

    def tree(self) -> pd.DataFrame:
        """The taxonomy with each row's depth and root-to-node path (for sunbursts and indented tables)."""
        return with_paths(self._tables["taxonomy"])


def read_sources(path: Path, sources: pd.DataFrame) -> tuple[dict, dict]:
    raw, texts = {}, {}
    for row in sources.itertuples():
        file = path / "sources" / row.file
        if file.is_file():
            raw[row.source_id] = file.read_bytes()
            texts[row.source_id] = raw[row.source_id].decode("utf-8")
    return raw, texts


def build(path: Path) -> KnowledgeBase:
    """Read and validate everything under `path`; raise DataError listing every problem."""
    from .schema import validate_table  # pandera: imported only when something is validated

    path = Path(path)
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for name, file in FILES.items():
        if not (path / file).is_file():
            problems.append(Problem(file, None, None, "file is missing", whole_file=True))
            continue
        frame, found = read_csv(path / file, file)
        problems += [replace(p, whole_file=True) for p in found]  # how the file was saved: a root cause
        if frame is None:
            continue
        table, found = validate_table(name, frame, file)
        problems += found
        if table is not None:
            tables[name] = table
    if problems:  # cross-table rules need every table in shape first
        raise DataError(problems)
    raw, texts = read_sources(path, tables["sources"])
    problems = integrity.problems(tables, texts, raw)
    if problems:
        raise DataError(problems)
    return KnowledgeBase(path, tables, texts)


def files_read(path: Path) -> list[Path]:
    """Every file build() reads: the tables and the corpus."""
    return [path / f for f in FILES.values()] + sorted((path / "sources").glob("*"))


def fingerprint(path: Path) -> tuple:
    """What load() compares to notice an edit: size and modification time of every file build() reads."""
    stats = []
    for file in files_read(path):
        try:
            stat = file.stat()
            stats.append((str(file), stat.st_size, stat.st_mtime_ns))
        except OSError:
            stats.append((str(file), None, None))
    return tuple(stats)


_loaded: dict[Path, tuple[tuple, KnowledgeBase]] = {}


def load(path: str | Path | None = None, reload: bool = False) -> KnowledgeBase:
    """The validated knowledge base. Loading again costs a directory listing: the tables are rebuilt
    only when a file under `path` changed since (or when `reload=True`), so an edited CSV is seen
    without restarting the kernel. A new kernel reads data it has validated before from the disk
    cache (knowledge/cache.py) instead of validating it again."""
    path = Path(path).resolve() if path else data_dir()
    stamp = fingerprint(path)
    known = _loaded.get(path)
    if reload or known is None or known[0] != stamp:
        tables, texts = cached(files_read(path), lambda: contents(build(path)))
        _loaded[path] = (stamp, KnowledgeBase(path, tables, texts))
    return _loaded[path][1]


def contents(kb: KnowledgeBase) -> tuple[dict, dict]:
    """What the disk cache stores: the validated tables and the texts, not the folder they came from."""
    return kb._tables, kb._texts
