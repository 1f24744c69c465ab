"""The workshop exercises: checks that judge a learner's answer on real Keras.

Each ``check_*`` takes what the learner built and returns a :class:`Check`: ``ok`` and the
✓/✗ lines to read, in the learner's language. The callback checks replay a shipped recorded
run (:func:`cbteach.recorded.load`) through *fresh copies* of the learner's callbacks, built
with the same settings, so the answer is judged by Keras itself and the learner's own objects
are left untouched (a ModelCheckpoint never forgets its best value between two ``fit`` calls,
so a checked one must not carry the replay's best into real training).

A check never raises at the learner: a wrong type, a callback Keras refuses to build, a
monitor that is not in the logs, each becomes a ✗ line that says what to write instead.

>>> from cbteach import EarlyStopping, exercises
>>> exercises.check_early_stopping(EarlyStopping(patience=3, restore_best_weights=True)).ok
True
"""

from __future__ import annotations

import inspect
import math
import os
import re
import string
import warnings
from dataclasses import dataclass, field
from functools import cache

import keras

from cbteach import i18n, recorded
from cbteach.callbacks import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from cbteach.replay import replay

__all__ = [
    "Check",
    "check_checkpoint",
    "check_combined",
    "check_early_stopping",
    "check_lr_plateau",
    "check_prediction",
    "check_trained",
]

PASS, FAIL = "✓", "✗"

# The cbteach class that replays a learner's callback of each Keras class.
_CLASSES = {
    "EarlyStopping": (keras.callbacks.EarlyStopping, EarlyStopping),
    "ReduceLROnPlateau": (keras.callbacks.ReduceLROnPlateau, ReduceLROnPlateau),
    "ModelCheckpoint": (keras.callbacks.ModelCheckpoint, ModelCheckpoint),
}
_EXAMPLES = {
    "EarlyStopping": 'cbteach.EarlyStopping(monitor="val_loss", patience=3)',
    "ReduceLROnPlateau": 'cbteach.ReduceLROnPlateau(monitor="val_loss", patience=5)',
    "ModelCheckpoint": 'cbteach.ModelCheckpoint("ckpt/{epoch:02d}.weights.h5")',
}

# Exercise 1: EarlyStopping on `overfit`.
ES_RECORDING = "overfit"
ES_STOP_BEFORE = 12
# Exercise 2: ReduceLROnPlateau on `plateau`.
RLR_RECORDING = "plateau"
RLR_MIN_CUTS = 2
RLR_FLOOR = 1e-5
# Exercise 3: ModelCheckpoint on `accuracy`.
MC_RECORDING = "accuracy"
MC_MONITOR = "val_accuracy"
# Exercise 4: the notes' three callbacks, on `overfit`.
COMBINED_RECORDING = "overfit"
NOTES_FACTOR = 0.3
NOTES_RLR_PATIENCE = 10
NOTES_ES_PATIENCE = 20
# Exercise 5: where EarlyStopping(patience=p) stops on `overfit`.
PREDICTION_PATIENCES = (0, 1, 2)


def _t(key: str, lang: str | None, **values: object) -> str:
    return i18n.t(f"exercises.{key}", lang, **values)


@dataclass
class Check:
    """The verdict of one check: ``ok``, and one ✓/✗ line per thing looked at."""

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


class _Report:
    """Collects the ✓/✗ lines of one check."""

    def __init__(self, lang: str | None) -> None:
        self.lang = i18n.resolve(lang)
        self.lines: list[str] = []
        self.failed = False

    def say(self, passed: bool, key: str, **values: object) -> bool:
        self.lines.append(f"{PASS if passed else FAIL} {_t(key, self.lang, **values)}")
        self.failed |= not passed
        return passed

    def good(self, key: str, **values: object) -> bool:
        return self.say(True, key, **values)

    def bad(self, key: str, **values: object) -> bool:
        return self.say(False, key, **values)

    def done(self) -> Check:
        ok = not self.failed and bool(self.lines)
        key = "verdict_ok" if ok else "verdict_fail"
        return Check(ok=ok, lines=[*self.lines, f"{PASS if ok else FAIL} {_t(key, self.lang)}"])


# ----------------------------------------------------------------------------- helpers


