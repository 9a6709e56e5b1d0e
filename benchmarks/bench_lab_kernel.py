"""Time for the differential lab to be ready in a real kernel, as a student running notebook 04 waits for it.

For each repeat: start a fresh ipykernel with jupyter_client, run notebook 04's code cells that come
before the lab (imports, loading the knowledge base), then time the lab cell (the one tagged
"interactive": build the lab and display it) from execute_request to execute_reply. Also counts the
comm_open messages that cell sends, i.e. the widget models a browser has to create. Prints the median
and spread; asserts nothing.

    python benchmarks/bench_lab_kernel.py [REPEATS]
"""

import statistics
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "04_differential_lab.ipynb"


def cells() -> tuple[list[str], str]:
    """(the code cells before the lab, the lab cell)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    before = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "interactive" in cell.metadata.get("tags", []):
            return before, cell.source
        before.append(cell.source)
    raise SystemExit(f"no cell tagged 'interactive' in {NOTEBOOK.name}")


def execute(client, code: str) -> tuple[float, int]:
    """Run code; return (seconds from execute_request to execute_reply, comm_open messages on iopub)."""
    t0 = time.perf_counter()
    msg_id = client.execute(code)
    reply = client.get_shell_msg(timeout=300)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=300)
    elapsed = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"cell failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
    comms = 0
    while True:  # drain iopub up to this cell's idle status
        msg = client.get_iopub_msg(timeout=300)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        comms += msg["msg_type"] == "comm_open"
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return elapsed, comms


def main(repeats: int = 5) -> None:
    setup, lab_cell = cells()
    times, comm_counts = [], []
    for _ in range(repeats):
        manager, client = start_new_kernel(kernel_name="python3", cwd=str(NOTEBOOK.parent))
        try:
            for code in setup:
                execute(client, code)
            elapsed, comms = execute(client, lab_cell)
            times.append(elapsed)
            comm_counts.append(comms)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    print(f"differential lab, lab cell execute_request → execute_reply in a fresh kernel, {repeats} kernels:")
    print(f"  median {statistics.median(times):.2f} s   min {min(times):.2f} s   max {max(times):.2f} s")
    print(f"  widget models opened (comm_open): {statistics.median(comm_counts):.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
