"""Nothing a learner types breaks the lesson: every bad input gets a sentence saying what to write.

Keras refuses some mistakes in English, only warns about others, and silently accepts the
rest (``ReduceLROnPlateau(factor=0)``, ``EarlyStopping(patience=-1)``, ``min_delta=-0.01``,
a ``.h5`` file for a whole model, ``os.getcwd() + "weights.keras"``). cbteach checks each
input at the earliest moment it can be known, and answers in the learner's language:

- **construction** (:func:`check_callback`, :func:`warn_callback`): numbers, modes,
  ``save_freq``, and the file name (the rules are in :mod:`cbteach.filepaths`);
- **the start of training** (:func:`check_train_begin`, called from ``on_train_begin``): what
  needs the model or the run: the optimizer's learning rate, the names the logs will hold,
  ``val_`` names in a checkpoint saved per batch, the folder the checkpoints go to, and
  ``mode="auto"`` where Keras can already resolve it;
- **during training** Keras decides, always, and cbteach only explains: a monitored value
  the logs lack makes Keras warn and decide nothing, and cbteach warns in the learner's
  language (:func:`missing_monitor`); where Keras raises (``mode="auto"`` on a name it cannot
  resolve, a ``{placeholder}`` the logs cannot fill) its own exception goes on with a
  translated note (:func:`error_note`); a NaN or infinite value is compared by Keras like
  any other, and the epoch's event carries a note on what that did (:func:`not_finite_note`).

Every refusal before training that Keras would not make is listed in docs/STRICTER.md, with
the Keras test case it departs from; ``strict=False`` on a callback turns them into warnings.

Misspelled names ("did you mean `epochs`?") of callbacks, ``train()`` and ``model.fit`` are
:mod:`cbteach.arguments`; the labels of the data are checked by :func:`cbteach.data.check_labels`.

What Keras 3.15.1 tells a callback at ``on_train_begin``: ``self.params`` holds only
``verbose``, ``epochs`` and ``steps``; nothing says whether ``fit`` got validation data (Keras
builds its evaluation iterator only at the first validation). On the TensorFlow backend the
compiled metrics are not even built yet (that happens when the first batch is traced), so
their names are read from what the model was compiled with (:func:`_training_names`). Whether
``val_`` values will exist is known only when the caller says so
(:func:`cbteach.arguments.expect_validation`): ``check_train_arguments`` says so for cbteach's
``train()``, which always validates, and ``check_fit_arguments`` for a learner's own
``model.fit``. Otherwise the first epoch's logs say it: Keras meets the missing ``val_`` value at the end
of epoch 1, and cbteach explains what Keras did with it.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import numbers
import os
import warnings
from collections.abc import Mapping

import keras

from cbteach import filepaths, i18n
from cbteach.arguments import (
    check_train_arguments,  # noqa: F401 - re-exported for training.py
    closest,
    is_number,
    whole_example,
)
from cbteach.data import check_labels  # noqa: F401 - re-exported for training.py

__all__ = [
    "InputWarning",
    "add_note",
    "check_callback",
    "check_train_begin",
    "error_note",
    "missing_monitor",
    "not_finite_note",
    "resolve_mode",
    "warn",
    "warn_callback",
]

MODES = ("auto", "min", "max")


class InputWarning(UserWarning):
    """A setting Keras accepts that probably does not do what the learner meant.

    Example:

    >>> issubclass(InputWarning, UserWarning)  # shown once per place, like any UserWarning
    True
    """


def _t(key: str, **values: object) -> str:
    return i18n.t(f"validation.{key}", **values)


def warn(message: str) -> None:
    """Show ``message`` as an :class:`InputWarning` at the learner's line.

    That is the first frame outside cbteach, Keras and ``contextlib``, so that a notebook
    shows the cell.

    Args:
        message: the translated sentence.

    Example:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("ModelCheckpoint: best.h5 ends in .h5, ...")
    >>> caught[0].category.__name__
    'InputWarning'
    """
    level, frame = 1, inspect.currentframe()
    skipped = (os.path.dirname(__file__), os.path.dirname(keras.__file__), contextlib.__file__)
    while frame is not None and frame.f_code.co_filename.startswith(skipped):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, InputWarning, stacklevel=level)


# ------------------------------------------------------------------------------ construction


def check_callback(keras_class: type, arguments: Mapping[str, object]) -> None:
    """Raise, in the learner's language, for a value the callback cannot use as meant.

    Runs before Keras' own ``__init__``, so Keras' English errors (factor >= 1, a file
    suffix, ``save_freq``) are answered here first.

    Args:
        keras_class: the Keras class being built.
        arguments: all of the Keras class' arguments, defaults filled in.

    Example:

    >>> arguments = {"mode": "auto", "factor": 1.5, "min_lr": 0.0}
    >>> check_callback(keras.callbacks.ReduceLROnPlateau, arguments)
    Traceback (most recent call last):
    ValueError: ReduceLROnPlateau: factor=1.5 would not lower the learning rate ...
    """
    owner = keras_class.__name__
    _check_mode(owner, arguments.get("mode"))
    for name in ("patience", "cooldown", "start_from_epoch"):
        if name in arguments:
            _check_count(owner, name, arguments[name])
    if "min_delta" in arguments:
        _check_min_delta(owner, arguments["min_delta"])
    for name in ("baseline", "initial_value_threshold"):
        if arguments.get(name) is not None:
            _check_number(owner, name, arguments[name], example=0.3)
    if issubclass(keras_class, keras.callbacks.ReduceLROnPlateau):
        _check_factor(arguments["factor"])
        _check_min_lr(arguments["min_lr"])
    if issubclass(keras_class, keras.callbacks.ModelCheckpoint):
        _check_checkpoint(arguments)


def _check_monitor(owner: str, monitor: object) -> None:
    if not isinstance(monitor, str) or not monitor:
        raise TypeError(_t("monitor_not_text", callback=owner, monitor=repr(monitor)))


def _check_mode(owner: str, mode: object) -> None:
    if mode in MODES:
        return
    text = str(mode).strip().lower()
    close = text if text in MODES else closest(text, MODES)
    if close:
        raise ValueError(_t("mode_close", callback=owner, mode=repr(mode), close=close))
    raise ValueError(_t("mode_unknown", callback=owner, mode=repr(mode)))


def _check_number(owner: str, name: str, value: object, example: object) -> float:
    """A finite number; TypeError for text and the like, ValueError for NaN and infinity."""
    message = _t("not_a_number", callback=owner, name=name, value=repr(value), example=example)
    if not is_number(value):
        raise TypeError(message)
    if not math.isfinite(float(value)):
        raise ValueError(message)
    return float(value)


def _check_count(owner: str, name: str, value: object) -> None:
    """A number of epochs: a whole number, 0 or more."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        example = whole_example(value, 3)
        raise TypeError(
            _t("count_not_whole", callback=owner, name=name, value=repr(value), example=example)
        )
    if value < 0:
        raise ValueError(
            _t("count_negative", callback=owner, name=name, value=value, example=abs(int(value)))
        )


