"""Predict, then check: the guess a learner writes before each reveal, judged by real Keras.

Every core lesson asks a question before the cell that answers it ("How many files will
``save_best_only=True`` leave?"). The learner writes a guess in place of ``...`` and runs
:func:`check`; the truth is never a number typed here: each :class:`Question` computes it by
replaying a shipped recording through real Keras callbacks. A guess not yet written gets
"write your prediction first", never a traceback (the committed notebooks hold ``...``).

Example:

>>> print(check("es_stop", ..., lang="en"))
✎ Write your prediction first: replace `...` with an epoch number, e.g. 8, then run this cell again.
>>> check("es_stop", 10, lang="en").ok
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import keras
import numpy as np

from cbteach import i18n, progress, recorded
from cbteach.callbacks import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from cbteach.judging import FAIL, PASS, Check, whole_number
from cbteach.replay import replay, standin_model

__all__ = ["QUESTIONS", "Question", "answer", "check"]

WRITE_FIRST = "✎"


@dataclass(frozen=True)
class Question:
    """One prediction: which lesson asks it, what kind of answer, and how Keras answers it.

    Args:
        lesson: the lesson that asks it, e.g. ``"01"``.
        kind: ``"count"`` (a whole number: files, epochs), ``"lr"`` (a learning rate),
            ``"yes_no"`` or ``"epochs"`` (a list of epoch numbers, e.g. ``[0, 1, 2]``).
        truth: computes the answer by replaying real Keras callbacks; returns the answer and
            the values its explanation sentence (``predictions.<key>_why``) needs.
        example: the catalog key of the example answer shown when no guess is written
            (``predictions.<example>``). Defaults to ``example_<kind>``.

    Example:

    >>> QUESTIONS["mc_files"].kind
    'count'
    """

    lesson: str
    kind: str
    truth: Callable[[], tuple[object, dict]]
    example: str = ""


HOOK_EPOCHS = 3
"""The epochs lesson 00's own callback trains for."""


def _hook_epochs() -> tuple[tuple[int, ...], dict]:
    """The epoch numbers ``fit`` itself passes to ``on_epoch_end``: a question about ``fit``,
    so a real (tiny) ``fit`` answers it, not a replay."""
    seen: list[int] = []
    hook = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    x = np.zeros((4, 1), dtype="float32")
    standin_model().fit(
        x, x, epochs=HOOK_EPOCHS, validation_data=(x, x), callbacks=[hook], verbose=0
    )
    return tuple(seen), {"count": HOOK_EPOCHS}


def _mc_files() -> tuple[int, dict]:
    mc = ModelCheckpoint(
        "weights.{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True, write=False
    )
    run = replay(recorded.load("overfit"), [mc])
    epochs = [e.epoch for e in run.saves]
    return len({e.saved_path for e in run.saves}), {"epochs": i18n.epoch_list(epochs)}


def _es_stop() -> tuple[int, dict]:
    run = replay(recorded.load("overfit"), [EarlyStopping(patience=3)])
    best = run.events.with_action("stopped")[0].best_epoch
    return run.stopped_epoch, {"best_epoch": best}


def _rlr_cuts() -> list:
    rlr = ReduceLROnPlateau(patience=3, factor=0.5)
    return replay(recorded.load("plateau"), [rlr]).lr_cuts


def _rlr_first_cut() -> tuple[int, dict]:
    cut = _rlr_cuts()[0]
    return cut.epoch, {"best_epoch": cut.best_epoch}


def _rlr_second_lr() -> tuple[float, dict]:
    first, second = _rlr_cuts()[:2]
    return second.lr_after, {"start": i18n.lr(first.lr_before), "first": i18n.lr(first.lr_after)}


def _combined_cut() -> tuple[bool, dict]:
    es, rlr = EarlyStopping(patience=5), ReduceLROnPlateau(patience=10, factor=0.3)
    run = replay(recorded.load("overfit"), [rlr, es])
    return bool(run.lr_cuts), {"stopped": run.stopped_epoch}


QUESTIONS: dict[str, Question] = {
    "hook_epochs": Question("00", "epochs", _hook_epochs),
    "mc_files": Question("01", "count", _mc_files, example="example_files"),
    "rlr_first_cut": Question("02", "count", _rlr_first_cut),
    "rlr_second_lr": Question("02", "lr", _rlr_second_lr),
    "es_stop": Question("03", "count", _es_stop),
    "combined_cut": Question("04", "yes_no", _combined_cut),
}
"""Every prediction the lessons ask, by key."""


