"""Misspelled names, caught with "did you mean ...?": for callbacks, ``model.fit`` and ``train()``.

Keras swallows ``ReduceLROnPlateau(fector=0.3)`` and trains with the default 0.1; cbteach
raises ``TypeError`` with the closest name instead (:func:`check_names`). Before a
learner's own ``model.fit``, :func:`check_fit_arguments` does the same for its keywords,
and :func:`check_train_arguments` for cbteach's ``train()``, whose names are passed in
(``valid=``), so this module never imports training. Both also tell cbteach's callbacks
whether there will be validation data (:func:`expect_validation`), which Keras does not
say at ``on_train_begin``.

Example:

>>> from cbteach.arguments import check_fit_arguments
>>> check_fit_arguments(x=[], y=[], batch_szie=128)  # doctest: +SKIP
TypeError: model.fit has no argument `batch_szie` — did you mean `batch_size`?
"""

from __future__ import annotations

import difflib
import inspect
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence

import keras

from cbteach import i18n

__all__ = [
    "check_fit_arguments",
    "check_names",
    "check_train_arguments",
    "closest",
    "expect_validation",
    "is_number",
    "whole_example",
]


def _t(key: str, **values: object) -> str:
    return i18n.t(f"validation.{key}", **values)


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``name``, for "did you mean ...?"; None when none is close.

    Args:
        name: what the learner wrote.
        candidates: the names that exist.

    Returns:
        The closest candidate (difflib ratio at least 0.6), or None.

    Example:

    >>> closest("fector", ["factor", "patience"])
    'factor'
    """
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def is_number(value: object) -> bool:
    """A real number, not a bool (``True`` is an int to Python, never a setting to a learner).

    Args:
        value: any value.

    Example:

    >>> is_number(0.5), is_number(3), is_number(True), is_number("3")
    (True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def whole_example(value: object, default: int, least: int = 0) -> int:
    """A whole number close to what the learner wrote, for "write e.g. ...".

    Args:
        value: what the learner wrote (2.5, "3", None, ...).
        default: the example when ``value`` gives none.
        least: the smallest example that makes sense. Defaults to 0.

    Example:

    >>> whole_example(2.6, 3), whole_example("x", 3), whole_example(-1, 3)
    (3, 3, 3)
    """
    try:
        number = round(float(value))
    except (TypeError, ValueError, OverflowError):
        return default
    return number if number >= least else default


def check_names(
    owner: str,
    valid: Sequence[str],
    arguments: Iterable[str],
    *,
    own: Sequence[str] = (),
    removed: Mapping[str, str] | None = None,
) -> None:
    """Raise TypeError for a keyword ``owner`` does not take: "did you mean ...?".

    Args:
        owner: who takes the keywords, as the message names it (``"ReduceLROnPlateau"``).
        valid: the names ``owner`` takes.
        arguments: the names the learner wrote.
        own: more names to suggest (cbteach's own, e.g. ``log``). Defaults to none.
        removed: names that no longer exist, each with the catalog key that says what to do.
            Defaults to none.

    Example:

    >>> check_names("EarlyStopping", ["patience"], ["patienc"])  # doctest: +SKIP
    TypeError: EarlyStopping has no argument `patienc` — did you mean `patience`?
    """
    removed = removed or {}
    for name in arguments:
        if name in valid:
            continue
        if name in removed:
            raise TypeError(i18n.t(removed[name], callback=owner, name=name))
        close = closest(name, [*valid, *own])
        if close:
            raise TypeError(
                i18n.t("callbacks.unknown_argument", callback=owner, name=name, close=close)
            )
        raise TypeError(
            i18n.t(
                "callbacks.unknown_argument_no_match",
                callback=owner,
                name=name,
                valid=", ".join(valid),
            )
        )


def expect_validation(callbacks: Iterable[object], present: bool) -> None:
    """Tell cbteach's callbacks whether the coming ``fit`` has validation data.

    Keras does not say so at ``on_train_begin``; with this, ``val_`` names are checked
    there too instead of at the end of the first epoch.

    Args:
        callbacks: any callbacks; those without ``_validation`` (not cbteach's) are skipped.
        present: whether ``fit`` gets validation data.

    Example:

    >>> from cbteach.callbacks import EarlyStopping
    >>> stopper = EarlyStopping(monitor="val_loss", patience=3)
    >>> expect_validation([stopper], present=False)  # `val_loss` is refused at on_train_begin
    """
    for callback in callbacks:
        if hasattr(callback, "_validation"):
            callback._validation = bool(present)


def _fit_parameters() -> list[str]:
    params = inspect.signature(keras.Model.fit).parameters
    return [n for n, p in params.items() if n != "self" and p.kind is not p.VAR_KEYWORD]


def _check_whole(owner: str, name: str, value: object, default: int) -> None:
    """A whole number of at least 1 (epochs, batch_size)."""
    if value is None and name == "batch_size":
        return  # model.fit's own default: 32
    example = whole_example(value, default, least=1)
    message = _t(
        "whole_at_least_one", function=owner, name=name, value=repr(value), example=example
    )
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(message)
    if value < 1:
        raise ValueError(message)


def check_train_arguments(
    misspelled: Mapping[str, object],
    *,
    valid: Iterable[str],
    epochs: object = 20,
    batch_size: object = 128,
    learning_rate: object = 1e-3,
    callbacks: Iterable[object] = (),
) -> None:
    """The arguments of :func:`cbteach.training.train`, checked before it builds anything.

    Each keyword in ``misspelled`` raises TypeError: "did you mean ...?" for a typo, and
    for a ``model.fit`` argument that ``train`` sets itself (``validation_data``, ``x``,
    ...) a sentence saying so. Then cbteach's ``callbacks`` are told that there will be
    validation data (``train`` always validates), so that ``val_`` names are checked
    before the first epoch.

    Args:
        misspelled: the keywords ``train`` did not take.
        valid: the names ``train`` takes (it passes them in, so this module never imports it).
        epochs: must be a whole number of at least 1. Defaults to 20.
        batch_size: must be a whole number of at least 1. Defaults to 128.
        learning_rate: must be a positive number. Defaults to 1e-3.
        callbacks: the callbacks ``train`` was given. Defaults to none.

    Example:

    >>> check_train_arguments({"epoch": 5}, valid=["epochs", "batch_size"])
    Traceback (most recent call last):
    TypeError: train() has no argument `epoch` — did you mean `epochs`?
    """
    owner = "train()"
    valid = list(valid)
    fit_only = set(_fit_parameters()) - set(valid)
    for name in misspelled:
        if name in fit_only:
            raise TypeError(_t("train_fit_only", name=name))
    check_names(owner, valid, misspelled)
    _check_whole(owner, "epochs", epochs, 20)
    _check_whole(owner, "batch_size", batch_size, 128)
    message = _t("learning_rate_bad", value=repr(learning_rate))
    if not is_number(learning_rate):
        raise TypeError(message)
    if not 0 < float(learning_rate) < math.inf:
        raise ValueError(message)
    expect_validation(callbacks, True)


def check_fit_arguments(**arguments: object) -> None:
    """Check the keywords of a ``model.fit`` call before making it, in the learner's language.

    Misspelled names raise TypeError with the closest name; ``epochs`` and ``batch_size``
    must be whole numbers of at least 1. cbteach's callbacks in ``callbacks`` are told
    whether there is validation data, so that a ``val_`` name without it is refused when
    training starts instead of at the end of the first epoch.

    Args:
        **arguments: the keywords the ``model.fit`` call will get.

    Example:

    >>> fit_args = dict(x=x, y=y, batch_szie=128, epochs=10)   # doctest: +SKIP
    >>> check_fit_arguments(**fit_args)                        # doctest: +SKIP
    TypeError: model.fit has no argument `batch_szie` — did you mean `batch_size`?
    """
    check_names("model.fit", _fit_parameters(), arguments)
    _check_whole("model.fit", "epochs", arguments.get("epochs", 1), 10)
    _check_whole("model.fit", "batch_size", arguments.get("batch_size"), 32)
    validation = arguments.get("validation_data") is not None or bool(
        arguments.get("validation_split")
    )
    expect_validation(arguments.get("callbacks") or (), validation)