def _check_min_delta(owner: str, value: object) -> None:
    number = _check_number(owner, "min_delta", value, example=0.001)
    if number < 0:
        raise ValueError(_t("min_delta_negative", callback=owner, value=value, size=-number))


def _check_factor(value: object) -> None:
    number = _check_number("ReduceLROnPlateau", "factor", value, example=0.3)
    if number >= 1:
        raise ValueError(_t("factor_too_big", value=value))
    if number <= 0:
        raise ValueError(_t("factor_not_positive", value=value))


def _check_min_lr(value: object) -> None:
    if _check_number("ReduceLROnPlateau", "min_lr", value, example=1e-5) < 0:
        raise ValueError(_t("min_lr_negative", value=value))


def _check_checkpoint(arguments: Mapping[str, object]) -> None:
    if "filepath" not in arguments:
        return  # Keras' own TypeError says that filepath is missing
    weights_only = bool(arguments["save_weights_only"])
    filepath = filepaths.check_name(arguments["filepath"], weights_only)
    save_freq = arguments["save_freq"]
    if save_freq != "epoch" and (
        not isinstance(save_freq, numbers.Integral) or isinstance(save_freq, bool) or save_freq < 1
    ):
        raise ValueError(_t("save_freq_bad", value=repr(save_freq)))
    filepaths.check_save_freq_fields(filepath, save_freq)


