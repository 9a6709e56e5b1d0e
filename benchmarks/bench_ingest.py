"""Ingest + extraction throughput and peak memory on synthetic corpora built from the real pages.

For each size (number of pages), a corpus is written to a scratch folder: every page is a random
mix of paragraphs from the five curated pages (Chinese and English), about 25 KB, with a unique
first line so no page is a duplicate. Each size is ingested in a fresh process, so its peak memory
(ru_maxrss) is its own. Prints MB/s for the whole ingest and for extraction alone as ingest runs it
(Extractor.rows: wall clock, and per CPU second, which a busy shared machine disturbs less), and per
CPU second for the same mentions as a DataFrame (Extractor.find, what a notebook asks for); asserts nothing.

    python benchmarks/bench_ingest.py [SIZES...]      (default: 1000 3000 10000 pages)
"""

import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import backpain
from backpain.sources import ingest
from backpain.sources.extract import Extractor
corpus, store = Path(sys.argv[1]), Path(sys.argv[2])
kb = backpain.load()
t0 = time.perf_counter()
outcomes = ingest.ingest([corpus], ingest.Store(store), kb)
ingest_s = time.perf_counter() - t0
ex = Extractor.from_kb(kb)
texts = [page.read_text("utf-8") for page in sorted((store / "pages").glob("*.txt"))]
t0, cpu0 = time.perf_counter(), time.process_time()
mentions = sum(len(ex.rows(text)) for text in texts)  # what ingest runs
extract_s, extract_cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
t0 = time.process_time()
for text in texts:
    ex.find(text)  # the same mentions as a DataFrame, as a notebook asks for them
find_cpu_s = time.process_time() - t0
print(json.dumps({"pages": sum(o.status == "ingested" for o in outcomes), "ingest_s": ingest_s, "extract_s": extract_s, "extract_cpu_s": extract_cpu_s,
                  "find_cpu_s": find_cpu_s, "text_bytes": sum(len(t.encode("utf-8")) for t in texts), "mentions": mentions,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build_corpus(folder: Path, pages: int, seed: int = 7) -> int:
    import backpain

    kb = backpain.load()
    paragraphs = [p for s in kb.source_ids for p in kb.text(s).split("\n\n") if len(p.strip()) > 40]
    rng = random.Random(seed)
    total = 0
    for i in range(pages):
        body, size = [f"synthetic page {i}"], 0
        while size < 25_000:
            p = rng.choice(paragraphs)
            body.append(p)
            size += len(p.encode("utf-8"))
        data = "\n\n".join(body).encode("utf-8")
        (folder / f"page_{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def main(sizes: list[int]) -> None:
    print(
        f"{'pages':>7} {'corpus MB':>10} {'ingest s':>9} {'ingest MB/s':>12} {'extract MB/s':>13} {'CPU MB/s':>9} {'frame CPU MB/s':>15} {'mentions':>9} {'peak MB':>8}"
    )
    for n in sizes:
        scratch = Path(tempfile.mkdtemp(prefix="bp-bench-"))
        try:
            (scratch / "corpus").mkdir()
            size = build_corpus(scratch / "corpus", n)
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(scratch / "corpus"), str(scratch / "store")],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            mb = size / 1e6
            print(
                f"{r['pages']:>7} {mb:>10.0f} {r['ingest_s']:>9.1f} {mb / r['ingest_s']:>12.1f} "
                f"{r['text_bytes'] / 1e6 / r['extract_s']:>13.1f} {r['text_bytes'] / 1e6 / r['extract_cpu_s']:>9.1f} "
                f"{r['text_bytes'] / 1e6 / r['find_cpu_s']:>15.1f} "
                f"{r['mentions']:>9} {r['peak_mb']:>8.0f}"
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 3000, 10000])
