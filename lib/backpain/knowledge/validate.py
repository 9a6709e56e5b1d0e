"""Check edited data: every problem in every table (and cases.yaml) at once, or a short all-clear."""

from __future__ import annotations

import sys
from pathlib import Path

from .base import build
from .cases import load_cases
from .errors import DataError


def run(path: Path) -> int:
    """`python -m backpain validate`: 0 and a one-line summary if `path` is valid, 1 and the problems if not."""
    try:
        kb = build(path)
        cases = load_cases(kb)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(getattr(kb, name))} {name}" for name in kb.table_names)
    print(f"OK: {path} is valid ({counts}, {len(cases)} cases; {len(kb.source_ids)} source checksums verified)")
    return 0
