"""Every sentence a learner reads, in Korean and English, from one catalog per language.

The catalog of a language is the folder ``cbteach/locales/<lang>/``: one JSON file per
part of the package (``callbacks.json``, ``data.json``, ...). A key is
``<file>.<name>``, e.g. ``callbacks.unknown_argument``. Both languages hold exactly the
same keys with the same ``{placeholders}``; ``tests/test_i18n.py`` keeps it so.

>>> from cbteach import i18n
>>> i18n.set_language("ko")
>>> i18n.t("common.epoch", epoch=3)
'에포크 3'
"""

from __future__ import annotations

import json
import os
import string
from functools import cache
from importlib import resources

LANGUAGES = ("ko", "en")
_DEFAULT = "en"
_current: str | None = None


class LanguageError(ValueError):
    """Raised for a language cbteach has no catalog for."""


def _check(lang: str) -> str:
    code = str(lang).strip().lower()
    if code not in LANGUAGES:
        raise LanguageError(
            f"Unknown language {lang!r}: write 'ko' or 'en'. / "
            f"알 수 없는 언어 {lang!r}입니다. 'ko' 또는 'en'을 쓰세요."
        )
    return code


def set_language(lang: str) -> None:
    """Choose the language of every message, explanation and plot label: ``"ko"`` or ``"en"``."""
    global _current
    _current = _check(lang)


def get_language() -> str:
    """The language in use: the last ``set_language``, else ``$CBTEACH_LANG``, else English."""
    if _current is not None:
        return _current
    env = os.environ.get("CBTEACH_LANG", "").strip().lower()
    return env if env in LANGUAGES else _DEFAULT


def resolve(lang: str | None) -> str:
    """``lang`` checked, or the language in use when ``lang`` is None."""
    return get_language() if lang is None else _check(lang)


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, keyed ``<file>.<name>``."""
    messages: dict[str, str] = {}
    folder = resources.files("cbteach") / "locales" / _check(lang)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        section = entry.name.removesuffix(".json")
        for name, text in json.loads(entry.read_text(encoding="utf-8")).items():
            messages[f"{section}.{name}"] = text
    return messages


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message expects."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The message ``key`` in ``lang`` (default: the language in use), filled with ``values``."""
    return catalog(resolve(lang))[key].format(**values)
