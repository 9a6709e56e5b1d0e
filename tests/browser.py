"""Real-browser helpers: JupyterLab and Voilà servers on 127.0.0.1 and the system Chromium.

Servers get a free port (JupyterLab also a random token and a scratch copy of notebooks/) and are
stopped (whole process group) by the fixture that started them. The session fixtures in conftest.py
start one JupyterLab and one `make present` (Voilà) per test session (per xdist worker), and one
Chromium per module; the tests sharing a server live in one module, so `--dist loadscope` runs them on
one worker.

Every page is opened with `browser_page` (or `tabs`, for pages several tests read), which records
every request and WebSocket the page makes and, when the block ends, asserts that none went anywhere
but 127.0.0.1 (data: and blob: URLs, and file: URLs inside a folder the test names, are local too).

No fixed sleeps: every wait is for a DOM condition, a kernel status or a server answering.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from backpain.serving import CONNECTION_CLASS

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"
LOOPBACK = "127.0.0.1"


def require_chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("BACKPAIN_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing but BACKPAIN_REQUIRE_BROWSER is set (CI installs it)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def poll(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.1):
    """Return condition()'s first truthy value, checking every `interval` s; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        time.sleep(interval)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def server(args: list[str], ready_path: str, log: Path, env: dict | None = None, port: int | None = None):
    """Run a server command on a free loopback port; yield its base URL; stop it (whole process group).

    Without `port`, a free one is chosen and passed as --port; with it, the command already names it.
    """
    if port is None:
        port = free_port()
        args = [*args, f"--port={port}"]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
        )
    base = f"http://{LOOPBACK}:{port}"
    try:

        def ready():
            if proc.poll() is not None:
                raise RuntimeError(f"{args[0]} exited with {proc.returncode}; see {log}:\n{log.read_text()[-2000:]}")
            return answers(base + ready_path)

        poll(ready, 120, f"server at {base}{ready_path}", interval=0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def kernels_of(base: str) -> int:
    """How many kernels the server at `base` is running: its ipykernel child processes (Linux /proc)."""
    port = f"--port={urlparse(base).port}"

    def cmdline(pid: str) -> list[str]:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:  # the process ended while we looked
            return []

    def parent(pid: str) -> str:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
        except OSError:
            return ""

    pids = [p.name for p in Path("/proc").iterdir() if p.name.isdigit()]
    servers = {p for p in pids if port in cmdline(p) and any("python" in part for part in cmdline(p)[:1])}
    return sum(1 for p in pids if parent(p) in servers and "ipykernel_launcher" in " ".join(cmdline(p)))


@contextmanager
def jupyterlab(tmp_path: Path):
    """JupyterLab serving a scratch copy of notebooks/ (so runs never write into the repository)."""
    root = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    token = secrets.token_hex(16)
    settings = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
    bindir = Path(sys.executable).parent
    args = [
        str(bindir / "jupyter"),
        "lab",
        "--no-browser",
        "--allow-root",
        f"--ServerApp.ip={LOOPBACK}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--ServerApp.kernel_websocket_connection_class={CONNECTION_CLASS}",
    ]
    with server(args, f"/api/status?token={token}", tmp_path / "lab.log") as url:
        yield url, token


@contextmanager
def make_present(tmp_path: Path):
    """The real `make present` command (Voilà serving notebooks/, code hidden) on a free loopback port."""
    port = free_port()
    args = ["make", "--no-print-directory", "present", f"PRESENT_PORT={port}", "VOILA_FLAGS=--no-browser"]
    with server(args, "/", tmp_path / "present.log", port=port) as url:
        yield url


@contextmanager
def voila(notebook: str, tmp_path: Path):
    """Voilà serving one notebook as an app (code hidden) on a free loopback port (used by the benchmark)."""
    bindir = Path(sys.executable).parent
    args = [
        str(bindir / "voila"),
        str(ROOT / "notebooks" / notebook),
        "--no-browser",
        f"--Voila.ip={LOOPBACK}",
        "--show_tracebacks=True",
        "--VoilaExecutor.timeout=120",
        "--ServerApp.port_retries=0",
        "--template=backpain",
        f"--Voila.kernel_websocket_connection_class={CONNECTION_CLASS}",
    ]
    with server(args, "/", tmp_path / "voila.log", env={"JUPYTER_PATH": str(ROOT / "share" / "jupyter")}) as url:
        yield url


# --- Chromium --------------------------------------------------------------------------------------------


@contextmanager
def chromium():
    """One headless Chromium process (the fixture `browser` holds one per test module)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str, files: Path | None = None) -> bool:
    """True for 127.0.0.1 (http, https, ws, wss), data:, blob: and file: URLs inside `files`."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob"):
        return True
    if parsed.scheme in ("http", "https", "ws", "wss"):
        return parsed.hostname == LOOPBACK
    if parsed.scheme == "file" and files is not None:
        return Path(unquote(parsed.path)).resolve().is_relative_to(files.resolve())
    return False


