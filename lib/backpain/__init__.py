"""Helper library for the back-pain workbook: `kb = backpain.load()` is where every notebook starts.

The package is layered; each layer imports only from the layers below it (checked by import-linter):

    teaching   export and instructor copies of the notebooks
    ui         what a student sees: strings, chart theme, charts, HTML panels, widgets
    sources    the pages: comparison, quality, readability, advice, extraction, ingest
    knowledge  data/ read, validated and loaded into a KnowledgeBase
    reasoning  the differential engine over plain tables
    vocab      every fixed vocabulary with its labels and colours
    i18n       the current language (English / 中文)
"""

import importlib

from .i18n import language, set_language

# Imported on first use (PEP 562), so that a Jupyter server importing backpain.serving does not load
# pandas and the knowledge base into every student's server process (~40 MB and ~0.4 s each).
_LAZY = {
    "KnowledgeBase": ".knowledge.base",
    "load": ".knowledge.base",
    "DataError": ".knowledge.errors",
    "Problem": ".knowledge.errors",
    "legend": ".ui.page_html",
    "render_source": ".ui.page_html",
}

__all__ = ["DataError", "KnowledgeBase", "Problem", "language", "legend", "load", "render_source", "set_language"]
__version__ = "0.2.0"


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backpain' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