def warn_callback(keras_class: type, arguments: Mapping[str, object]) -> None:
    """Warn, in the learner's language, about settings Keras accepts but that mislead.

    Args:
        keras_class: the Keras class just built.
        arguments: all of its arguments, defaults filled in.

    Example:

    >>> arguments = {"filepath": "best.h5", "save_weights_only": False}
    >>> warn_callback(keras.callbacks.ModelCheckpoint, arguments)  # doctest: +SKIP
    InputWarning: ModelCheckpoint: best.h5 ends in .h5, so Keras saves the whole model ...
    """
    if not issubclass(keras_class, keras.callbacks.ModelCheckpoint):
        return
    filepath = os.fspath(arguments["filepath"])
    for message in filepaths.warnings_about(filepath, bool(arguments["save_weights_only"])):
        warn(message)


# ------------------------------------------------------------------------------ start of training


def check_train_begin(callback) -> None:
    """Checks that need the model, run at ``on_train_begin``; raise in the learner's language.

    Args:
        callback: a cbteach callback with its model set (``callback.set_model(model)``).

    Example:

    >>> from cbteach import ReduceLROnPlateau
    >>> callback = ReduceLROnPlateau(min_lr=0.1)
    >>> callback.set_model(model)  # compiled with Adam at 0.001  # doctest: +SKIP
    >>> check_train_begin(callback)  # doctest: +SKIP
    ValueError: ReduceLROnPlateau: min_lr=0.1 is above the learning rate the optimizer ...
    """
    _check_monitor(type(callback).__name__, callback.monitor)
    if isinstance(callback, keras.callbacks.ReduceLROnPlateau):
        _check_optimizer(callback)
    if isinstance(callback, keras.callbacks.ModelCheckpoint):
        _check_batch_saves(callback)
        names = _log_names(callback)
        if names is not None:
            filepaths.check_placeholders(callback.filepath, names, callback.save_freq)
        if getattr(callback, "write", True):
            filepaths.check_folder(callback.filepath, callback.save_weights_only)
    _check_monitor_known(callback)
    _check_auto_mode_begin(callback)


def _check_monitor_known(callback) -> None:
    """A monitor the logs will not hold, refused when cbteach was told about the validation.

    Only where ``train()`` or ``check_fit_arguments`` said whether ``fit`` validates
    (``callback._validation`` is not None): there the names the logs will hold are known
    before training. In a plain ``model.fit`` Keras meets the missing value at the end of
    the first epoch, and decides (it warns, or raises in ``mode="auto"``).
    """
    if getattr(callback, "_validation", None) is None or not callback._compares():
        return
    names = _log_names(callback)
    if names is not None and callback.monitor not in names:
        raise ValueError(_monitor_message(callback, dict.fromkeys(names)))


def _check_batch_saves(callback) -> None:
    """With an integer ``save_freq`` Keras saves after batches, whose logs hold no ``val_``.

    Checked when training starts, and only for a checkpoint that writes: a replay
    (``write=False``) has no batches, so nothing is ever saved there per batch. With
    ``save_best_only=True``, Keras 3.15.1 crashes at the second save of the first epoch, so
    a ``save_freq`` below the batches per epoch (``params["steps"]``) is refused too.
    """
    save_freq = callback.save_freq
    if save_freq == "epoch" or not getattr(callback, "write", True):
        return
    filepaths.check_batch_saves(callback.filepath, save_freq)
    if not callback.save_best_only:
        return
    monitor = callback.monitor
    if monitor.startswith("val_"):
        raise ValueError(
            _t(
                "monitor_at_batches",
                monitor=monitor,
                fixed=monitor.removeprefix("val_"),
                save_freq=save_freq,
            )
        )
    steps = (getattr(callback, "params", None) or {}).get("steps")
    if steps is not None and save_freq < steps:
        # Keras sets its comparison (monitor_op) only at the first epoch's end; a second
        # save before then calls None: TypeError ('NoneType' object is not callable).
        raise ValueError(_t("best_at_batches", save_freq=save_freq, steps=steps))


def _optimizers(model) -> list:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return []
    return list(getattr(optimizer, "optimizers", None) or [optimizer])


def _check_optimizer(callback) -> None:
    schedule_class = keras.optimizers.schedules.LearningRateSchedule
    for optimizer in _optimizers(callback.model):
        schedule = getattr(optimizer, "_learning_rate", None)
        if isinstance(schedule, schedule_class):
            raise TypeError(_t("lr_schedule", schedule=type(schedule).__name__))
        lr = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
        if float(keras.ops.convert_to_numpy(callback.min_lr)) > lr:
            raise ValueError(
                _t(
                    "min_lr_above_lr",
                    min_lr=callback.min_lr,
                    lr=f"{lr:.3g}",
                    example=f"{lr / 100:.0e}",
                )
            )


