"""How a workshop check judges a learner's callbacks: the verdict, and the shared steps.

:mod:`cbteach.exercises` holds the six exercises; this module holds what they share:

- :class:`Check`, the verdict a learner reads, and :class:`Report`, which collects its
  ✓/✗ lines from catalog keys (``exercises.*``) in the learner's language;
- the steps of judging a callback: take what the learner built (an object, a list, a
  function, even a class by mistake), find the one callback of a kind, replay *fresh quiet
  copies* of it over a shipped recording (:func:`cbteach.callbacks.copy_of`, so the
  learner's own objects keep no state from the check), and check its monitor and direction.

Every step turns a wrong answer into a ✗ line that says what to write instead; none raises.

Example (one judging step; :func:`replay_one` has a whole one):

>>> report = Report("en")
>>> only_one([], "EarlyStopping", report) is None, report.done().ok
(True, False)
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from functools import cache

import keras
import numpy as np

from cbteach import i18n, recorded
from cbteach.callbacks import KERAS_CLASSES, copy_of, kind_of
from cbteach.filepaths import unknown_placeholders
from cbteach.replay import replay

__all__ = ["FAIL", "PASS", "Check", "Report", "replay_one", "replay_recording"]

PASS, FAIL = "✓", "✗"

# What to write instead, when the learner's answer holds no callback of a class.
EXAMPLES = {
    "EarlyStopping": 'cbteach.EarlyStopping(monitor="val_loss", patience=3)',
    "ReduceLROnPlateau": 'cbteach.ReduceLROnPlateau(monitor="val_loss", patience=5)',
    "ModelCheckpoint": 'cbteach.ModelCheckpoint("ckpt/{epoch:02d}.weights.h5")',
}


def t(key: str, lang: str | None, **values: object) -> str:
    """The ``exercises`` catalog message ``key`` in ``lang``.

    Args:
        key: the message's key in ``locales/*/exercises.json``.
        lang: ``"ko"``, ``"en"``, or None for the language in use.
        **values: the message's placeholders.

    Example:

    >>> t("verdict_ok", "en")
    'Everything checks out. Well done!'
    """
    return i18n.t(f"exercises.{key}", lang, **values)


# ----------------------------------------------------------------------------- the verdict


@dataclass
class Check:
    """The verdict of one check: ``ok``, and one ✓/✗ line per thing looked at.

    Args:
        ok: whether every point passed.
        lines: the lines to read, the verdict last.
        wrong: the catalog keys of the ✗ lines, what went wrong (:mod:`cbteach.progress`
            records them, so a teacher can count the class's common wrong answers).

    Example:

    >>> check = Check(ok=True, lines=["✓ Passed."])
    >>> bool(check), check.verdict
    (True, '✓ Passed.')
    """

    ok: bool
    lines: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list, repr=False)

    @property
    def verdict(self) -> str:
        """The last line: all passed, or not yet."""
        return self.lines[-1] if self.lines else ""

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        return "  \n".join(self.lines)


class Report:
    """Collects the ✓/✗ lines of one check.

    Args:
        lang: the language of the lines, ``"ko"`` or ``"en"``; None for the language in use.

    Example:

    >>> report = Report("en")
    >>> report.good("monitor_ok", callback="EarlyStopping", monitor="val_loss")
    True
    >>> print(report.done())
    ✓ EarlyStopping watches `val_loss`.
    ✓ Everything checks out. Well done!
    """

    def __init__(self, lang: str | None) -> None:
        self.lang = i18n.resolve(lang)
        self.lines: list[str] = []
        self.failed = False
        self.wrong: list[str] = []  # the keys of the ✗ lines

    def say(self, passed: bool, key: str, **values: object) -> bool:
        """Add a ✓ or ✗ line: the ``exercises`` message ``key``. Returns ``passed``.

        Args:
            passed: whether the point passed (✓) or not (✗, and the check fails).
            key: the message's key in ``locales/*/exercises.json``.
            **values: the message's placeholders.

        Example:

        >>> Report("en").say(False, "verdict_fail")
        False
        """
        self.lines.append(f"{PASS if passed else FAIL} {t(key, self.lang, **values)}")
        self.failed |= not passed
        if not passed:
            self.wrong.append(key)
        return passed

    def good(self, key: str, **values: object) -> bool:
        """A ✓ line (:meth:`say` with ``passed=True``); returns True.

        Args:
            key: the message's key in ``locales/*/exercises.json``.
            **values: the message's placeholders.

        Example:

        >>> Report("en").good("monitor_ok", callback="EarlyStopping", monitor="val_loss")
        True
        """
        return self.say(True, key, **values)

    def bad(self, key: str, **values: object) -> bool:
        """A ✗ line (:meth:`say` with ``passed=False``); returns False.

        Args:
            key: the message's key in ``locales/*/exercises.json``.
            **values: the message's placeholders.

        Example:

        >>> Report("en").bad("monitor_wrong", callback="EarlyStopping", monitor="loss",
        ...                  expected="val_loss")
        False
        """
        return self.say(False, key, **values)

    def done(self) -> Check:
        """The :class:`Check`: passed when no line failed and at least one was said."""
        ok = not self.failed and bool(self.lines)
        key = "verdict_ok" if ok else "verdict_fail"
        lines = [*self.lines, f"{PASS if ok else FAIL} {t(key, self.lang)}"]
        return Check(ok=ok, lines=lines, wrong=list(self.wrong))


# ----------------------------------------------------------------------------- judging a callback


def code(value: object, limit: int = 120) -> str:
    """A value shown inside `code` in a message: no backticks, not too long.

    Args:
        value: anything; it is shown as ``str(value)``.
        limit: the most characters, "..." included. Defaults to 120.

    Example:

    >>> code("a`b"), code("x" * 10, limit=6)
    ("a'b", 'xxx...')
    """
    text = str(value).replace("`", "'")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def got(value: object) -> str:
    """What the learner passed, for a message: its type and a short repr.

    Args:
        value: what the learner passed.

    Example:

    >>> got([1, 2])
    'list [1, 2]'
    """
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return code(f"{type(value).__name__} {text}")


def error_values(error: BaseException) -> dict[str, str]:
    """The ``error`` and ``message`` placeholders of a line about an exception.

    Args:
        error: the exception; only the first line of its message is kept.

    Example:

    >>> error_values(ValueError("bad value\\nmore detail"))
    {'error': 'ValueError', 'message': 'bad value'}
    """
    message = str(error).strip().splitlines()
    return {"error": type(error).__name__, "message": code(message[0] if message else "", 240)}


def is_number(value) -> bool:
    """An int or float, not a bool.

    Args:
        value: any value.

    Example:

    >>> is_number(3), is_number(0.5), is_number(True)
    (True, True, False)
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def whole_number(value) -> int | None:
    """``value`` as a whole number (7, 7.0, "7", a numpy integer), or None.

    Args:
        value: what the learner wrote.

    Example:

    >>> whole_number("7"), whole_number(7.0), whole_number(7.5), whole_number(True)
    (7, 7, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, (int, float)) and math.isfinite(value) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.integer):
        return int(value)
    return None


@cache
def load_recording(name: str):
    """The shipped recording ``name`` as a :class:`~cbteach.run.Run`, loaded once.

    Args:
        name: the recording's name (``"overfit"``).

    Example:

    >>> sorted(load_recording("overfit").history)
    ['accuracy', 'loss', 'val_accuracy', 'val_loss']
    """
    return recorded.load(name)


def build(built, report: Report, example: str) -> list | None:
    """The learner's callbacks as a list, or None after a ✗ line saying what to write.

    Args:
        built: what the learner gave: a callback, a list of them, or a function making either.
        report: the report that gets the ✗ line.
        example: the code to suggest instead.

    Example:

    >>> from cbteach import EarlyStopping
    >>> report = Report("en")
    >>> build(EarlyStopping, report, "EarlyStopping(patience=3)") is None  # a class, not built
    True
    """
    if isinstance(built, type):
        report.bad("class_not_instance", name=built.__name__, example=example)
        return None
    if callable(built) and not isinstance(built, keras.callbacks.Callback):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                built = built()
        except Exception as error:  # noqa: BLE001 - the learner's code: a line, not a traceback
            report.bad("build_failed", **error_values(error))
            return None
    if isinstance(built, keras.callbacks.Callback):
        return [built]
    if isinstance(built, (list, tuple)) and all(
        isinstance(cb, keras.callbacks.Callback) for cb in built
    ):
        return list(built)
    report.bad("not_callbacks", got=got(built), example=example)
    return None


def only_one(callbacks: list, kind: str, report: Report):
    """The single callback of Keras class ``kind`` among ``callbacks``, or None after a ✗.

    Args:
        callbacks: the learner's callbacks, from :func:`build`.
        kind: ``"EarlyStopping"``, ``"ReduceLROnPlateau"`` or ``"ModelCheckpoint"``.
        report: the report that gets the ✗ line.

    Example:

    >>> from cbteach import EarlyStopping
    >>> stopper = EarlyStopping(patience=3)
    >>> only_one([stopper], "EarlyStopping", Report("en")) is stopper
    True
    """
    found = [cb for cb in callbacks if isinstance(cb, KERAS_CLASSES[kind])]
    if len(found) == 1:
        return found[0]
    if found:
        report.bad("duplicate_callback", kind=kind, count=len(found))
    else:
        names = ", ".join(type(cb).__name__ for cb in callbacks) or "—"
        report.bad("missing_callback", kind=kind, got=names, example=EXAMPLES[kind])
    return None


def replay_recording(name: str, callbacks: list, report: Report):
    """Replay fresh copies of ``callbacks`` over recording ``name``: (run, copies) or None.

    Args:
        name: the shipped recording's name (``"overfit"``).
        callbacks: the learner's callbacks; they are copied, never replayed themselves.
        report: the report that gets a ✗ line when the replay cannot run.

    Example:

    >>> from cbteach import EarlyStopping
    >>> run, copies = replay_recording("overfit", [EarlyStopping(patience=3)], Report("en"))
    >>> run.epochs
    10
    """
    recording = load_recording(name)
    available = ", ".join(sorted(recording.history))
    for cb in callbacks:
        if not isinstance(cb.monitor, str) or cb.monitor not in recording.history:
            report.bad(
                "missing_monitor", monitor=code(cb.monitor), recording=name, available=available
            )
            return None
        unknown = unknown_placeholders(getattr(cb, "filepath", ""), recording.history)
        if unknown:
            report.bad(
                "format_failed",
                path=code(cb.filepath),
                placeholder=code(unknown[0]),
                available=available,
            )
            return None
    try:  # the copies are quiet, and a copied ModelCheckpoint writes no file
        copies = [copy_of(cb, **own(cb)) for cb in callbacks]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run = replay(recording, copies)
    except Exception as error:  # noqa: BLE001 - whatever Keras refuses becomes a line
        report.bad("replay_failed", recording=name, **error_values(error))
        return None
    return run, copies


def own(callback) -> dict:
    """cbteach's own settings for a callback's quiet copy: a ModelCheckpoint writes no file.

    Args:
        callback: the callback to be copied.

    Example:

    >>> from cbteach import ModelCheckpoint
    >>> own(ModelCheckpoint("best.keras"))
    {'write': False}
    """
    return {"write": False} if kind_of(callback) == "ModelCheckpoint" else {}


def replay_one(built, kind: str, recording: str, report: Report):
    """The learner's one ``kind`` callback watching ``val_loss`` as a loss, replayed.

    Args:
        built: what the learner gave (see :func:`build`).
        kind: the callback's Keras class name (``"EarlyStopping"``).
        recording: the shipped recording to replay over (``"overfit"``).
        report: the report that gets the ✓/✗ lines.

    Returns:
        ``(callback, run)``, or None when nothing is left to judge (the lines say why).

    Example:

    >>> from cbteach import EarlyStopping
    >>> report = Report("en")
    >>> callback, run = replay_one(EarlyStopping(patience=3), "EarlyStopping", "overfit", report)
    >>> report.done().ok
    True
    """
    callbacks = build(built, report, EXAMPLES[kind])
    callback = only_one(callbacks, kind, report) if callbacks is not None else None
    if callback is None:
        return None
    check_monitor(callback, "val_loss", report)
    replayed = replay_recording(recording, [callback], report)
    if replayed is None:
        return None
    run, (copy,) = replayed
    check_direction(copy, "val_loss", "min", report)
    return callback, run


def check_monitor(callback, expected: str, report: Report) -> bool:
    """A ✓ when ``callback`` watches ``expected``, else a ✗ saying what to write.

    Args:
        callback: the learner's callback.
        expected: the monitor it should watch (``"val_loss"``).
        report: the report that gets the line.

    Example:

    >>> from cbteach import EarlyStopping
    >>> check_monitor(EarlyStopping(monitor="loss"), "val_loss", Report("en"))
    False
    """
    kind = kind_of(callback)
    if callback.monitor == expected:
        return report.good("monitor_ok", callback=kind, monitor=expected)
    return report.bad(
        "monitor_wrong", callback=kind, monitor=code(callback.monitor), expected=expected
    )


def check_direction(copy, expected: str, wanted: str, report: Report, quiet: bool = False) -> bool:
    """Whether the replayed copy resolved its mode to ``wanted`` ("min" or "max").

    Said only for the expected monitor: the direction of a wrong monitor is beside the point.

    Args:
        copy: the replayed copy (its mode is resolved once it has trained).
        expected: the monitor it should watch.
        wanted: ``"min"`` or ``"max"``.
        report: the report that gets the line.
        quiet: say nothing when it passes. Defaults to False.

    Example:

    >>> from cbteach import EarlyStopping
    >>> run, (copy,) = replay_recording("overfit", [EarlyStopping()], Report("en"))
    >>> check_direction(copy, "val_loss", "min", Report("en"))
    True
    """
    if copy.monitor != expected:
        return False
    resolved = copy._mode()
    values = {"callback": kind_of(copy), "monitor": copy.monitor, "mode": code(copy.mode)}
    if resolved == wanted:
        return True if quiet else report.good(f"direction_{wanted}_ok", **values)
    return report.bad(f"direction_should_be_{wanted}", **values)


def first_best(values, mode: str = "min") -> int:
    """The 1-based epoch of the first best value of a curve.

    Args:
        values: the curve, one value per epoch.
        mode: ``"min"`` or ``"max"``: which end is best. Defaults to ``"min"``.

    Example:

    >>> first_best([0.5, 0.3, 0.3, 0.4]), first_best([0.5, 0.9], "max")
    (2, 2)
    """
    best = min(values) if mode == "min" else max(values)
    return list(values).index(best) + 1
