"""One vocabulary registry: each fixed vocabulary declared once with both languages, the schemas built
from it, data/README.md naming every allowed value, and the interface text complete in 中文."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from backpain import i18n
from backpain.knowledge.schema import SCHEMAS
from backpain.knowledge.tables import FILES
from backpain.ui import strings
from backpain.vocab import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff]")
# Names that stay the same in Chinese text (instrument names).
SAME_IN_BOTH = {"DISCERN", "HONcode"}


def allowed_values():
    """(table, column, values) for every column whose values come from a fixed list."""
    for table, schema in SCHEMAS.items():
        for column, spec in schema.columns.items():
            for check in spec.checks:
                if check.name == "isin":
                    yield table, column, tuple(check.statistics["allowed_values"])


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_vocabulary_has_both_languages(name):
    vocab = REGISTRY[name]
    assert len(vocab) >= 2 and len(set(vocab.values)) == len(vocab)
    for lang in i18n.LANGUAGES:
        labels = list(vocab.labels(lang).values())
        assert all(label.strip() for label in labels)
        assert len(set(labels)) == len(labels), f"{name}: two values share a {lang} label"
    for term in vocab.terms:
        assert CJK.search(term.zh) or term.zh in SAME_IN_BOTH, f"{name}.{term.value}: no Chinese label"
    drawn = [t.colour for t in vocab.terms]
    assert all(drawn) or not any(drawn), f"{name}: colour some values but not others"


def test_every_allowed_value_list_is_a_vocabulary():
    """Schemas take their allowed values from vocab.py (never a list typed in the schema)."""
    declared = {v.values for v in REGISTRY.values()}
    subsets = {v for values in declared for v in values}
    for table, column, values in allowed_values():
        if values in {("true", "false")}:
            continue
        assert values in declared or set(values) <= subsets, f"{table}.{column}: {values} is not from vocab.py"


def readme_blocks() -> list[str]:
    """data/README.md cut where a heading or a file bullet starts."""
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    return re.split(r"\n(?=#|- `)", text)


@pytest.mark.parametrize(("table", "column", "values"), list(allowed_values()), ids=lambda v: str(v)[:30])
def test_data_readme_names_every_allowed_value(table, column, values):
    """A person editing a table learns the allowed values from data/README.md: each is written there,
    in backticks, in the part about that file."""
    file = FILES[table].split("/")[-1]
    blocks = [b for b in readme_blocks() if file in b.splitlines()[0]]
    assert blocks, f"data/README.md has no part about {file}"
    missing = [v for v in values if not any(f"`{v}`" in b for b in blocks)]
    assert not missing, f"data/README.md ({file}, column {column}) does not name {missing}"


def catalogue():
    for section in dir(strings):
        table = getattr(strings, section)
        if section.isupper() and isinstance(table, dict):
            for key, pair in table.items():
                yield section, key, pair


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_interface_phrase_has_a_chinese_version():
    phrases = list(catalogue())
    assert len(phrases) > 80
    for section, key, pair in phrases:
        assert isinstance(pair, tuple) and len(pair) == 2, f"{section}.{key}"
        english, chinese = pair
        assert english.strip() and chinese.strip(), f"{section}.{key} is empty"
        assert CJK.search(chinese), f"{section}.{key}: {chinese!r} is not Chinese"
        assert placeholders(english) == placeholders(chinese), f"{section}.{key}: placeholders differ"


def test_set_language_is_also_a_context_manager():
    assert i18n.language() == "en"
    with i18n.set_language("zh"):
        assert i18n.language() == "zh"
        assert REGISTRY["urgency"].label("emergency") == "急症：立即处理"
    assert i18n.language() == "en"
    with pytest.raises(ValueError, match="language must be one of"):
        i18n.set_language("fr")
    assert i18n.language() == "en"
