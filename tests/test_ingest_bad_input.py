"""Ingest never dies on one input: every file given or found is stored or listed with its reason."""

import errno
import hashlib
import os
import socket
from pathlib import Path

import pandas as pd
import pytest

from backpain.__main__ import main as cli
from backpain.knowledge.base import DEFAULT_DATA_DIR
from backpain.sources import ingest

pytestmark = pytest.mark.timeout(30)  # a hang (a pipe read for ever) fails instead of blocking the suite

ENGLISH = "Pain after meals boring through to the back can be pancreatitis, and sciatica runs down the leg."
JAPANESE = (
    "<html><head><title>腰痛について</title></head><body><h1>腰痛の主な原因</h1>"
    "<p>腰痛の主な原因は、筋肉の疲労や姿勢の悪さです。長時間座っていると腰に負担がかかります。</p>"
    "<p>坐骨神経痛は足にしびれが出ることがあります。椎間板ヘルニアも原因になります。</p></body></html>"
)
RUSSIAN = (
    "Боль в спине часто вызвана остеохондрозом или мышечным спазмом. Обратитесь к врачу, если боль "
    "не проходит. Причины: грыжа диска, радикулит, пиелонефрит."
)


@pytest.fixture
def store(tmp_path):
    return ingest.Store(tmp_path / "store")


def _listed(outcomes, names):
    """Each name has exactly one outcome with a reason, and one line in the summary; {name: outcome}."""
    by_name = {Path(o.path).name: o for o in outcomes}
    assert sorted(by_name) == sorted(names) and len(outcomes) == len(names)
    summary = ingest.summary(outcomes)
    summary.encode("utf-8")  # printable: no lone surrogates from undecodable names
    assert (
        summary.splitlines()[0] == f"ingested {sum(o.status == 'ingested' for o in outcomes)} of {len(names)} file(s)"
    )
    for o in outcomes:
        assert o.reason and o.status in {"ingested", "skipped"}
        assert sum(o.path in line for line in summary.splitlines()[1:]) == 1
    return by_name


def _no_orphans(store):
    """Every page file is registered and every mention belongs to a registered page."""
    ids = {r["source_id"] for r in store.registry()}
    assert {p.stem for p in store.pages.glob("*")} == ids
    assert set(pd.read_csv(store.mentions_path).source_id) <= ids


