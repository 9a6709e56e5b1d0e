"""Root conftest: loaded for tests/ and for the notebooks nbval collects."""

import os

# Plotly figures render through the JupyterLab mime extension (local plotly.js, no CDN).
os.environ.setdefault("PLOTLY_RENDERER", "plotly_mimetype")


def pytest_collectstart(collector):
    """nbval: never compare stderr or plotly JSON (warnings and template drift are not lessons)."""
    if getattr(collector, "path", None) is not None and collector.path.suffix == ".ipynb":
        collector.skip_compare += ("stderr", "application/vnd.plotly.v1+json")
