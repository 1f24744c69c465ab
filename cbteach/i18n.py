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
import math
import os
import string
from collections.abc import Iterable
from functools import cache
from importlib import resources

LANGUAGES = ("ko", "en")
_DEFAULT = "en"
_current: str | None = None


class LanguageError(ValueError):
    """Raised for a language cbteach has no catalog for.

    Args:
        message: what went wrong, in both languages.

    Example:

    >>> set_language("fr")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
        ...
    cbteach.i18n.LanguageError: Unknown language 'fr': write 'ko' or 'en'. / ...
    """


def _check(lang: str) -> str:
    code = str(lang).strip().lower()
    if code not in LANGUAGES:
        raise LanguageError(
            f"Unknown language {lang!r}: write 'ko' or 'en'. / "
            f"알 수 없는 언어 {lang!r}입니다. 'ko' 또는 'en'을 쓰세요."
        )
    return code


def set_language(lang: str) -> None:
    """Choose the language of every message, explanation and plot label: ``"ko"`` or ``"en"``.

    Args:
        lang: ``"ko"`` or ``"en"`` (case and spaces ignored).

    Raises:
        LanguageError: any other language.

    Example:

    >>> set_language("en")
    >>> get_language()
    'en'
    """
    global _current
    _current = _check(lang)


def get_language() -> str:
    """The language in use: the last ``set_language``, else ``$CBTEACH_LANG``, else English.

    Args:
        None.

    Example:

    >>> set_language("ko")
    >>> get_language()
    'ko'
    """
    if _current is not None:
        return _current
    env = os.environ.get("CBTEACH_LANG", "").strip().lower()
    return env if env in LANGUAGES else _DEFAULT


def resolve(lang: str | None) -> str:
    """``lang`` checked, or the language in use when ``lang`` is None.

    Args:
        lang: ``"ko"``, ``"en"`` or None.

    Raises:
        LanguageError: any other language.

    Example:

    >>> resolve(" KO "), resolve(None) in LANGUAGES
    ('ko', True)
    """
    return get_language() if lang is None else _check(lang)


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, keyed ``<file>.<name>``.

    Args:
        lang: ``"ko"`` or ``"en"``.

    Example:

    >>> catalog("en")["common.epoch"]
    'epoch {epoch}'
    """
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
    """The ``{names}`` a message expects.

    Args:
        text: a message of the catalog.

    Example:

    >>> sorted(placeholders("epoch {epoch} of {planned}"))
    ['epoch', 'planned']
    """
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The message ``key`` in ``lang`` (default: the language in use), filled with ``values``.

    Args:
        key: the catalog key, ``<file>.<name>``.
        lang: ``"ko"`` or ``"en"``. Defaults to `None` (the language in use).
        **values: the message's placeholders.

    Example:

    >>> t("common.epoch", "en", epoch=3)
    'epoch 3'
    """
    return catalog(resolve(lang))[key].format(**values)


# ------------------------------------------------- the numbers a learner reads, formatted once
def number(x: float | None) -> str:
    """A monitored value as a sentence shows it: 4 decimals, or 3 significant digits when tiny.

    Args:
        x: the value; None (nothing yet) shows as a dash, NaN and inf as themselves.

    Example:

    >>> number(0.123456), number(2e-5), number(None)
    ('0.1235', '2e-05', '—')
    """
    if x is None:
        return "—"
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    magnitude = abs(x)
    if magnitude != 0 and (magnitude < 1e-3 or magnitude >= 1e5):
        return f"{x:.3g}"
    return f"{x:.4f}"


def lr(x: float | None) -> str:
    """A learning rate as cbteach prints it everywhere, in exponent form: ``1.0e-03``, ``1.25e-02``.

    One form for every output (explain lines, summaries, plots, checks, sliders), so that a
    learner comparing two learning rates by eye compares the same digits. Zero is ``0``.

    Args:
        x: the learning rate; None, NaN and inf show as a dash.

    Example:

    >>> lr(0.001), lr(0.00025), lr(0.0125), lr(0.0), lr(None)
    ('1.0e-03', '2.5e-04', '1.25e-02', '0', '—')
    """
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.2e}".split("e")
    # 3 significant digits at most, 2 at least: 1.0e-03, 1.25e-02
    return f"{mantissa.removesuffix('0')}e{exponent}"


def epoch_list(epochs: Iterable[int], most: int = 8) -> str:
    """``12, 20``; a long list keeps its first epochs and its last: ``10, 13, 16, …, 100``.

    Args:
        epochs: 1-based epoch numbers, in order.
        most: the longest list written out in full.

    Example:

    >>> epoch_list(range(1, 20, 2))
    '1, 3, 5, 7, 9, 11, …, 19'
    """
    shown = [str(e) for e in epochs]
    if len(shown) > most:
        shown = [*shown[: most - 2], "…", shown[-1]]
    return ", ".join(shown)


def epoch_ranges(epochs: Iterable[int]) -> str:
    """``[1, 2, 3, 4, 7, 9, 10]`` as ``"1–4, 7, 9, 10"``; no epochs as a dash.

    Args:
        epochs: 1-based epoch numbers, in order.

    Example:

    >>> epoch_ranges([1, 2, 3, 4, 7, 9, 10])
    '1–4, 7, 9, 10'
    """
    runs: list[list[int]] = []
    for epoch in epochs:
        if runs and epoch == runs[-1][-1] + 1:
            runs[-1].append(epoch)
        else:
            runs.append([epoch])
    parts = []
    for run in runs:
        if len(run) > 2:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(e) for e in run)
    return ", ".join(parts) or "—"
