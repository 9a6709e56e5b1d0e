"""`make html` and `make lab`, the commands a student types, checked as commands (`make lab` in real Chromium)."""

import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from browser import ROOT, browser_page, free_port, poll, screenshot, server

pytestmark = [pytest.mark.browser, pytest.mark.heavy, pytest.mark.timeout(600)]

# the pages `make html` exports are checked in test_browser_export.py


def test_make_html_runs_the_export_command():
    """`make html` is `python -m backpain export --out build/html`: the command the exports below run."""
    dry = subprocess.run(["make", "-n", "--no-print-directory", "html"], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert re.search(r"python -m backpain export --out build/html$", dry.stdout, re.M), dry.stdout


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
