"""Click-to-updated-chart time of the differential lab in real Chromium (Voilà on 127.0.0.1).

Clicks a finding's ✔/— button in the lab's form and measures, inside the page, the time from the
click until the ranking chart has been redrawn (a new plotly graph with its SVG in the ranking
output). Prints the median and spread; asserts nothing.

    python benchmarks/bench_lab_browser.py [CLICKS]
"""

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import chromium_page, voila

MEASURE = """([selector, symbol]) => new Promise(resolve => {
  const out = document.querySelector('.bp-ranking');
  const old = out.querySelector('.js-plotly-plot');
  const t0 = performance.now();
  const done = () => {
    const gd = out.querySelector('.js-plotly-plot');
    if (gd && gd !== old && gd.querySelector('.main-svg .barlayer')) { obs.disconnect(); resolve(performance.now() - t0); }
  };
  const obs = new MutationObserver(done);
  obs.observe(out, {childList: true, subtree: true});
  [...document.querySelectorAll(selector + ' button')].find(b => b.textContent.trim() === symbol).click();
})"""


def main(clicks: int = 40) -> None:
    findings = ["loc_lumbar", "agg_movement", "rel_rest", "agg_palpation", "loc_thoracic"]
    with voila("04_differential_lab.ipynb", Path(tempfile.mkdtemp())) as url, chromium_page(1400, 1300) as (page, _):
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_selector(".bp-ranking .js-plotly-plot .main-svg", timeout=120_000)
        page.wait_for_selector(".bp-finding-loc_lumbar", timeout=120_000)
        times = []
        for i in range(clicks):
            f = findings[i % len(findings)]
            symbol = "✔" if (i // len(findings)) % 2 == 0 else "—"
            times.append(page.evaluate(MEASURE, [f".bp-finding-{f}", symbol]))
        times = times[2:]  # first clicks warm up the kernel and plotly
        times.sort()
        print(f"differential lab, click → ranking chart redrawn, {len(times)} clicks in headless Chromium:")
        print(
            f"  median {statistics.median(times):.0f} ms   p90 {times[int(0.9 * len(times))]:.0f} ms   "
            f"min {times[0]:.0f} ms   max {times[-1]:.0f} ms"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
