"""`python -m backpain export [--out DIR]`: every notebook as a self-contained HTML page for reading offline.

Each notebook is executed from a fresh kernel with plotly's "notebook" renderer, which puts
plotly.js into the page itself, then converted with the workbook's nbconvert template, which drops
every script nbconvert would fetch from a CDN. Live widgets cannot work without a kernel: cells
tagged "interactive" are not run and are exported without output, under a visible note.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "share" / "jupyter" / "nbconvert" / "templates"


_REMOTE_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>')


def strip_remote_scripts(html: str) -> str:
    """Drop <script src="http…"> tags. plotly's notebook renderer always adds one for MathJax (used
    only for LaTeX in chart labels, which the workbook has none of); nothing may load from a CDN."""
    return _REMOTE_SCRIPT.sub("", html)


def export_notebook(path: Path, out_dir: Path, timeout: int = 300) -> Path:
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExecutePreprocessor, TagRemovePreprocessor

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # live widgets are not exported, so they need not be built either
        if "interactive" in cell.metadata.get("tags", []):
            cell.source = "# interactive widget: open this notebook in JupyterLab to use it\npass"
    previous = os.environ.get("PLOTLY_RENDERER")
    os.environ["PLOTLY_RENDERER"] = "notebook"  # inherited by the kernel: plotly.js inline, offline
    try:
        # The kernel talks over Unix sockets in a folder of its own, not TCP ports: a TCP port chosen as free
        # can be taken by another kernel starting at the same moment ("Address already in use", and the
        # export fails). startup_timeout: a fresh kernel on a busy machine can take longer than 60 s.
        with tempfile.TemporaryDirectory() as sockets:
            km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
            try:
                ExecutePreprocessor(timeout=timeout, startup_timeout=timeout, kernel_name="python3").preprocess(
                    nb, {"metadata": {"path": str(path.parent)}}, km=km
                )
            finally:  # a kernel manager handed in is the caller's to stop
                if km.has_kernel:
                    km.shutdown_kernel(now=True)
    finally:
        if previous is None:
            os.environ.pop("PLOTLY_RENDERER")
        else:
            os.environ["PLOTLY_RENDERER"] = previous
    nb.metadata.pop("widgets", None)
    exporter = HTMLExporter(template_name="backpain", extra_template_basedirs=[str(TEMPLATES)])
    exporter.register_preprocessor(TagRemovePreprocessor(remove_all_outputs_tags={"interactive"}), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    out = out_dir / f"{path.stem}.html"
    out.write_text(strip_remote_scripts(body), encoding="utf-8")
    return out


def run(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        print(f"exported {export_notebook(nb, out_dir).relative_to(out_dir.parent)}")
    return 0