def test_pipes_devices_and_sockets_are_listed_without_being_opened(kb, store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")  # opening it for reading would block for ever
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.html"))
    (folder / "page.txt").write_text(ENGLISH, encoding="utf-8")
    outcomes = ingest.ingest([folder, folder / "pipe.txt", "/dev/null"], store, kb)
    sock.close()
    assert [o.status for o in outcomes] == ["ingested", "skipped", "skipped", "skipped", "skipped"]
    reasons = [o.reason for o in outcomes[1:]]
    assert reasons == [
        "not a regular file (a named pipe), never opened",
        "not a regular file (a socket), never opened",
        "not a regular file (a named pipe), never opened",
        "not a regular file (a device), never opened",
    ]
    _listed(outcomes[:3], ["page.txt", "pipe.txt", "sock.html"])
    assert ingest.summary(outcomes).startswith("ingested 1 of 5 file(s)")


def test_symbolic_links_leaving_the_folder_are_not_followed(kb, store, tmp_path):
    secret = tmp_path / "outside" / "private notes.txt"
    secret.parent.mkdir()
    secret.write_text("My own medical history: sciatica since 2019.", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "link out.txt").symlink_to(secret)
    (folder / "folder out").symlink_to(secret.parent)
    (folder / "link in.txt").symlink_to(folder / "page.txt")  # stays inside: read
    (folder / "broken.txt").symlink_to(folder / "gone.txt")
    by_name = _listed(
        ingest.ingest([folder], store, kb), ["page.txt", "link out.txt", "folder out", "link in.txt", "broken.txt"]
    )
    assert (
        by_name["link out.txt"].reason
        == by_name["folder out"].reason
        == "symbolic link leaves the folder, not followed"
    )
    assert by_name["link in.txt"].status == "ingested"  # comes first in name order
    assert by_name["page.txt"].reason == f"duplicate of '{by_name['link in.txt'].source_id}'"
    assert by_name["broken.txt"].reason.startswith("cannot read")
    assert [r["original_name"] for r in store.registry()] == ["link in.txt"]
    assert not any("medical history" in p.read_text("utf-8") for p in store.pages.glob("*.txt"))


def test_file_name_that_is_not_utf8_is_shown_escaped_and_the_run_goes_on(kb, store, tmp_path):
    folder = tmp_path / "from a GBK zip"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), "后背疼痛.txt".encode("gbk"))
    try:
        fd = os.open(raw, os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError as error:
        pytest.skip(f"this file system refuses a file name that is not UTF-8: {error}")
    os.write(fd, "腰背痛的常见原因有很多，比如久坐、姿势不良、腰肌劳损，还有坐骨神经痛。".encode())
    os.close(fd)
    (folder / "z after.txt").write_text(ENGLISH, encoding="utf-8")
    outcomes = ingest.ingest([folder], store, kb)
    escaped = "后背疼痛.txt".encode("gbk").decode("utf-8", "backslashreplace")
    assert escaped.startswith("\\xba\\xf3\\xb1\\xb3")
    by_name = _listed(outcomes, [escaped, "z after.txt"])
    assert by_name[escaped].status == "ingested" and "name is not valid UTF-8" in by_name[escaped].reason
    assert by_name["z after.txt"].status == "ingested"  # the files after it are processed
    assert {r["original_name"] for r in store.registry()} == {escaped, "z after.txt"}
    _no_orphans(store)
    again = ingest.ingest([raw], ingest.Store(tmp_path / "other store"), kb)  # a bytes path works too
    assert [o.path for o in again] == [str(folder / escaped)] and again[0].status == "ingested"


def test_unsupported_types_are_listed_with_what_to_do(kb, store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "leaflet.pdf").write_bytes(b"%PDF-1.4 ...")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "README").write_text("no suffix", encoding="utf-8")
    (folder / "page.htm").write_text(f"<p>{ENGLISH}</p>", encoding="utf-8")
    outcomes = ingest.ingest([folder], store, kb)
    by_name = _listed(outcomes, ["leaflet.pdf", "notes.docx", "README", "page.htm"])
    assert by_name["leaflet.pdf"].reason == "unsupported file type '.pdf': save the page as .html or .txt"
    assert by_name["notes.docx"].reason == "unsupported file type '.docx': save the page as .html or .txt"
    assert by_name["README"].reason == "unsupported file type '(none)': save the page as .html or .txt"
    assert ingest.summary(outcomes).startswith("ingested 1 of 4 file(s)")  # not 'ingested 0 of 0'


def test_shift_jis_is_decoded_as_japanese_or_skipped_never_mojibake(kb, store, tmp_path):
    page = tmp_path / "腰痛.html"
    page.write_bytes(JAPANESE.encode("shift_jis"))
    short = tmp_path / "short.txt"
    short.write_bytes("腰痛の原因".encode("shift_jis"))  # equally valid Korean (cp949) and Chinese: ambiguous
    outcomes = ingest.ingest([page, short], store, kb)
    by_name = _listed(outcomes, ["腰痛.html", "short.txt"])
    registry = {r["original_name"]: r for r in store.registry()}
    for name, expected in (
        ("腰痛.html", "腰痛の主な原因は、筋肉の疲労や姿勢の悪さです。"),
        ("short.txt", "腰痛の原因"),
    ):
        o = by_name[name]
        if o.status == "ingested":
            assert expected in (store.pages / f"{o.source_id}.txt").read_text("utf-8")
            assert registry[name]["language"] == "other"  # kana: Japanese, neither zh nor en
        else:
            assert o.reason.startswith("cannot determine the text encoding")
    assert by_name["腰痛.html"].status == "ingested"  # a whole page is long enough to tell
    assert by_name["short.txt"].reason.startswith("cannot determine the text encoding confidently")


def test_languages_other_than_chinese_and_english_are_other(kb, store, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "COMMIT_EVERY", 2)  # registered in three commits
    pages = {
        "ru.txt": RUSSIAN,
        "ru-1251.txt": RUSSIAN + " Дополнительно.",
        "ja.txt": "腰痛の主な原因は筋肉の疲労です。",
        "fr.txt": "La douleur au dos est fréquente. Les causes sont nombreuses: hernie discale, sciatique.",
        "en.txt": ENGLISH,
        "zh.txt": "腰背痛的常见原因有很多，比如腰肌劳损和坐骨神经痛。",
    }
    for name, text in pages.items():
        (tmp_path / name).write_bytes(text.encode("cp1251" if name == "ru-1251.txt" else "utf-8"))
    outcomes = ingest.ingest([tmp_path / name for name in pages], store, kb)
    by_name = _listed(outcomes, list(pages))
    assert all(o.status == "ingested" for o in outcomes), ingest.summary(outcomes)
    language = {r["original_name"]: r["language"] for r in store.registry()}
    assert language == {
        "ru.txt": "other",
        "ru-1251.txt": "other",
        "ja.txt": "other",
        "fr.txt": "other",
        "en.txt": "en",
        "zh.txt": "zh",
    }
    assert by_name["ru-1251.txt"].reason.startswith("cp1251")
    mentions = pd.read_csv(store.mentions_path)
    found = mentions.groupby("source_id").cause_id.apply(set)
    assert {"pancreatitis", "sciatica"} <= found[by_name["en.txt"].source_id]  # extraction still works for en and zh
    assert "lumbar_muscle_strain" in found[by_name["zh.txt"].source_id]


