"""Bring your own pages: `python -m backpain ingest PATH... [--data DIR] [--store DIR] [--max-mb N]`.

Every file given or found in a folder ends as one summary line: ingested, or skipped with the reason.
Pipes, devices, unsupported types (.pdf, .docx …) and symbolic links leaving a folder are never
opened; empty, binary, too large and duplicate pages, and pages whose encoding cannot be told
confidently (see `decode`), are skipped, never guessed; a file name that is not UTF-8 is shown with
\\x escapes. Only .txt, .html/.htm and .md are read, one at a time; HTML is reduced to its visible
text, each page is labelled zh, en or other (`language_of`) and searched for cause mentions with the
lexicon (sources/extract.py; every row auto = True).

The store (default data/ingested/, git-ignored; the data folder and its curated folders are refused)
gets each page written atomically, then its mentions, and only then its registry row (registry.csv
is replaced atomically), so a failed or interrupted run registers no half-written page and a re-run
never repeats mentions. A store that is read-only or whose registry cannot be parsed stops the run
with one line before anything is written; a write that fails later skips its files with the reason.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import io
import math
import os
import re
import stat
import sys
import tempfile
import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..knowledge.base import DEFAULT_DATA_DIR, data_dir, load
from .extract import COLUMNS, Extractor

SUFFIXES = {".txt", ".text", ".html", ".htm", ".md", ".markdown"}
DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
]
REGISTRY_COLUMNS = [
    "source_id",
    "original_name",
    "original_sha256",
    "text_sha256",
    "encoding",
    "kind",
    "language",
    "bytes",
    "characters",
    "ingested_at",
]
DEFAULT_MAX_MB = 20
COMMIT_EVERY = 200  # pages registered per registry rewrite (and at the end of the run)

# When a page is not UTF-8, charset-normalizer's best reading is accepted only if its chaos (how much
# it looks like mojibake, 0–1) is at most CHAOS_MAX and either its language coherence (how much its
# letters look like a known language) is at least COHERENT, or no reading into other characters has
# a chaos within RIVAL_MARGIN of it. Short CJK pages that are equally valid Japanese, Korean or Chinese
# (coherence 0 for all) are therefore skipped instead of guessed.
CHAOS_MAX = 0.2
COHERENT = 0.2
RIVAL_MARGIN = 0.1

EN_WORDS = frozenset(
    {
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "are",
        "was",
        "be",
        "it",
        "that",
        "this",
        "with",
        "for",
        "on",
        "as",
        "by",
        "or",
        "not",
        "can",
        "may",
        "from",
        "at",
        "you",
        "your",
        "if",
        "when",
        "what",
        "which",
    }
)  # common English words: at least 1 word in 10 of an English page is one of them


class Skip(Exception):  # noqa: N818 - not an error: a file the run chose to leave out
    """A file the run leaves out, with the reason a person reads in the summary."""


class StoreError(Exception):
    """The store cannot be used (refused, read-only, or its files cannot be parsed); nothing is written."""


@dataclass(frozen=True)
class Outcome:
    path: str  # printable: a name that is not valid UTF-8 is shown with \x escapes
    status: str  # ingested | skipped | refreshed
    reason: str
    source_id: str | None = None
    mentions: int = 0


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 first (with or without BOM), else a confidently detected encoding."""
    if not data:
        raise Skip("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Skip("binary file (contains NUL bytes), not a text page")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.chaos > CHAOS_MAX:
        raise Skip("cannot determine the text encoding (not UTF-8, and no encoding fits well)")
    text = str(best)
    if best.coherence < COHERENT:
        rival = next((m for m in matches if m.chaos <= best.chaos + RIVAL_MARGIN and str(m) != text), None)
        if rival is not None:
            raise Skip(
                f"cannot determine the text encoding confidently (it reads as {best.encoding} or as "
                f"{rival.encoding}): save the page as UTF-8"
            )
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
    """'zh' (Chinese characters, no kana), 'en' (Latin letters and common English words) or 'other'."""
    sample = text[:20000]
    letters = sum(map(str.isalpha, sample)) or 1
    han, kana, words = (
        re.findall(p, sample)
        for p in (r"[\u3400-\u9fff\uf900-\ufaff]+", r"[\u3040-\u30ff\uff66-\uff9d]+", r"[A-Za-z]+")
    )
    if sum(map(len, han)) > 0.2 * letters and sum(map(len, kana)) < 0.05 * letters:
        return "zh"
    common = sum(map(EN_WORDS.__contains__, map(str.lower, words)))
    if sum(map(len, words)) > 0.8 * letters and common >= 0.1 * len(words):
        return "en"
    return "other"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def shown(path: Path | str) -> str:
    """The path as printable text: bytes that are not UTF-8 (a GBK name from a zip) as \\x escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Write text to path atomically: a temporary file in the same folder, then os.replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            os.fchmod(f.fileno(), 0o644)
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _append(path: Path, text: str) -> None:
    """Append text to path; on failure the file is cut back to its old length."""
    data = text.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        size = os.fstat(fd).st_size
        try:
            while data:
                data = data[os.write(fd, data) :]
        except OSError:
            with suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)


class Store:
    """data/ingested/ (or another folder): pages/<source_id>.txt, registry.csv, mentions_auto.csv.

    A page counts as stored once its registry row is written; mentions of unregistered pages (left by
    an interrupted run) are dropped when the store is opened.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.pages = self.root / "pages"
        self.registry_path = self.root / "registry.csv"
        self.mentions_path = self.root / "mentions_auto.csv"
        self.rows: list[list[str]] = []  # registered
        self._staged: list[tuple[list[str], list[list[str]]]] = []  # (registry row, mention rows) not yet committed

    def _read(self, path: Path, columns: list[str], registered: set | None = None) -> list[list[str]]:
        """The rows after the header (only those of registered pages if given); StoreError if unusable."""
        if not path.exists():
            return []
        try:
            with open(path, encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise StoreError(f"cannot read {path}: {error}") from None
        if not rows or rows[0] != columns:
            head = ",".join(rows[0]) if rows else ""
            hint = (" (it starts with a byte-order mark)" if head.startswith("\ufeff") else "") + (
                " (it uses ';' between fields)" if ";" in head else ""
            )
            raise StoreError(
                f"cannot use {path}: its first line must be {','.join(columns)}{hint}; "
                "save it again as comma-separated UTF-8 without BOM, or use a new --store"
            )
        if registered is not None:  # rows of pages never registered, even cut off, are an interrupted run's
            rows[1:] = [row for row in rows[1:] if row and row[0] in registered]
        for number, row in enumerate(rows[1:], 1):
            if len(row) != len(columns):
                raise StoreError(f"cannot use {path}: row {number} has {len(row)} fields, not {len(columns)}")
        return rows[1:]

    def registry(self) -> list[dict]:
        """The registered pages, one dict per row (StoreError if the registry cannot be parsed)."""
        return [dict(zip(REGISTRY_COLUMNS, row)) for row in self._read(self.registry_path, REGISTRY_COLUMNS)]

    def open(self, data_folders: list[Path]) -> None:
        """Check that the store may be used and load its registry; StoreError (nothing written) if not."""
        root = self.root.resolve()
        for data in {Path(d).resolve() for d in data_folders}:
            if root == data or (root.is_relative_to(data) and not root.is_relative_to(data / "ingested")):
                raise StoreError(
                    f"refusing to store in {self.root}: it is inside the curated data folder {data}; "
                    f"use {data / 'ingested'} (the default) or a folder outside it"
                )
        self.rows, self._staged = self._read(self.registry_path, REGISTRY_COLUMNS), []
        registered = {row[0] for row in self.rows}
        mentions = self._read(self.mentions_path, COLUMNS, registered)
        for path in (self.root, self.pages, self.registry_path, self.mentions_path):
            if path.exists() and not os.access(path, os.W_OK):
                raise StoreError(f"cannot write to the store: {path} is read-only")
        try:
            self.pages.mkdir(parents=True, exist_ok=True)
            if not self.registry_path.exists():
                write_atomically(self.registry_path, _csv([REGISTRY_COLUMNS]))
            text = _csv([COLUMNS, *mentions])
            if not self.mentions_path.exists() or self.mentions_path.stat().st_size != len(text.encode("utf-8")):
                write_atomically(self.mentions_path, text)  # created, or cleaned of an interrupted run's rows
        except OSError as error:
            raise StoreError(f"cannot write to the store {self.root}: {error.strerror or error}") from None

    def add(self, row: list[str], text: str, mentions: list[list[str]]) -> None:
        """Write the page now; its mentions and registry row are written by the next commit()."""
        write_atomically(self.pages / f"{row[0]}.txt", text)
        self._staged.append((row, mentions))

    def commit(self) -> None:
        """Append the staged mentions, then replace the registry with the staged rows added."""
        if not self._staged:
            return
        size = self.mentions_path.stat().st_size
        _append(self.mentions_path, _csv(m for _, found in self._staged for m in found))
        try:
            write_atomically(
                self.registry_path, _csv([REGISTRY_COLUMNS] + self.rows + [row for row, _ in self._staged])
            )
        except OSError:
            with suppress(OSError):
                os.truncate(self.mentions_path, size)
            raise
        self.rows += [row for row, _ in self._staged]
        self._staged = []

    def discard(self) -> list[str]:
        """Forget the staged pages and delete their files; their source ids."""
        ids = [row[0] for row, _ in self._staged]
        for source_id in ids:
            with suppress(OSError):
                (self.pages / f"{source_id}.txt").unlink()
        self._staged = []
        return ids


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a folder"
        if stat.S_ISDIR(mode)
        else "a special file"
    )
    return f"not a regular file ({kind}), never opened"


def _check(path: Path, mode: int) -> str | None:
    """Why a file is left out without being opened, or None."""
    if reason := _not_regular(mode):
        return reason
    if path.suffix.lower() not in SUFFIXES:
        return f"unsupported file type '{path.suffix or '(none)'}': save the page as .html or .txt"
    return None


def _walk(top: Path) -> list[tuple[Path, str | None]]:
    """Every entry under a folder, without following symbolic links out of it or into folders."""
    found = []
    inside = Path(os.path.realpath(top))

    def unreadable(error: OSError) -> None:
        found.append((Path(error.filename), f"cannot read folder: {error.strerror}"))

    for folder, dirs, files in os.walk(top, onerror=unreadable):
        for name in dirs + files:
            path = Path(folder, name)
            try:
                mode = path.lstat().st_mode
                if stat.S_ISDIR(mode):
                    continue  # walked by os.walk
                if stat.S_ISLNK(mode):
                    if not Path(os.path.realpath(path)).is_relative_to(inside):
                        found.append((path, "symbolic link leaves the folder, not followed"))
                        continue
                    mode = path.stat().st_mode
                    if stat.S_ISDIR(mode):
                        found.append((path, "symbolic link to a folder inside this one (walked already)"))
                        continue
                found.append((path, _check(path, mode)))
            except OSError as error:
                found.append((path, f"cannot read: {error.strerror or error}"))
    return sorted(found, key=lambda item: item[0])


def candidates(paths) -> list[tuple[Path, str | None]]:
    """(path, None) for each file to read and (path, reason) for each one left out, in order."""
    out = []
    for p in paths:
        p = Path(os.fsdecode(p))
        try:
            mode = p.stat().st_mode  # a link named on the command line is followed
        except FileNotFoundError:
            out.append((p, "not found"))
            continue
        except OSError as error:
            out.append((p, f"cannot read: {error.strerror or error}"))
            continue
        out += _walk(p) if stat.S_ISDIR(mode) else [(p, _check(p, mode))]
    return out


def _read(path: Path, max_mb: float) -> tuple[bytes, int]:
    """The file's bytes and size; opened without blocking, and re-checked to be a regular file."""
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
        info = os.fstat(f.fileno())
        if reason := _not_regular(info.st_mode):
            raise Skip(reason)
        limit = int(max_mb * 1024 * 1024)
        if info.st_size > limit:
            raise Skip(f"too large: {info.st_size / 1024 / 1024:.0f} MB, the limit is {max_mb:g} MB (--max-mb)")
        chunks, size = [], 0
        while chunk := f.read(1 << 20):  # in pieces: a file that grows while read still stops at the limit
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise Skip(f"too large: over {max_mb:g} MB (--max-mb)")
    return b"".join(chunks), size


def ingest(paths: list[str | bytes | Path], store: Store, kb, max_mb: float = DEFAULT_MAX_MB) -> list[Outcome]:
    """Ingest files and folders into the store; one Outcome per input file, in order.

    StoreError, before anything is written, if the store is refused, read-only or unparseable."""
    if not (isinstance(max_mb, (int, float)) and math.isfinite(max_mb) and max_mb > 0):
        raise ValueError(f"max_mb must be a positive number of megabytes, not {max_mb!r}")

    store.open([kb.path, DEFAULT_DATA_DIR])
    extractor = Extractor.from_kb(kb)
    known = {_sha(kb.text(s).encode("utf-8")): s for s in kb.source_ids}
    known |= {row[3]: row[0] for row in store.rows}
    outcomes: list[Outcome] = []
    staged: list[int] = []  # outcomes whose pages wait for store.commit()

    def commit() -> None:
        try:
            store.commit()
        except OSError as error:
            lost = set(store.discard())
            for i in staged:
                outcomes[i] = dataclasses.replace(
                    outcomes[i],
                    status="skipped",
                    source_id=None,
                    mentions=0,
                    reason=f"cannot write to the store: {error.strerror or error}",
                )
            for digest in [d for d, s in known.items() if s in lost]:
                del known[digest]
        staged.clear()

    for path, reason in candidates(paths):
        name = shown(path)
        note = "" if name == str(path) else "; its name is not valid UTF-8, shown with \\x escapes"
        try:
            if reason:
                raise Skip(reason)
            data, size = _read(path, max_mb)
            text, encoding = decode(data)
            suffix = path.suffix.lower()
            kind = "html" if suffix in {".html", ".htm"} else "markdown" if suffix in {".md", ".markdown"} else "text"
            if kind == "html":
                text = html_to_text(text)
            text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
            if not text.strip():
                raise Skip("no text left after removing markup")
            digest = _sha(text.encode("utf-8"))
            if digest in known:
                raise Skip(f"duplicate of '{known[digest]}'")
            source_id = f"web_{digest[:10]}"
            found = extractor.rows(text, source_id)
            row = [
                source_id,
                Path(name).name,
                _sha(data),
                digest,
                encoding,
                kind,
                language_of(text),
                str(size),
                str(len(text)),
                datetime.now(UTC).isoformat(timespec="seconds"),
            ]
            try:
                store.add(row, text, found)
            except OSError as error:
                raise Skip(f"cannot write to the store: {error.strerror or error}") from None
            known[digest] = source_id
            staged.append(len(outcomes))
            outcomes.append(
                Outcome(name, "ingested", f"{encoding}, {kind}, {len(text)} characters{note}", source_id, len(found))
            )
        except Skip as why:
            outcomes.append(Outcome(name, "skipped", f"{why}{note}"))
        except OSError as error:
            outcomes.append(Outcome(name, "skipped", f"cannot read: {error.strerror or error}{note}"))
        except Exception as error:
            outcomes.append(Outcome(name, "skipped", f"unexpected error: {type(error).__name__}: {error}{note}"))
        if len(staged) >= COMMIT_EVERY:
            commit()
    commit()
    return outcomes


def refresh(store: Store, kb) -> list[Outcome]:
    """Re-extract every stored page with the current lexicon (`ingest --refresh`), so a lexicon
    change reaches pages ingested before it instead of their old mentions being kept silently.

    The mentions file is replaced in one atomic write; a stored page that cannot be re-read keeps
    its old mentions and is reported as skipped."""
    store.open([kb.path, DEFAULT_DATA_DIR])
    extractor = Extractor.from_kb(kb)
    old = store._read(store.mentions_path, COLUMNS, {row[0] for row in store.rows})
    rows, outcomes = [], []
    for source_id, name, *_ in store.rows:
        try:
            text = (store.pages / f"{source_id}.txt").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            rows += [m for m in old if m[0] == source_id]
            reason = getattr(error, "strerror", None) or error
            outcomes.append(Outcome(name, "skipped", f"cannot re-read the stored page, old mentions kept: {reason}"))
            continue
        found = extractor.rows(text, source_id)
        before = sum(m[0] == source_id for m in old)
        rows += found
        outcomes.append(
            Outcome(name, "refreshed", f"re-extracted with the current lexicon, was {before}", source_id, len(found))
        )
    try:
        write_atomically(store.mentions_path, _csv([COLUMNS, *rows]))
    except OSError as error:
        raise StoreError(f"cannot write to the store: {error.strerror or error}") from None
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    redone = [o for o in outcomes if o.status == "refreshed"]
    outcomes = [o for o in outcomes if o.status != "refreshed"]
    done = [o for o in outcomes if o.status == "ingested"]
    lines = [f"refreshed {len(redone)} stored page(s)"] if redone else []
    lines += [f"  ~ {o.path} → {o.source_id} ({o.mentions} cause mention(s); {o.reason})" for o in redone]
    lines += [f"ingested {len(done)} of {len(outcomes)} file(s)"] if outcomes or not redone else []
    lines += [
        f"  + {o.path} → {o.source_id} ({o.reason}; {o.mentions} cause mention(s), machine-extracted)" for o in done
    ]
    lines += [f"  - {o.path}: skipped, {o.reason}" for o in outcomes if o.status == "skipped"]
    return "\n".join(lines)


def megabytes(value: str) -> float:
    """A --max-mb value: a positive, finite number of megabytes."""
    try:
        mb = float(value)
    except ValueError:
        mb = math.nan
    if not (math.isfinite(mb) and mb > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of megabytes, not {value!r}")
    return mb


def run(
    paths: list[str],
    store: Path | None = None,
    data: Path | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    refresh_stored: bool = False,
) -> int:
    """`python -m backpain ingest`: ingest the pages and print one line per file; 0 if any page was
    ingested or refreshed (or there was nothing to read), 2 if none was or the store is unusable.
    With refresh_stored (--refresh), the pages already stored are re-extracted first."""
    data = data or data_dir()
    store = Store(Path(store) if store else data / "ingested")
    kb = load(data)
    try:
        outcomes = refresh(store, kb) if refresh_stored else []
        fresh = ingest(paths, store, kb, max_mb) if paths else []
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary(outcomes + fresh))
    done = any(o.status in {"ingested", "refreshed"} for o in outcomes + fresh)
    return 0 if done or not fresh else 2
