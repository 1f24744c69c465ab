"""How a workshop check judges a learner's callbacks: the verdict, and the shared steps.

:mod:`cbteach.exercises` holds the six exercises; this module holds what they share:

- :class:`Check`, the verdict a learner reads, and :class:`Report`, which collects its
  ✓/✗ lines from catalog keys (``exercises.*``) in the learner's language;
- the steps of judging a callback: take what the learner built (an object, a list, a
  function, even a class by mistake), find the one callback of a kind, replay *fresh quiet
  copies* of it over a shipped recording (:func:`cbteach.callbacks.copy_of`, so the
  learner's own objects keep no state from the check), and check its monitor and direction.

Every step turns a wrong answer into a ✗ line that says what to write instead; none raises.

Example:

>>> from cbteach import EarlyStopping
>>> report = Report("en")
>>> callback, run = replay_one(EarlyStopping(patience=3), "EarlyStopping", "overfit", report)
>>> report.done().ok
True
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cache

import keras

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
    return i18n.t(f"exercises.{key}", lang, **values)


# ----------------------------------------------------------------------------- the verdict


@dataclass
class Check:
    """The verdict of one check: ``ok``, and one ✓/✗ line per thing looked at.

    Args:
        ok: whether every point passed.
        lines: the lines to read, the verdict last.

    Example:

    >>> check = Check(ok=True, lines=["✓ Passed."])
    >>> bool(check), check.verdict
    (True, '✓ Passed.')
    """

    ok: bool
    lines: list[str] = field(default_factory=list)

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
    """Collects the ✓/✗ lines of one check."""

    def __init__(self, lang: str | None) -> None:
        self.lang = i18n.resolve(lang)
        self.lines: list[str] = []
        self.failed = False

    def say(self, passed: bool, key: str, **values: object) -> bool:
        self.lines.append(f"{PASS if passed else FAIL} {t(key, self.lang, **values)}")
        self.failed |= not passed
        return passed

    def good(self, key: str, **values: object) -> bool:
        return self.say(True, key, **values)

    def bad(self, key: str, **values: object) -> bool:
        return self.say(False, key, **values)

    def done(self) -> Check:
        ok = not self.failed and bool(self.lines)
        key = "verdict_ok" if ok else "verdict_fail"
        return Check(ok=ok, lines=[*self.lines, f"{PASS if ok else FAIL} {t(key, self.lang)}"])


# ----------------------------------------------------------------------------- judging a callback


def code(value: object, limit: int = 120) -> str:
    """A value shown inside `code` in a message: no backticks, not too long."""
    text = str(value).replace("`", "'")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def got(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return code(f"{type(value).__name__} {text}")


def error_values(error: BaseException) -> dict[str, str]:
    message = str(error).strip().splitlines()
    return {"error": type(error).__name__, "message": code(message[0] if message else "", 240)}


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@cache
def load_recording(name: str):
    return recorded.load(name)


def build(built, report: Report, example: str) -> list | None:
    """The learner's callbacks as a list, or None after a ✗ line saying what to write."""
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
    """The single callback of Keras class ``kind`` among ``callbacks``, or None after a ✗."""
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
    """Replay fresh copies of ``callbacks`` over recording ``name``: (run, copies) or None."""
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
    return {"write": False} if kind_of(callback) == "ModelCheckpoint" else {}


def replay_one(built, kind: str, recording: str, report: Report):
    """The learner's one ``kind`` callback watching ``val_loss`` as a loss, replayed.

    Returns ``(callback, run)``, or None when nothing is left to judge (the lines say why).
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
    kind = kind_of(callback)
    if callback.monitor == expected:
        return report.good("monitor_ok", callback=kind, monitor=expected)
    return report.bad(
        "monitor_wrong", callback=kind, monitor=code(callback.monitor), expected=expected
    )


def check_direction(copy, expected: str, wanted: str, report: Report, quiet: bool = False) -> bool:
    """Whether the replayed copy resolved its mode to ``wanted`` ("min" or "max").

    Said only for the expected monitor: the direction of a wrong monitor is beside the point.
    """
    if copy.monitor != expected:
        return False
    resolved = copy._mode()
    values = {"callback": kind_of(copy), "monitor": copy.monitor, "mode": code(copy.mode)}
    if resolved == wanted:
        return True if quiet else report.good(f"direction_{wanted}_ok", **values)
    return report.bad(f"direction_should_be_{wanted}", **values)


def first_best(values, mode: str = "min") -> int:
    """The 1-based epoch of the first best value of a curve."""
    best = min(values) if mode == "min" else max(values)
    return list(values).index(best) + 1