def _training_names(model) -> list[str] | None:
    """The names a training epoch's logs will hold (``loss`` and the compiled metrics).

    None when they cannot be known before the first batch: a model with several outputs,
    or metrics given as a dict. Keras names a metric by the string it was compiled with,
    or else by the object's name; once the metrics are built, their own names are read.
    """
    try:
        outputs = len(model.outputs or ())
    except (AttributeError, ValueError):  # a subclassed model has no symbolic outputs
        outputs = 1
    if outputs > 1:
        return None
    compiled = getattr(model, "_compile_metrics", None)
    if compiled is None:
        return ["loss"]
    if compiled.built:
        return ["loss", *(m.name for m in compiled.metrics)]
    user = getattr(compiled, "_user_metrics", None)
    if getattr(compiled, "_user_weighted_metrics", None) or not isinstance(user, (list, tuple)):
        return None
    from keras.src.trainers.compile_utils import get_object_name

    names = ["loss"]
    for metric in user:
        if isinstance(metric, (list, tuple, dict)):
            return None
        names.append(metric if isinstance(metric, str) else get_object_name(metric))
    return names


def _log_names(callback) -> list[str] | None:
    """The names an epoch's logs will hold, ``val_`` ones included unless known absent."""
    training = _training_names(callback.model)
    if training is None:
        return None
    validation = [] if callback._validation is False else [f"val_{n}" for n in training]
    return [*training, *validation]


def _check_auto_mode_begin(callback) -> None:
    """Resolve ``mode="auto"`` now where Keras already can, without keeping the result.

    Keras resolves it at the end of the first epoch, once the compiled metrics are built.
    They are built already in a replay or a second ``fit``: then a name Keras cannot
    resolve is refused before training rather than after the first epoch.
    """
    if callback.mode != "auto" or callback.monitor_op is not None:
        return
    compiled = getattr(callback.model, "_compile_metrics", None)
    names = _training_names(callback.model) or []
    built = compiled is None or compiled.built
    if not built or callback.monitor.removeprefix("val_") not in names:
        return  # unknown yet, or a name the logs will lack: the first epoch's end says so
    saved = callback.monitor_op, callback.min_delta
    try:
        resolve_mode(callback)
    finally:
        callback.monitor_op, callback.min_delta = saved


def resolve_mode(callback) -> None:
    """Keras' own first step at an epoch's end (``_set_monitor_op``), its error translated.

    Args:
        callback: a Keras monitor callback; one whose direction is known is left alone.

    Example:

    >>> from cbteach import EarlyStopping
    >>> resolve_mode(EarlyStopping(monitor="val_f1"))
    Traceback (most recent call last):
    ValueError: EarlyStopping: mode="auto" cannot tell whether val_f1 should go down or up; ...
    """
    if callback.monitor_op is not None:
        return
    try:
        callback._set_monitor_op()
    except ValueError as error:
        raise ValueError(
            _t("auto_mode", callback=type(callback).__name__, monitor=callback.monitor)
        ) from error


# ------------------------------------------------------------------------------ during training


def not_finite_note(
    value: float | None, best: float | None, mode: str | None, logs: Mapping
) -> str | None:
    """The catalog key of the note on what Keras did with a NaN or infinite value, or None.

    Keras has no special case: NaN compares False with everything, so a NaN epoch is one
    without improvement, and a NaN *first* value becomes the best for good; ±inf compares
    like any number (-inf in min mode, +inf in max mode, is a best nothing can beat). The
    note says which happened, where a NaN comes from (the training loss not finite either:
    training diverged; only the monitored value: the validation data), and what to write.

    Args:
        value: the monitored value of the epoch.
        best: Keras' best after the epoch.
        mode: ``"min"`` or ``"max"``, as Keras resolved it.
        logs: the epoch's logs (the training ``loss`` says where a NaN comes from).

    Example:

    >>> not_finite_note(float("nan"), float("nan"), "min", {"loss": 0.3})
    'events.note_nan_best'
    >>> not_finite_note(float("nan"), 0.25, "min", {"loss": 0.3})
    'events.note_nan_data'
    >>> not_finite_note(float("inf"), float("inf"), "min", {}), not_finite_note(0.3, 0.2, "min", {})
    ('events.note_inf', None)
    """
    if best is not None and math.isnan(best):
        return "events.note_nan_best"
    if best is not None and best == {"min": -math.inf, "max": math.inf}.get(mode):
        return "events.note_inf_best"
    if value is None or math.isfinite(value):
        return None
    if math.isinf(value):
        return "events.note_inf"
    loss = logs.get("loss")
    try:
        diverged = loss is None or not math.isfinite(float(loss))
    except (TypeError, ValueError):
        diverged = True
    return "events.note_nan_diverged" if diverged else "events.note_nan_data"