def test_write_failures_become_skipped_lines(kb, store, tmp_path, monkeypatch):
    first = tmp_path / "first.txt"
    first.write_text(ENGLISH, encoding="utf-8")
    ingest.ingest([first], store, kb)
    before = {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file()}
    pages = [tmp_path / "a.txt", tmp_path / "b.txt"]
    pages[0].write_text("Tearing pain between the shoulder blades can be an aortic dissection.", encoding="utf-8")
    pages[1].write_text("A kidney stone can cause flank pain.", encoding="utf-8")

    def read_only(*args):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(ingest.os, "replace", read_only)  # as on a file system mounted read-only
    outcomes = ingest.ingest(pages, store, kb)
    by_name = _listed(outcomes, ["a.txt", "b.txt"])
    assert all(o.reason == "cannot write to the store: Read-only file system" for o in by_name.values())
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file()} == before  # nothing half-written
    _no_orphans(store)


def test_failed_registry_write_leaves_no_orphan_and_the_rerun_stores_it_once(kb, store, tmp_path, monkeypatch):
    page = tmp_path / "page.txt"
    page.write_text(ENGLISH, encoding="utf-8")
    real = ingest.write_atomically

    def registry_fails(path, text):
        if path.name == "registry.csv" and "page.txt" in text:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        real(path, text)

    monkeypatch.setattr(ingest, "write_atomically", registry_fails)
    [failed] = ingest.ingest([page], store, kb)
    assert failed.status == "skipped" and failed.reason == "cannot write to the store: Permission denied"
    assert ingest.summary([failed]).startswith("ingested 0 of 1 file(s)")
    _no_orphans(store)
    assert pd.read_csv(store.mentions_path).empty  # the appended mentions were cut back
    monkeypatch.undo()
    [stored] = ingest.ingest([page], store, kb)
    assert stored.status == "ingested" and stored.mentions == 2
    assert len(pd.read_csv(store.mentions_path)) == 2