def external(requests: list[str], files: Path | None = None) -> list[str]:
    """Requests that would leave the machine."""
    return [u for u in requests if not is_local(u, files)]


@contextmanager
def browser_page(browser, width: int = 1400, height: int = 1000, files: Path | None = None):
    """A fresh page (own context: no cookies, cache or storage from other tests); yields (page, requests).

    `requests` lists every request and WebSocket the page opened. When the block ends without an error,
    asserts that every one stayed on this machine (see `is_local`).
    """
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        page = context.new_page()
        page.on("websocket", lambda ws: requests.append(ws.url))
        yield page, requests
    finally:
        context.close()
    assert requests, "no request was recorded: the page was never loaded"
    leaving = external(requests, files)
    assert leaving == [], f"requests left the machine: {leaving[:10]}"


class Tabs:
    """Pages opened once each, on first use, in one browser context, each recording its own requests.

    For pages that are slow to open and that several tests read: a Voilà app runs its whole notebook
    for every load, an exported page runs 5 MB of plotly.js. `url_of(name)` gives a page's address.
    """

    def __init__(self, context, url_of: Callable[[str], str], timeout_ms: float = 60_000):
        self.context, self.url_of, self.timeout_ms = context, url_of, timeout_ms
        self.opened: dict[str, tuple] = {}

    def open(self, name: str) -> tuple:
        """(page, requests): the page `name`, loaded (its "load" event fired) the first time it is asked for."""
        if name not in self.opened:
            page, requests = self.context.new_page(), []
            page.on("request", lambda r: requests.append(r.url))
            page.on("websocket", lambda ws: requests.append(ws.url))
            page.goto(self.url_of(name), wait_until="load", timeout=self.timeout_ms)
            self.opened[name] = page, requests
        return self.opened[name]


@contextmanager
def tabs(
    browser,
    url_of: Callable[[str], str],
    width: int,
    height: int = 1000,
    files: Path | None = None,
    timeout_ms: float = 60_000,
):
    """`Tabs` in a fresh context whose pages open at `width` × `height` (see `browser_page`, which asserts at
    the end that nothing left the machine)."""
    with browser_page(browser, width, height, files=files) as (page, _requests):
        yield Tabs(page.context, url_of, timeout_ms)


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000):
    """A page in a Chromium of its own (for scripts such as the benchmark; tests use `browser_page`)."""
    with chromium() as browser, browser_page(browser, width, height) as (page, requests):
        yield page, requests


