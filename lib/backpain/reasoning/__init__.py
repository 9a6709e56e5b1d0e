"""Differential reasoning over plain tables: the engine (engine.py) and the judge of the clinical
presentations it is tested against (presentations.py)."""

from .engine import Differential, Engine, FindingError, derived_lrs, flag_rules, in_language, split_shift

__all__ = ["Differential", "Engine", "FindingError", "derived_lrs", "flag_rules", "in_language", "split_shift"]
