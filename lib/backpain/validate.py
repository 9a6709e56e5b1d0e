"""Check edited data: `python -m backpain.validate [DATA_DIR]` prints every problem, or a short all-clear."""

from __future__ import annotations

import sys
from pathlib import Path

from .cases import load_cases
from .errors import DataError
from .kb import build, data_dir


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else data_dir()
    try:
        kb = build(path)
        cases = load_cases(kb)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(getattr(kb, name))} {name}" for name in sorted(kb._tables))
    print(f"OK: {path} is valid ({counts}, {len(cases)} cases; {len(kb.source_ids)} source checksums verified)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
