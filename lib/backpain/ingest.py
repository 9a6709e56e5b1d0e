"""Bring your own pages: `python -m backpain.ingest PATH... [--store DIR]`.

Each file (.txt, .html/.htm, .md; or every such file in a folder) is
  1. checked: empty, binary, too large and duplicate pages are skipped with the reason;
  2. decoded: UTF-8 if it is valid UTF-8, otherwise the encoding charset-normalizer detects
     (GB18030/GBK, Big5, …), and an undecodable file is skipped rather than guessed;
  3. reduced to text: HTML through a real parser, with scripts, styles, navigation, headers, footers
     and forms dropped;
  4. registered with checksums and stored as UTF-8 under the store (default data/ingested/), never
     touching the curated sources;
  5. searched for cause mentions with the lexicon (backpain.extract), every row marked auto = True.

The run goes on past a bad file, and a summary lists what was ingested, what was skipped and why.
Memory is bounded by one page plus the results: files are read one at a time and results appended.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .extract import COLUMNS, Extractor

SUFFIXES = {".txt", ".text", ".html", ".htm", ".md", ".markdown"}
DROP_TAGS = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg",
             "button", "select"]
REGISTRY_COLUMNS = ["source_id", "original_name", "original_sha256", "text_sha256", "encoding", "kind", "language",
                    "bytes", "characters", "ingested_at"]
DEFAULT_MAX_MB = 20


class Skip(Exception):
    """A file the run leaves out, with the reason a person reads in the summary."""


@dataclass(frozen=True)
class Outcome:
    path: str
    status: str  # ingested | skipped
    reason: str
    source_id: str | None = None
    mentions: int = 0


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 first (with or without BOM), else a detected encoding; never a silent guess."""
    if not data:
        raise Skip("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Skip("binary file (contains NUL bytes), not a text page")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        raise Skip("cannot determine the text encoding (not UTF-8, and no encoding fits well)")
    text = str(best)
    controls = sum(1 for c in text[:5000] if unicodedata.category(c) == "Cc" and c not in "\n\r\t")
    if controls > 0.02 * min(len(text), 5000):
        raise Skip("binary file (mostly control characters), not a text page")
    return text, best.encoding


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one block per line; scripts, styles and page furniture dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(DROP_TAGS):
        tag.decompose()
    body = soup.body or soup
    text = body.get_text("\n")
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def language_of(text: str) -> str:
    sample = text[:20000]
    cjk = sum(1 for c in sample if "\u3400" <= c <= "\u9fff")
    letters = sum(1 for c in sample if c.isalpha())
    return "zh" if letters and cjk / letters > 0.2 else "en"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    """data/ingested/ (or another folder): pages/<source_id>.txt, registry.csv, mentions_auto.csv."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.pages = self.root / "pages"
        self.registry_path = self.root / "registry.csv"
        self.mentions_path = self.root / "mentions_auto.csv"

    def ensure(self) -> None:
        self.pages.mkdir(parents=True, exist_ok=True)
        for path, columns in ((self.registry_path, REGISTRY_COLUMNS), (self.mentions_path, COLUMNS)):
            if not path.exists():
                with open(path, "w", newline="", encoding="utf-8") as f:
                    csv.writer(f).writerow(columns)

    def registry(self) -> list[dict]:
        if not self.registry_path.exists():
            return []
        with open(self.registry_path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def append(self, path: Path, rows: list) -> None:
        with open(path, "a", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)


def candidates(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def ingest(paths: list[str | Path], store: Store, kb, max_mb: float = DEFAULT_MAX_MB) -> list[Outcome]:
    """Ingest files and folders into the store; one Outcome per file, in order."""
    store.ensure()
    extractor = Extractor.from_kb(kb)
    known = {_sha(kb.text(s).encode("utf-8")): s for s in kb.source_ids}
    known |= {r["text_sha256"]: r["source_id"] for r in store.registry()}
    outcomes = []
    for path in candidates([Path(p) for p in paths]):
        try:
            if not path.exists():
                raise Skip("not found")
            if path.suffix.lower() not in SUFFIXES:
                raise Skip(f"unsupported file type '{path.suffix}' (use .txt, .html or .md)")
            size = path.stat().st_size
            if size > max_mb * 1024 * 1024:
                raise Skip(f"too large: {size / 1024 / 1024:.0f} MB, the limit is {max_mb:g} MB (--max-mb)")
            data = path.read_bytes()
            text, encoding = decode(data)
            kind = "html" if path.suffix.lower() in {".html", ".htm"} else "markdown" if path.suffix.lower() in {".md", ".markdown"} else "text"
            if kind == "html":
                text = html_to_text(text)
            text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
            if not text.strip():
                raise Skip("no text left after removing markup")
            digest = _sha(text.encode("utf-8"))
            if digest in known:
                raise Skip(f"duplicate of '{known[digest]}'")
            source_id = f"web_{digest[:10]}"
            (store.pages / f"{source_id}.txt").write_text(text, encoding="utf-8")
            found = extractor.find(text, source_id)
            store.append(store.mentions_path, found.itertuples(index=False, name=None))
            store.append(store.registry_path, [(source_id, path.name, _sha(data), digest, encoding, kind,
                                                language_of(text), size, len(text),
                                                datetime.now(timezone.utc).isoformat(timespec="seconds"))])
            known[digest] = source_id
            outcomes.append(Outcome(str(path), "ingested", f"{encoding}, {kind}, {len(text)} characters",
                                    source_id, len(found)))
        except Skip as why:
            outcomes.append(Outcome(str(path), "skipped", str(why)))
        except OSError as error:
            outcomes.append(Outcome(str(path), "skipped", f"cannot read: {error.strerror or error}"))
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    done = [o for o in outcomes if o.status == "ingested"]
    lines = [f"ingested {len(done)} of {len(outcomes)} file(s)"]
    lines += [f"  + {o.path} → {o.source_id} ({o.reason}; {o.mentions} cause mention(s), machine-extracted)" for o in done]
    lines += [f"  - {o.path}: skipped, {o.reason}" for o in outcomes if o.status == "skipped"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from .kb import data_dir, load

    parser = argparse.ArgumentParser(prog="python -m backpain.ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="files or folders (.txt, .html, .md)")
    parser.add_argument("--store", default=None, help="where to keep ingested pages (default: data/ingested)")
    parser.add_argument("--max-mb", type=float, default=DEFAULT_MAX_MB, help="skip files larger than this")
    args = parser.parse_args(argv)
    store = Store(Path(args.store) if args.store else data_dir() / "ingested")
    outcomes = ingest(args.paths, store, load(), args.max_mb)
    print(summary(outcomes))
    return 0 if any(o.status == "ingested" for o in outcomes) or not outcomes else 2


if __name__ == "__main__":
    sys.exit(main())