def test_rerun_does_not_duplicate_mentions(kb, store, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(ENGLISH, encoding="utf-8")
    [first] = ingest.ingest([page], store, kb)
    mentions = pd.read_csv(store.mentions_path)
    assert first.status == "ingested" and len(mentions) == first.mentions == 2
    [again] = ingest.ingest([page], store, kb)
    assert again.status == "skipped" and again.reason == f"duplicate of '{first.source_id}'"
    pd.testing.assert_frame_equal(pd.read_csv(store.mentions_path), mentions)
    # a run killed after appending mentions but before registering: its rows are dropped, not doubled
    other = tmp_path / "other.txt"
    other.write_text("A kidney stone can cause flank pain.", encoding="utf-8")
    with open(store.mentions_path, "a", encoding="utf-8") as f:
        f.write("web_0123456789,2,14,kidney stone,nephrolithiasis,cause,True\n")
        f.write("web_0123456789,0,5,A kid")  # cut off mid-row
    outcomes = ingest.ingest([page, other], store, kb)
    _listed(outcomes, ["page.txt", "other.txt"])
    assert [o.status for o in outcomes] == ["skipped", "ingested"]
    after = pd.read_csv(store.mentions_path)
    assert "web_0123456789" not in set(after.source_id) and not after.duplicated().any()
    assert len(after) == 2 + outcomes[1].mentions
    _no_orphans(store)


@pytest.mark.parametrize(
    "content, problem",
    [
        ("\ufeff" + ",".join(ingest.REGISTRY_COLUMNS) + "\n", "byte-order mark"),
        (";".join(ingest.REGISTRY_COLUMNS) + "\nweb_1;a.txt;x;y;utf-8;text;en;1;1;2024\n", "';' between fields"),
        ("\ufeff" + ";".join(ingest.REGISTRY_COLUMNS) + "\n", "';' between fields"),
        ("source_id,original_name\nweb_1,a.txt\n", "its first line must be source_id,original_name,original_sha256"),
        (",".join(ingest.REGISTRY_COLUMNS) + "\nweb_1,a.txt,x\n", "row 1 has 3 fields, not 10"),
    ],
)
def test_registry_a_spreadsheet_edited_stops_the_run_with_one_line(kb, tmp_path, capsys, content, problem):
    store = tmp_path / "store"
    (store / "pages").mkdir(parents=True)
    (store / "registry.csv").write_bytes(content.encode("utf-8"))
    page = tmp_path / "page.txt"
    page.write_text(ENGLISH, encoding="utf-8")
    assert cli(["ingest", str(page), "--store", str(store)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and problem in err and "registry.csv" in err
    assert "Traceback" not in err and "KeyError" not in err
    assert sorted(p.name for p in store.rglob("*")) == ["pages", "registry.csv"]  # nothing written
    assert (store / "registry.csv").read_bytes() == content.encode("utf-8")
    with pytest.raises(ingest.StoreError, match=r"registry\.csv"):
        ingest.ingest([page], ingest.Store(store), kb)


def test_read_only_store_stops_the_run_with_one_line(kb, tmp_path, capsys, monkeypatch):
    page = tmp_path / "page.txt"
    page.write_text(ENGLISH, encoding="utf-8")
    store = tmp_path / "store"
    assert cli(["ingest", str(page), "--store", str(store)]) == 0
    capsys.readouterr()
    for p in [store / "registry.csv", store / "mentions_auto.csv", store / "pages", store]:
        p.chmod(0o444 if p.is_file() else 0o555)
    if os.access(store / "registry.csv", os.W_OK):  # root: permission bits do not stop writing; see what a user would
        monkeypatch.setattr(ingest.os, "access", lambda path, mode: not Path(path).is_relative_to(store))
    other = tmp_path / "other.txt"
    other.write_text("A kidney stone can cause flank pain.", encoding="utf-8")
    try:
        assert cli(["ingest", str(other), "--store", str(store)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("error: cannot write to the store:") and "read-only" in err
        assert len(err.splitlines()) == 1 and len(list((store / "pages").iterdir())) == 1
    finally:
        for p in [store, store / "pages"]:
            p.chmod(0o755)


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "lots"])
def test_max_mb_must_be_a_positive_number(kb, tmp_path, capsys, value):
    page = tmp_path / "page.txt"
    page.write_text(ENGLISH, encoding="utf-8")
    assert cli(["ingest", str(page), "--store", str(tmp_path / "s"), "--max-mb", value]) == 2
    err = capsys.readouterr().err
    assert f"argument --max-mb: must be a positive number of megabytes, not '{value}'" in err
    assert "Traceback" not in err and not (tmp_path / "s").exists()
    with pytest.raises(ValueError):
        ingest.ingest([page], ingest.Store(tmp_path / "s"), kb, max_mb=float(value) if value != "lots" else value)


def _checksums(folder: Path) -> dict:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("inside", ["sources", ".", "curation", "sources/new"])
def test_curated_folders_are_refused_as_store(kb, tmp_path, capsys, inside):
    page = tmp_path / "page.txt"
    page.write_text(ENGLISH, encoding="utf-8")
    before = _checksums(DEFAULT_DATA_DIR)
    store = DEFAULT_DATA_DIR / inside
    assert cli(["ingest", str(page), "--store", str(store)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"error: refusing to store in {store}: it is inside the curated data folder")
    assert _checksums(DEFAULT_DATA_DIR) == before and not (DEFAULT_DATA_DIR / "sources" / "new").exists()


def test_unreadable_folder_is_listed(kb, store, tmp_path):
    folder = tmp_path / "in"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    (locked / "inside.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "page.txt").write_text("A kidney stone can cause flank pain.", encoding="utf-8")
    locked.chmod(0o000)
    try:
        outcomes = ingest.ingest([folder], store, kb)
        if os.access(locked, os.R_OK):  # root reads it anyway: the run completes and lists its files
            by_name = _listed(outcomes, ["inside.txt", "page.txt"])
            assert all(o.status == "ingested" for o in by_name.values())
        else:
            by_name = _listed(outcomes, ["locked", "page.txt"])
            assert by_name["locked"].reason == "cannot read folder: Permission denied"
            assert by_name["page.txt"].status == "ingested"
    finally:
        locked.chmod(0o755)
    _no_orphans(store)
