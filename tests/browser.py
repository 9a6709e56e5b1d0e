"""Real-browser helpers: a JupyterLab (or Voilà) server on 127.0.0.1 and the system Chromium.

Servers get a free port, a random token and a scratch root folder, and are stopped (whole process
group) by the fixture that started them. Every request the page makes is recorded so tests can
prove nothing left the machine.
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
from contextlib import contextmanager
from pathlib import Path

import pytest

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


def require_chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("BACKPAIN_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing but BACKPAIN_REQUIRE_BROWSER is set (CI installs it)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"server at {url} did not answer within {timeout} s")


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
    try:
        wait_for(f"http://127.0.0.1:{port}{ready_path}")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


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
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with server(args, f"/api/status?token={token}", tmp_path / "lab.log") as url:
        yield url, token


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000):
    """A fresh headless Chromium page; yields (page, requests) where requests lists every URL asked for."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="en-GB")
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            yield page, requests
        finally:
            browser.close()


def external(requests: list[str]) -> list[str]:
    """Requests that would leave the machine."""
    local = ("http://127.0.0.1", "data:", "blob:", "about:", "file:")
    return [u for u in requests if not u.startswith(local)]


def screenshot(target, name: str) -> Path:
    """Save a PNG of a page or of one element (scrolled into view first) under screenshots/."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    if hasattr(target, "scroll_into_view_if_needed"):
        target.scroll_into_view_if_needed()
        target.page.wait_for_timeout(500)
        target.screenshot(path=str(path))
    else:
        target.screenshot(path=str(path), full_page=False)
    return path


def run_all_in_lab(page, base: str, token: str, notebook: str, timeout_ms: int = 120_000) -> None:
    """Open a notebook in JupyterLab, run every cell, and wait until the kernel is idle again."""
    page.goto(f"{base}/lab/tree/{notebook}?token={token}&reset", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout_ms)
    page.wait_for_function(
        "window.jupyterapp && window.jupyterapp.shell.currentWidget "
        "&& window.jupyterapp.shell.currentWidget.sessionContext "
        "&& window.jupyterapp.shell.currentWidget.sessionContext.session "
        "&& window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
        timeout=timeout_ms,
    )
    page.wait_for_function(
        "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'", timeout=timeout_ms
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    n_code = page.evaluate("document.querySelectorAll('.jp-Notebook .jp-CodeCell').length")
    page.wait_for_function(
        "n => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
        ".filter(p => /\\[\\d+\\]/.test(p.textContent)).length === n",
        arg=n_code,
        timeout=timeout_ms,
    )
    page.wait_for_function(
        "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'", timeout=timeout_ms
    )


def choose(select, prefix: str) -> None:
    """Pick the option of an ipywidgets Dropdown whose visible label starts with `prefix`."""
    labels = select.evaluate("s => [...s.options].map(o => o.textContent)")
    labels = [label.replace("\xa0", " ") for label in labels]
    match = [label for label in labels if label.startswith(prefix)]
    assert match, f"no option starting with {prefix!r} in {labels[:5]}…"
    select.select_option(index=labels.index(match[0]))


@contextmanager
def voila(notebook: str, tmp_path: Path):
    """Voilà serving one notebook as an app (code hidden) on a free loopback port."""
    bindir = Path(sys.executable).parent
    args = [
        str(bindir / "voila"),
        str(ROOT / "notebooks" / notebook),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        "--show_tracebacks=True",
        "--VoilaExecutor.timeout=120",
        "--ServerApp.port_retries=0",
        "--template=backpain",
    ]
    with server(args, "/", tmp_path / "voila.log", env={"JUPYTER_PATH": str(ROOT / "share" / "jupyter")}) as url:
        yield url


def click_finding(page, finding_id: str, state: str = "present") -> None:
    """Click the ✔ (present), ✘ (absent) or — (unknown) button of one finding in the differential lab."""
    symbol = {"present": "✔", "absent": "✘", "unknown": "—"}[state]
    row = page.locator(f".bp-finding-{finding_id}")
    if not row.is_visible():  # open its accordion section first
        section = row.locator(
            "xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' jupyter-widget-Collapse ')][1]"
        )
        section.locator("> .jupyter-widget-Collapse-header").click()
    row.locator("button", has_text=symbol).click()


def ranking_labels(page) -> list[str]:
    """The cause labels of the lab's ranking chart, most likely first (read from the plotly graph div)."""
    return page.evaluate(
        "() => { const gd = document.querySelector('.bp-ranking .js-plotly-plot');"
        " return gd ? [...gd.data[0].y].reverse() : []; }"
    )