@cache
def answer(key: str) -> tuple[object, dict]:
    """Keras' answer to a question, and the values its explanation needs (computed once).

    Args:
        key: a key of :data:`QUESTIONS`.

    Example:

    >>> answer("combined_cut")[0]
    False
    """
    return QUESTIONS[key].truth()


_YES = {"yes", "y", "true", "예", "네", "응"}
_NO = {"no", "n", "false", "아니요", "아니오", "아니"}


def _read(kind: str, guess: object) -> object | None:
    """The guess as its kind's value (7, "7" and 7.0 are all 7), or None when unreadable."""
    if kind == "epochs":
        return _read_epochs(guess)
    if isinstance(guess, str):
        text = guess.strip().lower()
        if kind == "yes_no":
            return True if text in _YES else False if text in _NO else None
        try:
            guess = float(text)
        except ValueError:
            return None
    if kind == "yes_no":
        return guess if isinstance(guess, bool) else None
    if kind == "count":
        return whole_number(guess)
    if isinstance(guess, bool) or not isinstance(guess, (int, float)) or not math.isfinite(guess):
        return None
    return float(guess)


def _read_epochs(guess: object) -> tuple[int, ...] | None:
    """A list of epoch numbers as a learner writes it: [0, 1, 2], (0, 1, 2), range(3), "0, 1, 2"."""
    if isinstance(guess, str):
        guess = guess.strip().strip("[]()").replace(",", " ").split()
    if isinstance(guess, (str, bytes, dict)) or not hasattr(guess, "__iter__"):
        return None
    numbers = [_read("count", item) for item in guess]
    return tuple(numbers) if numbers and None not in numbers else None


def _same(kind: str, guess: object, truth: object) -> bool:
    if kind == "lr":
        return math.isclose(guess, truth, rel_tol=0.02)
    return guess == truth


def _t(key: str, lang: str, **values: object) -> str:
    return i18n.t(f"predictions.{key}", lang, **values)


@progress.recorded(by=lambda key, *_, **__: (QUESTIONS[key].lesson, key))
def check(key: str, guess: object, lang: str | None = None) -> Check:
    """Judge a prediction against what real Keras does, in the learner's language.

    Args:
        key: the question, a key of :data:`QUESTIONS`.
        guess: what the learner wrote; ``...`` (or None) means not yet written.
        lang: ``"ko"`` or ``"en"``. Defaults to the language in use.

    Returns:
        A :class:`~cbteach.judging.Check`: ✓ with why, ✗ with a hint of direction and why,
        or ✎ "write your prediction first".

    Example:

    >>> check("mc_files", 6, lang="en").ok, check("mc_files", "six", lang="en").ok
    (True, False)
    """
    lang = i18n.resolve(lang)
    if key not in QUESTIONS:
        raise ValueError(_t("unknown", lang, name=key, keys=", ".join(QUESTIONS)))
    kind = QUESTIONS[key].kind
    example = _t(QUESTIONS[key].example or f"example_{kind}", lang)
    if guess is ... or guess is None:
        return Check(False, [f"{WRITE_FIRST} {_t('write_first', lang, example=example)}"])
    read = _read(kind, guess)
    if read is None:
        return Check(
            False,
            [f"{FAIL} {_t('unreadable', lang, guess=repr(guess), example=example)}"],
            wrong=["unreadable"],
        )
    truth, values = answer(key)
    shown = _shown(kind, truth, lang)
    why = _t(f"{key}_why", lang, answer=shown, **values)
    if _same(kind, read, truth):
        return Check(True, [f"{PASS} {_t('right', lang, guess=_shown(kind, read, lang))} {why}"])
    if kind in ("yes_no", "epochs"):
        direction = "wrong"
    else:
        direction = "too_low" if read < truth else "too_high"
    line = _t(direction, lang, guess=_shown(kind, read, lang), answer=shown)
    return Check(False, [f"{FAIL} {line} {why}"], wrong=[direction])


def _shown(kind: str, value: object, lang: str) -> str:
    if kind == "epochs":
        return str(list(value))
    if kind == "lr":
        return i18n.lr(value)
    if kind == "yes_no":
        return _t("yes" if value else "no", lang)
    return str(value)
