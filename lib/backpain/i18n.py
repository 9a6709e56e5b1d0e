"""One language setting for every label a student sees (English / 中文).

Source quotes are never translated: they are shown in the language the page was written in.
`set_language("zh")` switches what is built afterwards; `with set_language("zh"):` switches it for a
block and then restores the previous language.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}  # each in its own language, for the language switch
_current = {"lang": "en"}


class set_language:  # noqa: N801 - used as a function first, a context manager second
    """Switch every widget and chart built after this call (English 'en' or Chinese 'zh')."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
        self.previous = _current["lang"]
        _current["lang"] = lang

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        _current["lang"] = self.previous


def language() -> str:
    return _current["lang"]


def pick(pair: tuple[str, str], lang: str | None = None) -> str:
    """The current-language half of an (english, chinese) pair."""
    return pair[LANGUAGES.index(lang or language())]


def lookup(table: dict, key: str, lang: str | None = None) -> str:
    """The current-language text of `key` in a {key: (english, chinese)} table."""
    return pick(table[key], lang)


def name_column(lang: str | None = None) -> str:
    """'name_en' or 'name_zh': the taxonomy/findings column for the current language."""
    return f"name_{lang or language()}"
