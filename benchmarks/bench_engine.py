"""Engine speed: time per differential() call over many random finding sets (prints figures, asserts nothing).

python benchmarks/bench_engine.py [N]
"""

import statistics
import sys
import time

import numpy as np

import backpain


def main(n: int = 20_000) -> None:
    kb = backpain.load()
    engine = kb.engine
    rng = np.random.default_rng(42)
    ids = np.array(engine.findings.index)
    cases = []
    for _ in range(n):
        chosen = rng.choice(ids, size=rng.integers(0, 15), replace=False)
        cut = rng.integers(0, len(chosen) + 1)
        cases.append((list(chosen[:cut]), list(chosen[cut:])))
    for present, absent in cases[:200]:  # warm-up
        engine.differential(present, absent)

    def timed(fn) -> list[float]:
        out = []
        for present, absent in cases:
            t0 = time.perf_counter()
            fn(present, absent)
            out.append((time.perf_counter() - t0) * 1e6)
        return out

    core = timed(lambda p, a: engine.differential(p, a).split)
    full = timed(lambda p, a: (lambda d: (d.ranking, d.red_flags))(engine.differential(p, a)))
    ask = timed(lambda p, a: engine.differential(p, a).ask_next()) if n <= 20_000 else []
    print(
        f"engine: {len(engine.causes)} causes × {len(engine.findings)} findings, {n} random finding sets (0–14 findings)"
    )
    for name, xs in (("posterior + split", core), ("+ ranking table + red flags", full), ("+ ask-next", ask)):
        if xs:
            xs = sorted(xs)
            print(
                f"  {name:28s} median {statistics.median(xs):7.1f} µs   p95 {xs[int(0.95 * len(xs))]:7.1f} µs   "
                f"mean {statistics.fmean(xs):7.1f} µs"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
