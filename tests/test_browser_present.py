"""`make present` and `make html`, as an instructor and a student would use them, in real Chromium."""

import os
import subprocess
import time
from pathlib import Path

import pytest
from browser import ROOT, chromium_page, external, free_port, require_chromium, screenshot, server

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def present(tmp_path_factory):
    """The real `make present` command, on a free loopback port, stopped afterwards."""
    require_chromium()
    log = tmp_path_factory.mktemp("present") / "present.log"
    port = free_port()
    args = ["make", "--no-print-directory", "present", f"PRESENT_PORT={port}", "VOILA_FLAGS=--no-browser"]
    with server(args, "/", log, port=port) as url:
        yield url


def _answer(page, group: str, cause: str, urgency: str, correct: str) -> None:
    """Click the three choices as a student would, check, and wait for the cause's verdict."""
    page.locator(".widget-toggle-buttons").nth(1).locator("button", has_text=group).click()
    select = page.locator(".widget-dropdown select").first
    labels = select.evaluate("s => [...s.options].map(o => o.textContent.replace(/\\u00a0/g, ' '))")
    select.select_option(index=labels.index(cause))
    page.locator(".widget-toggle-buttons").nth(2).locator("button", has_text=urgency).click()
    page.get_by_role("button", name="Check my answer").click()
    page.wait_for_selector(f".bp-feedback-part[data-part='cause'][data-correct='{correct}']", timeout=30_000)


def test_present_serves_the_quiz_and_a_student_can_answer(present):
    with chromium_page(1300, 1200) as (page, requests):
        page.goto(f"{present}/voila/render/07_case_quiz.ipynb", wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_selector(".bp-case", timeout=120_000)
        assert "import backpain" not in page.content()  # code hidden
        _answer(page, "Mechanical (spine)", "Lumbar muscle strain (chronic overuse)", "Routine", "true")
        assert "1/1 causes" in page.inner_text(".bp-score")
        screenshot(page, "07_quiz_feedback")
        page.get_by_role("button", name="Next case ▶").click()
        page.wait_for_function("document.querySelector('.bp-case').textContent.includes('2/')", timeout=30_000)
        _answer(page, "Visceral (referred)", "Angina pectoris", "EMERGENCY", "false")
        assert "1/2 causes" in page.inner_text(".bp-score")
        screenshot(page, "07_quiz_wrong_en")
        page.get_by_role("button", name="中文").click()
        page.wait_for_function("document.querySelector('.bp-case').textContent.includes('病例')", timeout=30_000)
        page.wait_for_selector(
            ".bp-feedback-part[data-part='cause'][data-correct='false']", timeout=30_000
        )  # answer kept
        screenshot(page, "07_quiz_zh")
        assert external(requests) == []


def test_present_serves_the_lab(present):
    with chromium_page() as (page, requests):
        page.goto(f"{present}/voila/render/04_differential_lab.ipynb", wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_selector(".bp-ranking .js-plotly-plot", timeout=120_000)
        assert external(requests) == []


def test_make_html_exports_offline_pages_with_live_charts(tmp_path):
    require_chromium()
    env = {**os.environ}
    result = subprocess.run(
        ["make", "--no-print-directory", "html"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = ROOT / "build" / "html"
    pages = sorted(out.glob("*.html"))
    assert [p.stem for p in pages] == [p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
    for name, min_plots in (("02_cause_taxonomy", 1), ("05_comparing_sources", 7)):
        with chromium_page() as (page, requests):
            page.goto((out / f"{name}.html").as_uri())
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {min_plots}", timeout=60_000
            )
            assert "Static copy for reading" in page.inner_text("body")
            assert [u for u in requests if not u.startswith("file:")] == []  # nothing leaves the machine
            screenshot(page, f"html_{name}")


def test_make_lab_opens_the_start_notebook(tmp_path):
    """The README's first command: JupyterLab on 127.0.0.1, asking the browser to open 00_start_here.

    $BROWSER is replaced by a script that records what JupyterLab asks to open; Chromium then opens it.
    """
    require_chromium()
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
        for _ in range(100):
            if opened.exists():
                break
            time.sleep(0.3)
        target = opened.read_text().split()[0]
        with chromium_page() as (page, requests):
            page.goto(target if "://" in target else Path(target).as_uri(), wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=120_000)
            assert "/lab/tree/notebooks/00_start_here.ipynb" in page.url
            assert "Start here" in page.inner_text(".jp-Notebook")
            screenshot(page, "00_make_lab")
            assert external(requests) == []