def screenshot(target, name: str) -> Path:
    """Save a PNG of a page or of one element under screenshots/ (for human review).

    Playwright scrolls an element into view and waits until it is visible and stable (not moving
    between animation frames) before taking the picture."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    if hasattr(target, "scroll_into_view_if_needed"):
        target.screenshot(path=str(path))
    else:
        target.screenshot(path=str(path), full_page=False)
    return path


# --- JupyterLab ------------------------------------------------------------------------------------------

KERNEL = "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"


def open_lab(page, base: str, token: str, timeout_ms: int = 120_000) -> None:
    """Load the JupyterLab front end once (a fresh workspace) and wait until it has started."""
    page.goto(f"{base}/lab?token={token}&reset", wait_until="domcontentloaded", timeout=timeout_ms)
    page.wait_for_function("window.jupyterapp && window.jupyterapp.serviceManager", timeout=timeout_ms)
    page.evaluate("async () => { await window.jupyterapp.restored; }")


def run_notebook(page, notebook: str, timeout_ms: int = 120_000) -> None:
    """In an open JupyterLab, open a notebook, run every cell and wait until its kernel is idle again."""
    page.evaluate(
        "async (path) => { const w = await window.jupyterapp.commands.execute('docmanager:open', {path});"
        " window.jupyterapp.shell.activateById(w.id); await w.context.ready; await w.sessionContext.ready; }",
        notebook,
    )
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout_ms)
    page.wait_for_function(f"{KERNEL} && {KERNEL}.status === 'idle'", timeout=timeout_ms)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    n_code = page.evaluate("document.querySelectorAll('.jp-Notebook .jp-CodeCell').length")
    page.wait_for_function(
        "n => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
        ".filter(p => /\\[\\d+\\]/.test(p.textContent)).length === n",
        arg=n_code,
        timeout=timeout_ms,
    )
    page.wait_for_function(f"{KERNEL}.status === 'idle'", timeout=timeout_ms)


def close_notebooks(page) -> None:
    """Stop the kernels of every open notebook and close them unsaved (the next notebook has the CPU and
    the page to itself)."""
    page.evaluate(
        "async () => { for (const w of [...window.jupyterapp.shell.widgets('main')]) {"
        " if (w.sessionContext) await w.sessionContext.shutdown();"
        " if (w.context) w.context.model.dirty = false; w.dispose(); } }"
    )
    page.wait_for_function("document.querySelectorAll('.jp-Notebook').length === 0")


# --- widgets ---------------------------------------------------------------------------------------------


def choose(select, prefix: str) -> None:
    """Pick the option of an ipywidgets Dropdown whose visible label starts with `prefix`."""
    labels = select.evaluate("s => [...s.options].map(o => o.textContent)")
    labels = [label.replace("\xa0", " ") for label in labels]
    match = [label for label in labels if label.startswith(prefix)]
    assert match, f"no option starting with {prefix!r} in {labels[:5]}…"
    select.select_option(index=labels.index(match[0]))


def click_finding(page, finding_id: str, state: str = "present") -> None:
    """Click the ✔ (present), ✘ (absent) or — (unknown) button of one finding in the differential lab's
    form, opening its group first if the student had folded it; waits until the form shows the answer."""
    row = page.locator(f".bp-finding-{finding_id}")
    if not row.is_visible():
        row.locator("xpath=ancestor::details[1]/summary").click()
    row.locator(f"button.bp-seg-{state}").click()
    row.locator(f"button.bp-seg-{state}[aria-pressed='true']").wait_for(timeout=30_000)


def in_english(page) -> None:
    """Put an app with a language switch (the lab, the quiz) back in English with that switch, if it is in
    中文. The caller then waits for the English labels it reads: the kernel relabels widgets one by one."""
    english = page.get_by_role("button", name="English", exact=True)
    if english.count() and "mod-active" not in (english.first.get_attribute("class") or ""):
        english.first.click()
        page.wait_for_function("b => b.classList.contains('mod-active')", arg=english.first.element_handle())


RANKING_NAMES = "() => [...document.querySelectorAll('.bp-ranking .bp-rank-name')].map(n => n.textContent)"


def ranking_labels(page) -> list[str]:
    """The cause names the lab's ranking shows, most likely first."""
    return page.evaluate(RANKING_NAMES)