def _code(value: object, limit: int = 120) -> str:
    """A value shown inside `code` in a message: no backticks, not too long."""
    text = str(value).replace("`", "'")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _got(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return _code(f"{type(value).__name__} {text}")


def _error(error: BaseException) -> dict[str, str]:
    message = str(error).strip().splitlines()
    return {"error": type(error).__name__, "message": _code(message[0] if message else "", 240)}


def _epochs(epochs) -> str:
    """``[1, 2, 3, 4, 7, 9, 10]`` as ``"1–4, 7, 9, 10"``; nothing as a dash."""
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
    return ", ".join(parts) if parts else "—"


def _lr(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"


@cache
def _recording(name: str):
    return recorded.load(name)


def _build(built, report: _Report, example: str) -> list | None:
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
            report.bad("build_failed", **_error(error))
            return None
    if isinstance(built, keras.callbacks.Callback):
        return [built]
    if isinstance(built, (list, tuple)) and all(
        isinstance(cb, keras.callbacks.Callback) for cb in built
    ):
        return list(built)
    report.bad("not_callbacks", got=_got(built), example=example)
    return None


def _one(callbacks: list, kind: str, report: _Report):
    """The single callback of Keras class ``kind`` among ``callbacks``, or None after a ✗."""
    keras_class = _CLASSES[kind][0]
    found = [cb for cb in callbacks if isinstance(cb, keras_class)]
    if len(found) == 1:
        return found[0]
    if found:
        report.bad("duplicate_callback", kind=kind, count=len(found))
    else:
        names = ", ".join(type(cb).__name__ for cb in callbacks) or "—"
        report.bad("missing_callback", kind=kind, got=names, example=_EXAMPLES[kind])
    return None


def settings(callback) -> dict:
    """The Keras arguments that reproduce ``callback`` as it stands now (cbteach or plain Keras).

    Read from the object's attributes, which is what Keras acts on: a keyword that Keras'
    own ReduceLROnPlateau swallowed (``fector=0.3``) is not among them.
    """
    kind = next(k for k, (keras_class, _) in _CLASSES.items() if isinstance(callback, keras_class))
    keras_class = _CLASSES[kind][0]
    names = [
        p.name
        for p in inspect.signature(keras_class.__init__).parameters.values()
        if p.name != "self" and p.kind is not p.VAR_KEYWORD
    ]
    arguments = getattr(callback, "arguments", None) or {}
    values: dict = {}
    for name in names:
        if name == "min_delta":
            values[name] = abs(callback.min_delta)
        elif name == "initial_value_threshold":  # Keras keeps it as `best`, which saving moves
            values[name] = arguments.get(name, callback.best)
        elif name == "verbose":
            values[name] = 0
        elif hasattr(callback, name):
            values[name] = getattr(callback, name)
    return values


def _fresh(callback):
    """A new cbteach callback with ``callback``'s settings, quiet, writing no file."""
    kind = next(k for k, (keras_class, _) in _CLASSES.items() if isinstance(callback, keras_class))
    own = {"write": False} if kind == "ModelCheckpoint" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _CLASSES[kind][1](**settings(callback), **own)


def _replay(name: str, callbacks: list, report: _Report):
    """Replay fresh copies of ``callbacks`` over recording ``name``: (run, copies) or None."""
    recording = _recording(name)
    available = ", ".join(sorted(recording.history))
    for cb in callbacks:
        if not isinstance(cb.monitor, str) or cb.monitor not in recording.history:
            report.bad(
                "missing_monitor", monitor=_code(cb.monitor), recording=name, available=available
            )
            return None
        unknown = _unknown_placeholders(getattr(cb, "filepath", ""), recording.history)
        if unknown:
            report.bad(
                "format_failed",
                path=_code(cb.filepath),
                placeholder=_code(unknown[0]),
                available=available,
            )
            return None
    try:
        copies = [_fresh(cb) for cb in callbacks]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run = replay(recording, copies)
    except Exception as error:  # noqa: BLE001 - whatever Keras refuses becomes a line
        report.bad("replay_failed", recording=name, **_error(error))
        return None
    return run, copies


def _unknown_placeholders(filepath: str, logs) -> list[str]:
    """The ``{names}`` of a file name that Keras could not fill in from ``epoch`` and ``logs``."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(filepath) if f is not None]
    except ValueError:  # an unmatched brace: the replay reports Keras' own error
        return []
    names = [re.split(r"[.\[]", f, maxsplit=1)[0] for f in fields]
    return [n or "{}" for n in names if n not in ("epoch", "batch") and n not in logs]


def _monitor(callback, expected: str, report: _Report) -> bool:
    kind = _kind(callback)
    if callback.monitor == expected:
        return report.good("monitor_ok", callback=kind, monitor=expected)
    return report.bad(
        "monitor_wrong", callback=kind, monitor=_code(callback.monitor), expected=expected
    )


def _direction(copy, expected: str, wanted: str, report: _Report, quiet: bool = False) -> bool:
    """Whether the replayed copy resolved its mode to ``wanted`` ("min" or "max").

    Said only for the expected monitor: the direction of a wrong monitor is beside the point.
    """
    if copy.monitor != expected:
        return False
    resolved = copy._mode()
    values = {"callback": _kind(copy), "monitor": copy.monitor, "mode": _code(copy.mode)}
    if resolved == wanted:
        return True if quiet else report.good(f"direction_{wanted}_ok", **values)
    return report.bad(f"direction_should_be_{wanted}", **values)


def _kind(callback) -> str:
    return next(
        (k for k, (keras_class, _) in _CLASSES.items() if isinstance(callback, keras_class)),
        type(callback).__name__,
    )


def _first_best(values, mode: str = "min") -> int:
    """The 1-based epoch of the first best value of a curve."""
    best = min(values) if mode == "min" else max(values)
    return list(values).index(best) + 1


def _improvements(values, mode: str = "max") -> list[int]:
    """The 1-based epochs where a curve reaches a new best (strictly), the first included."""
    epochs, best = [], None
    for epoch, value in enumerate(values, 1):
        if best is None or (value > best if mode == "max" else value < best):
            best = value
            epochs.append(epoch)
    return epochs


# ----------------------------------------------------------------------------- exercise 1


def check_early_stopping(built, lang: str | None = None) -> Check:
    """Exercise 1: an EarlyStopping that stops before epoch 12 on ``overfit`` and keeps the best.

    Passes when, replayed on the ``overfit`` recording, it watches ``val_loss`` as a loss,
    stops before epoch 12, and restores the weights of epoch 7, the lowest ``val_loss`` of the
    whole recording.
    """
    report = _Report(lang)
    judged = _replay_one(built, "EarlyStopping", ES_RECORDING, report)
    if judged is None:
        return report.done()
    es, run = judged
    _stops_before(run, ES_STOP_BEFORE, report)
    if _restores(es, run, report):
        best = _first_best(_recording(ES_RECORDING).history["val_loss"])
        value = f"{_recording(ES_RECORDING).history['val_loss'][best - 1]:.4f}"
        if run.restored_epoch == best:
            report.good("es_best_ok", epoch=best, value=value)
        else:
            report.bad(
                "es_best_wrong",
                restored=run.restored_epoch,
                best=best,
                stopped=run.stopped_epoch or run.epochs,
            )
    return report.done()


def _replay_one(built, kind: str, recording: str, report: _Report):
    """The learner's one ``kind`` callback watching ``val_loss`` as a loss, replayed.

    Returns ``(callback, run)``, or None when nothing is left to judge (the lines say why).
    """
    callbacks = _build(built, report, _EXAMPLES[kind])
    callback = _one(callbacks, kind, report) if callbacks is not None else None
    if callback is None:
        return None
    _monitor(callback, "val_loss", report)
    replayed = _replay(recording, [callback], report)
    if replayed is None:
        return None
    run, (copy,) = replayed
    _direction(copy, "val_loss", "min", report)
    return callback, run


def _stops_before(run, limit: int, report: _Report) -> bool:
    if run.stopped_epoch is None:
        return report.bad("es_never_stops", epochs=run.epochs, limit=limit)
    if run.stopped_epoch < limit:
        return report.good("es_stop_ok", epoch=run.stopped_epoch, limit=limit)
    return report.bad("es_stop_late", epoch=run.stopped_epoch, limit=limit)


def _restores(es, run, report: _Report) -> bool:
    if es.restore_best_weights and run.restored_epoch is not None:
        return report.good("es_restore_ok")
    return report.bad("es_restore_missing", epoch=run.epochs)


# ----------------------------------------------------------------------------- exercise 2


def check_lr_plateau(built, lang: str | None = None) -> Check:
    """Exercise 2: a ReduceLROnPlateau that cuts at least twice on ``plateau``, never below 1e-5.

    Replayed on the 60 epochs of the ``plateau`` recording it must watch ``val_loss`` as a
    loss, cut the learning rate at least twice, and never take it below 1e-5 (the learning
    rate after the last cut counts too).
    """
    report = _Report(lang)
    judged = _replay_one(built, "ReduceLROnPlateau", RLR_RECORDING, report)
    if judged is None:
        return report.done()
    _, run = judged
    cuts = run.lr_cuts
    epochs = _epochs([e.epoch for e in cuts])
    if len(cuts) >= RLR_MIN_CUTS:
        report.good("rlr_cuts_ok", count=len(cuts), epochs=epochs)
    elif not cuts:
        report.bad("rlr_cuts_none", need=RLR_MIN_CUTS, total=run.epochs)
    else:
        report.bad(
            "rlr_cuts_few", count=len(cuts), epochs=epochs, need=RLR_MIN_CUTS, total=run.epochs
        )
    floor = f"{RLR_FLOOR:g}"
    trace = [(1, run.lrs[0])] + [(e.epoch, e.lr_after) for e in cuts]
    epoch, lowest = min(trace, key=lambda pair: pair[1])
    # the optimizer keeps float32: 1e-5 comes back as 9.9999997e-06
    if lowest >= RLR_FLOOR * (1 - 1e-6):
        report.good("rlr_floor_ok", floor=floor, lowest=_lr(lowest))
    else:
        report.bad("rlr_floor_broken", floor=floor, lowest=_lr(lowest), epoch=epoch)
    return report.done()


# ----------------------------------------------------------------------------- exercise 3


def check_checkpoint(built, lang: str | None = None) -> Check:
    """Exercise 3: weights only, one file per improvement of ``val_accuracy``, epoch in the name.

    ``built`` is a ModelCheckpoint or a function that returns one (so that a file name Keras
    refuses becomes a ✗ line). Replayed on the ``accuracy`` recording it must save exactly at
    the epochs where ``val_accuracy`` reaches a new best, each save to its own file.
    """
    report = _Report(lang)
    callbacks = _build(built, report, _EXAMPLES["ModelCheckpoint"])
    mc = _one(callbacks, "ModelCheckpoint", report) if callbacks is not None else None
    if mc is None:
        return report.done()
    _weights_only(mc, report)
    if "{epoch" in mc.filepath:
        example = mc.filepath
        try:
            example = mc.filepath.format(epoch=7, **_logs_at(MC_RECORDING, 7))
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            pass  # the name stays as written: the replay below says what is wrong with it
        report.good("mc_epoch_ok", example=_code(example))
    else:
        report.bad("mc_epoch_missing", path=_code(mc.filepath))
    _monitor(mc, MC_MONITOR, report)
    _best_only(mc, report)
    replayed = _replay(MC_RECORDING, [mc], report)
    if replayed is None:
        return report.done()
    run, (copy,) = replayed
    _direction(copy, MC_MONITOR, "max", report)
    saved = [e.epoch for e in run.saves]
    expected = _improvements(_recording(MC_RECORDING).history[MC_MONITOR], "max")
    if saved == expected:
        report.good("mc_saves_ok", count=len(saved), monitor=MC_MONITOR, epochs=_epochs(saved))
    else:
        report.bad(
            "mc_saves_wrong", saved=_epochs(saved), monitor=MC_MONITOR, expected=_epochs(expected)
        )
    _distinct(run, report)
    return report.done()


def _logs_at(name: str, epoch: int) -> dict:
    return {k: v[epoch - 1] for k, v in _recording(name).history.items()}


def _weights_only(mc, report: _Report) -> bool:
    if mc.save_weights_only and mc.filepath.endswith(".weights.h5"):
        return report.good("mc_weights_ok")
    return report.bad("mc_weights_wrong")


def _best_only(mc, report: _Report) -> bool:
    if mc.save_best_only:
        return report.good("mc_best_only_ok", monitor=_code(mc.monitor))
    return report.bad("mc_best_only_wrong", monitor=_code(mc.monitor))


def _distinct(run, report: _Report) -> bool:
    names = {e.saved_path for e in run.saves}
    if len(names) == len(run.saves):
        return report.good("mc_distinct_ok", count=len(names))
    return report.bad("mc_overwrite", count=len(run.saves), names=len(names))


# ----------------------------------------------------------------------------- exercise 4


def check_combined(built, lang: str | None = None) -> Check:
    """Exercise 4: the notes' three callbacks, fixed, doing what the notes meant.

    ``built`` is a function that returns ``[ModelCheckpoint, ReduceLROnPlateau,
    EarlyStopping]`` (or that list). Keras' own classes are welcome: the check reads what
    Keras really kept, so a misspelled keyword that Keras swallowed shows up. The notes meant:
    weights-only checkpoints of the best ``val_loss``, the learning rate times 0.3 after 10
    epochs without improvement, a stop after 20, and (added here) the best weights restored.
    Replayed on ``overfit``, the last checkpoint and the restored weights must be one epoch.
    """
    report = _Report(lang)
    callbacks = _build(built, report, "[mcp_cb, rlr_cb, elr_cb]")
    if callbacks is None:
        return report.done()
    mc = _one(callbacks, "ModelCheckpoint", report)
    rlr = _one(callbacks, "ReduceLROnPlateau", report)
    es = _one(callbacks, "EarlyStopping", report)
    if mc is None or rlr is None or es is None:
        return report.done()
    _monitor(mc, "val_loss", report)
    _weights_only(mc, report)
    _best_only(mc, report)
    _path(mc.filepath, report)
    _monitor(rlr, "val_loss", report)
    if _number(rlr.factor) and math.isclose(rlr.factor, NOTES_FACTOR):
        report.good("factor_ok", factor=f"{rlr.factor:g}")
    else:
        factor = f"{rlr.factor:g}" if _number(rlr.factor) else _code(rlr.factor)
        report.bad("factor_wrong", factor=factor, expected=f"{NOTES_FACTOR:g}")
    _notes_patience(rlr, NOTES_RLR_PATIENCE, report)
    _monitor(es, "val_loss", report)
    _notes_patience(es, NOTES_ES_PATIENCE, report)
    if _number(es.patience) and _number(rlr.patience) and es.patience > rlr.patience:
        report.good("order_ok", es=es.patience, rlr=rlr.patience)
    else:
        report.bad("order_wrong", es=_code(es.patience), rlr=_code(rlr.patience))
    replayed = _replay(COMBINED_RECORDING, [mc, rlr, es], report)
    if replayed is None:
        return report.done()
    run, copies = replayed
    for copy in copies:
        _direction(copy, "val_loss", "min", report, quiet=True)
    restored = _restores(es, run, report)
    cuts = run.lr_cuts
    if cuts:
        first = cuts[0]
        ratio = first.lr_after / first.lr_before
        values = {
            "epoch": first.epoch,
            "before": _lr(first.lr_before),
            "after": _lr(first.lr_after),
        }
        if math.isclose(ratio, NOTES_FACTOR, rel_tol=1e-4):
            report.good("cut_ok", ratio=f"{NOTES_FACTOR:g}", **values)
        else:
            report.bad("cut_wrong", ratio=f"{ratio:.3g}", expected=f"{NOTES_FACTOR:g}", **values)
    else:
        report.bad("cut_none", epochs=run.epochs)
    if restored:
        last_save = run.saves[-1].epoch if run.saves else None
        values = {"stopped": run.stopped_epoch or run.epochs, "restored": run.restored_epoch}
        if last_save == run.restored_epoch:
            report.good("agree_ok", saved=last_save, **values)
        else:
            report.bad("agree_wrong", saved=last_save or "—", **values)
    return report.done()


def _notes_patience(callback, expected: int, report: _Report) -> bool:
    values = {"callback": _kind(callback), "patience": _code(callback.patience)}
    if callback.patience == expected:
        return report.good("patience_ok", **values)
    return report.bad("patience_wrong", expected=expected, **values)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _path(filepath: str, report: _Report) -> bool:
    """The notes' ``os.getcwd() + 'weights...'``: a folder glued to a name, no separator."""
    folder = os.getcwd()
    if filepath.startswith(folder) and not filepath.startswith(folder.rstrip(os.sep) + os.sep):
        name = filepath[len(folder) :]
        return report.bad("path_glued", folder=_code(os.path.basename(folder)), name=_code(name))
    return report.good("path_ok", path=_code(filepath))


# ----------------------------------------------------------------------------- exercise 5


def _stop_epoch(patience: int) -> int | None:
    es = EarlyStopping(monitor="val_loss", patience=patience)
    return replay(_recording(ES_RECORDING), [es]).stopped_epoch


def check_prediction(*guesses, lang: str | None = None) -> Check:
    """Exercise 5: predict where EarlyStopping(patience=0), (1) and (2) stop on ``overfit``.

    ``guesses`` are three epoch numbers, in the order of :data:`PREDICTION_PATIENCES`. Each is
    compared with a replay of the real EarlyStopping; a wrong guess is told "too early" or
    "too late", not the answer.
    """
    report = _Report(lang)
    if len(guesses) == 1 and isinstance(guesses[0], (list, tuple)):
        guesses = tuple(guesses[0])
    if len(guesses) != len(PREDICTION_PATIENCES):
        report.bad("predict_count", need=len(PREDICTION_PATIENCES), got=len(guesses))
        return report.done()
    wrong = False
    for patience, guess in zip(PREDICTION_PATIENCES, guesses):
        setting = f"EarlyStopping(patience={patience})"
        epoch = _whole(guess)
        if epoch is None:
            report.bad("predict_bad_type", setting=setting, got=_got(guess))
            continue
        actual = _stop_epoch(patience)
        if epoch == actual:
            report.good("predict_ok", setting=setting, epoch=actual)
        else:
            wrong = True
            key = "predict_early" if epoch < actual else "predict_late"
            report.bad(key, setting=setting, guess=epoch)
    if wrong:
        report.lines.append(f"  {_t('predict_hint', report.lang)}")
    return report.done()


def _whole(value) -> int | None:
    """``value`` as a whole number (7, 7.0, "7"), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, (int, float)) and math.isfinite(value) and float(value).is_integer():
        return int(value)
    try:  # numpy integers and the like
        import numpy as np

        if isinstance(value, np.integer):
            return int(value)
    except ImportError:  # pragma: no cover
        pass
    return None


# ----------------------------------------------------------------------------- exercise 6


def check_trained(run, data, lang: str | None = None) -> Check:
    """Exercise 6: after real training, is the model you hold really the best epoch's model?

    ``run`` is what :func:`cbteach.training.train` returned and ``data`` the MnistData it was
    trained on. Passes when EarlyStopping restored the epoch with the lowest ``val_loss`` of
    this run, the model in memory scores that ``val_loss`` again on the validation data, and
    the last checkpoint file, loaded back, scores the same.
    """
    from cbteach.training import Run

    report = _Report(lang)
    if not isinstance(run, Run):
        report.bad("trained_not_run", got=_got(run))
        return report.done()
    x_val, y_val = getattr(data, "x_val", None), getattr(data, "y_val", None)
    if x_val is None or y_val is None:
        report.bad("trained_not_data", got=_got(data))
        return report.done()
    if run.model is None:
        report.bad("trained_no_model")
        return report.done()
    curve = run.history.get("val_loss")
    if not curve:
        report.bad("missing_monitor_run", monitor="val_loss")
        return report.done()
    best = _first_best(curve)
    best_value = curve[best - 1]
    if run.restored_epoch is None:
        report.bad("trained_no_restore")
    elif run.restored_epoch == best:
        report.good("trained_restored_ok", epoch=best)
    else:
        report.bad("trained_restored_wrong", restored=run.restored_epoch, best=best)
    try:
        held = _val_loss(run.model, x_val, y_val)
    except Exception as error:  # noqa: BLE001 - wrong data or model: a line, not a traceback
        report.bad("trained_eval_failed", **_error(error))
        return report.done()
    if math.isclose(held, best_value, rel_tol=1e-3, abs_tol=1e-5):
        report.good("trained_model_ok", value=f"{held:.4f}", epoch=best)
    else:
        report.bad("trained_model_wrong", value=f"{held:.4f}", best=f"{best_value:.4f}", epoch=best)
    _checkpoint_file(run, held, x_val, y_val, report)
    return report.done()


def _val_loss(model, x, y) -> float:
    return float(model.evaluate(x, y, verbose=0, return_dict=True)["loss"])


def _checkpoint_file(run, held: float, x, y, report: _Report) -> bool:
    path = run.saves[-1].saved_path if run.saves else None
    if path is None or not os.path.exists(path):
        return report.bad("trained_no_file")
    name = os.path.basename(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if path.endswith(".weights.h5"):
                loaded = keras.models.clone_model(run.model)
                loaded.compile(loss=run.model.loss)
                loaded.load_weights(path)
            else:
                loaded = keras.models.load_model(path)
            value = _val_loss(loaded, x, y)
    except Exception as error:  # noqa: BLE001 - a file Keras cannot load: a line
        return report.bad("trained_file_failed", name=_code(name), **_error(error))
    if math.isclose(value, held, rel_tol=1e-3, abs_tol=1e-5):
        return report.good("trained_file_ok", name=_code(name), epoch=run.saves[-1].epoch)
    return report.bad(
        "trained_file_wrong",
        name=_code(name),
        epoch=run.saves[-1].epoch,
        value=f"{value:.4f}",
        held=f"{held:.4f}",
    )
