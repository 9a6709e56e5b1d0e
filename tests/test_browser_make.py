"""`make html` and `make lab` as a student uses them, checked in real Chromium."""

import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest
from browser import ROOT, browser_page, free_port, poll, require_chromium, screenshot, server

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# `exported` (every notebook exported as `make html` does, once per session) is in conftest.py: the
# layout check (test_layout.py) reads the same pages


def test_make_html_runs_the_export_command():
    """`make html` is `python -m backpain export --out build/html`: the command the exports below run."""
    dry = subprocess.run(["make", "-n", "--no-print-directory", "html"], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert re.search(r"python -m backpain export --out build/html$", dry.stdout, re.M), dry.stdout


@pytest.mark.parametrize("name", [nb.stem for nb in NOTEBOOKS])
def test_exported_page_is_offline_with_live_charts(browser, exported, name):
    """One page per notebook: plotly.js inline, no script from a CDN, the static-copy note, each cell
    tagged "interactive" replaced by its note; in Chromium (file://, nothing may load from elsewhere)
    every chart draws."""
    require_chromium()
    page_file = exported / f"{name}.html"
    html = page_file.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=\"(https?:)?//", html), "a script is fetched from the network"
    assert not re.search(r"<link[^>]*\shref=\"(https?:)?//", html), "a stylesheet is fetched from the network"
    n_charts = html.count('class="plotly-graph-div"')
    if n_charts:
        assert "plotly.js v" in html  # the library itself is in the page
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    n_interactive = sum("interactive" in c.metadata.get("tags", []) for c in notebook.cells)
    assert html.count("interactive widget: open this notebook in JupyterLab") == n_interactive
    with browser_page(browser, files=exported) as (page, _requests):
        page.goto(page_file.as_uri())
        page.wait_for_function(
            "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n", arg=n_charts, timeout=60_000
        )
        assert page.locator(".js-plotly-plot").count() == n_charts
        assert "Static copy for reading" in page.inner_text(".bp-static-note")
        screenshot(page, f"html_{name}")


def test_make_lab_opens_the_start_notebook(browser, tmp_path):
    """The README's first command: JupyterLab on 127.0.0.1, asking the browser to open 00_start_here.

    $BROWSER is replaced by a script that records what JupyterLab asks to open; Chromium then opens it.
    This is the real `make lab` command, so it starts a JupyterLab of its own (serving the repository).
    """
    opened = tmp_path / "opened.txt"
    fake_browser = tmp_path / "browser.sh"
    fake_browser.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    fake_browser.chmod(0o755)
    port, token = free_port(), "bp-test-token"
    args = [
        "make",
        "--no-print-directory",
        "lab",
        f"PORT={port}",
        f"LAB_FLAGS=--IdentityProvider.token={token} --LabApp.workspaces_dir={tmp_path}",
    ]
    env = {"BROWSER": f"{fake_browser} %s"}
    with server(args, f"/api/status?token={token}", tmp_path / "lab.log", env=env, port=port):
        target = poll(lambda: opened.exists() and opened.read_text().split(), 30, "make lab opening a browser")[0]
        url = target if "://" in target else Path(target).as_uri()  # a redirect file in JupyterLab's runtime folder
        folder = Path(unquote(urlparse(url).path)).parent if url.startswith("file:") else None
        with browser_page(browser, files=folder) as (page, _requests):
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_function(  # markdown cells are rendered one by one
                "() => { const nb = document.querySelector('.jp-Notebook');"
                " return nb !== null && nb.innerText.includes('Start here'); }",
                timeout=120_000,
            )
            assert "/lab/tree/notebooks/00_start_here.ipynb" in page.url
            screenshot(page, "00_make_lab")
