"""Click-to-updated-ranking time of the differential lab in real Chromium (Voilà on 127.0.0.1).

Clicks a finding's ✔/— button in the lab's form and measures, inside the page, the time from the
click until the ranking shows the new result (its HTML has changed). Two paces: back to back (the
next click as soon as the ranking has changed, which also waits for whatever the last click left
queued) and one click a second (a student reading between clicks). Prints the median and spread of
each; asserts nothing. Voilà runs with the workbook's kernel websocket (lib/backpain/serving.py).

    python benchmarks/bench_lab_browser.py [CLICKS]
"""

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import chromium_page, voila

MEASURE = """selector => new Promise((resolve, reject) => {
  const out = document.querySelector('.bp-ranking');
  const row = document.querySelector(selector);
  const symbol = row.dataset.state === 'present' ? '—' : '✔';  // always a change: set it, or clear it
  const before = out.innerHTML;
  const t0 = performance.now();
  const obs = new MutationObserver(() => {
    if (out.innerHTML !== before) { obs.disconnect(); resolve(performance.now() - t0); }
  });
  obs.observe(out, {childList: true, subtree: true, characterData: true});
  setTimeout(() => { obs.disconnect(); reject(new Error('the ranking did not change within 10 s')); }, 10000);
  [...row.querySelectorAll('button')].find(b => b.textContent.trim() === symbol).click();
})"""
FINDINGS = ["loc_lumbar", "agg_movement", "rel_rest", "agg_palpation", "loc_thoracic"]


def clicks(page, n: int, pause_ms: int) -> list[float]:
    """n clicks, each setting or clearing one of FINDINGS in turn; the first two (warming up) left out."""
    times = []
    for i in range(n + 2):
        page.wait_for_timeout(pause_ms)
        times.append(page.evaluate(MEASURE, f".bp-finding-{FINDINGS[i % len(FINDINGS)]}"))
    return sorted(times[2:])


def main(n: int = 40) -> None:
    with voila("04_differential_lab.ipynb", Path(tempfile.mkdtemp())) as url, chromium_page(1400, 1300) as (page, _):
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_selector(".bp-ranking .bp-rank", timeout=120_000)
        page.wait_for_selector(".bp-finding-loc_lumbar", timeout=120_000)
        print(f"differential lab, click → ranking updated, {n} clicks at each pace in headless Chromium:")
        for pace, pause_ms in (("back to back", 0), ("one a second", 1000)):
            t = clicks(page, n, pause_ms)
            print(
                f"  {pace:13s} median {statistics.median(t):4.0f} ms   p90 {t[int(0.9 * len(t))]:4.0f} ms   "
                f"min {t[0]:4.0f} ms   max {t[-1]:4.0f} ms"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
