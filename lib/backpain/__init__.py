"""Helper library for the back-pain workbook: `kb = backpain.load()` is where every notebook starts."""

from .errors import DataError, Problem
from .i18n import language, set_language
from .kb import KnowledgeBase, load
from .viewer import legend, render_source

__all__ = ["DataError", "KnowledgeBase", "Problem", "language", "legend", "load", "render_source", "set_language"]
__version__ = "0.1.0"