_CONSEQUENCE = {
    "EarlyStopping": "missing_es",
    "ReduceLROnPlateau": "missing_rlr",
    "ModelCheckpoint": "missing_mc",
}


def missing_monitor(callback, logs: Mapping[str, object]) -> str:
    """The translated warning for a monitored value this epoch's logs lack.

    Keras only warns (in English) and decides nothing: EarlyStopping cannot stop,
    ReduceLROnPlateau cannot cut, and ModelCheckpoint(save_best_only=True) saves anyway.

    Args:
        callback: the callback at the end of an epoch.
        logs: the epoch's logs.

    Example:

    >>> from cbteach import EarlyStopping
    >>> print(missing_monitor(EarlyStopping(monitor="val_los"), {"val_loss": 0.3}))
    EarlyStopping: val_los is not in the logs; ... Did you mean monitor="val_loss"? ...
    """
    kind = next(k for k in _CONSEQUENCE if isinstance(callback, getattr(keras.callbacks, k)))
    consequence = _t(_CONSEQUENCE[kind], monitor=callback.monitor)
    return f"{_monitor_message(callback, logs)} {consequence}"


def error_note(callback, logs: Mapping[str, object]) -> str | None:
    """What to write instead, for an exception Keras raised at the end of an epoch.

    ``mode="auto"`` on a name Keras cannot resolve (a ``ValueError``), or a file name whose
    ``{placeholder}`` the logs cannot fill (a ``KeyError``); None for anything else.

    Args:
        callback: the callback whose ``on_epoch_end`` raised.
        logs: the epoch's logs.

    Example:

    >>> from cbteach import EarlyStopping
    >>> print(error_note(EarlyStopping(monitor="val_f1"), {"val_loss": 0.3, "val_f1": 0.8}))
    EarlyStopping: mode="auto" cannot tell whether val_f1 should go down or up; ...
    """
    if getattr(callback, "monitor_op", True) is None:
        if callback.monitor not in logs:
            return _monitor_message(callback, logs)
        return _t("auto_mode", callback=type(callback).__name__, monitor=callback.monitor)
    if isinstance(callback, keras.callbacks.ModelCheckpoint):
        return filepaths.missing_placeholder(callback.filepath, logs)
    return None


def add_note(error: BaseException, note: str | None) -> None:
    """Add ``note`` to Keras' own exception (a warning on Python 3.10, which has no notes).

    Args:
        error: the exception Keras raised.
        note: the translated sentence, or None (nothing to add).

    Example:

    >>> error = ValueError("Keras' own message")
    >>> add_note(error, "what to write instead")
    >>> error.__notes__
    ['what to write instead']
    """
    if note is None:
        return
    if hasattr(error, "add_note"):
        error.add_note(note)
    else:  # Python 3.10
        warn(note)


def _monitor_message(callback, logs: Mapping[str, object]) -> str:
    monitor, owner = callback.monitor, type(callback).__name__
    names = sorted(logs)
    available = ", ".join(names)
    base = monitor.removeprefix("val_")
    if monitor.startswith("val_") and base in logs and not any(n.startswith("val_") for n in names):
        return _t("monitor_no_validation", callback=owner, monitor=monitor, fixed=base)
    close = closest(monitor, names)
    if close:
        return _t(
            "monitor_missing", callback=owner, monitor=monitor, available=available, close=close
        )
    example = "val_loss" if "val_loss" in logs else (names[0] if names else "loss")
    return _t(
        "monitor_missing_no_match",
        callback=owner,
        monitor=monitor,
        available=available,
        example=example,
    )
