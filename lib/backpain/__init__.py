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

from .i18n import language, set_language
from .knowledge.base import KnowledgeBase, load
from .knowledge.errors import DataError, Problem
from .ui.page_html import legend, render_source

__all__ = ["DataError", "KnowledgeBase", "Problem", "language", "legend", "load", "render_source", "set_language"]
__version__ = "0.2.0"
