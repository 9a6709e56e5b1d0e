"""One command line for the workbook: `python -m backpain COMMAND [options]`.

One convention for every command: `--data DIR` is the data folder a command reads (default:
$BACKPAIN_DATA, else the workbook's own data/), `--out DIR` the folder it writes; inputs are
positional. Exit status 0 means done, 1 that the data has problems (listed), 2 that nothing usable
was given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .knowledge.base import data_dir


def parser() -> argparse.ArgumentParser:
    from .sources.ingest import DEFAULT_MAX_MB, megabytes

    top = argparse.ArgumentParser(prog="python -m backpain", description="The back-pain workbook's tools.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str, data: bool = False, out: str | None = None) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        if data:
            sub.add_argument("--data", type=Path, default=None, help="data folder (default: $BACKPAIN_DATA or data/)")
        if out:
            sub.add_argument("--out", type=Path, default=Path(out), help=f"output folder (default: {out})")
        return sub

    command("validate", "check every table and cases.yaml; list every problem at once", data=True)
    command("curate", "rebuild segments, mentions and quoted spans from data/curation/, then validate", data=True)
    ingest = command("ingest", "read your own pages (.txt, .html, .md) and find the causes they name", data=True)
    ingest.add_argument("paths", nargs="*", help="files or folders (none: only --refresh)")
    ingest.add_argument(
        "--refresh", action="store_true", help="re-extract the pages already stored with the current lexicon"
    )
    ingest.add_argument(
        "--store", type=Path, default=None, help="where ingested pages are kept (default: DATA/ingested)"
    )
    ingest.add_argument("--max-mb", type=megabytes, default=DEFAULT_MAX_MB, help="skip files larger than this")
    command("export", "every notebook as a self-contained HTML page for reading offline", out="build/html")
    command("instructor", "instructor copies of the notebooks, with the worked solutions", out="build/instructor")
    return top


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # a usage error (argparse has said why) or --help
        return stop.code
    data = Path(args.data).resolve() if getattr(args, "data", None) else data_dir()
    if args.command == "validate":
        from .knowledge.validate import run

        return run(data)
    if args.command == "curate":
        from .knowledge.curation import run
        from .knowledge.validate import run as validate

        return run(data) or validate(data)
    if args.command == "ingest":
        from .sources.ingest import run

        if not args.paths and not args.refresh:
            print("error: ingest: give files or folders, or --refresh", file=sys.stderr)
            return 2
        return run(args.paths, args.store, data, args.max_mb, args.refresh)
    if args.command == "export":
        from .teaching.export import run

        return run(args.out)
    from .teaching.instructor import run

    return run(args.out)


if __name__ == "__main__":
    sys.exit(main())
