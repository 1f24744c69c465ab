"""Nothing a learner types breaks the lesson: every bad input gets a sentence saying what to write.

Keras refuses some mistakes in English, only warns about others, and silently accepts the
rest (``ReduceLROnPlateau(factor=0)``, ``EarlyStopping(patience=-1)``, ``min_delta=-0.01``,
a ``.h5`` file for a whole model, ``os.getcwd() + "weights.keras"``). cbteach checks each
input at the earliest moment it can be known, and answers in the learner's language:

- **construction** (:func:`check_callback`, :func:`warn_callback`): names, numbers, modes,
  file names and their ``{placeholders}``, ``save_freq``;
- **the start of training** (:func:`check_train_begin`, called from ``on_train_begin``): what
  needs the model or the run: the optimizer's learning rate, the names the logs will hold,
  ``val_`` names in a checkpoint saved per batch, the folder the checkpoints go to, and
  ``mode="auto"`` where Keras can already resolve it;
- **the end of an epoch** (:func:`missing_names`, :func:`resolve_mode`): a monitored value or
  a ``{placeholder}`` the logs do not hold. The callback that needs it stops training cleanly
  (``model.stop_training = True``), warns, and records an event, instead of a traceback. A
  NaN or infinite monitored value (:func:`not_finite`) is kept from Keras' decision and
  recorded as an event (``cbteach.callbacks._Observed.on_epoch_end``);
- **train() and model.fit** (:func:`check_train_arguments`, :func:`check_fit_arguments`):
  misspelled names ("did you mean `epochs`?") and impossible values.

What Keras 3.15.1 tells a callback at ``on_train_begin``: ``self.params`` holds only
``verbose``, ``epochs`` and ``steps``; nothing says whether ``fit`` got validation data (Keras
builds its evaluation iterator only at the first validation). On the TensorFlow backend the
compiled metrics are not even built yet (that happens when the first batch is traced), so
their names are read from what the model was compiled with (:func:`_training_names`). Whether
``val_`` values will exist is known only when the caller says so (:func:`expect_validation`):
:func:`check_train_arguments` says so for cbteach's ``train()``, which always validates, and
:func:`check_fit_arguments` for a learner's own ``model.fit``. Otherwise the first epoch's
logs say it: a missing ``val_`` value stops training at the end of epoch 1 with a message.
"""

from __future__ import annotations

import difflib
import inspect
import math
import numbers
import os
import re
import string
import tempfile
import warnings
from collections.abc import Iterable, Mapping, Sequence

import keras
import numpy as np

from cbteach import i18n

__all__ = [
    "InputWarning",
    "check_callback",
    "check_fit_arguments",
    "check_names",
    "check_train_arguments",
    "check_train_begin",
    "expect_validation",
    "missing_names",
    "not_finite",
    "resolve_mode",
    "warn",
    "warn_callback",
]

MODES = ("auto", "min", "max")

#: File suffixes a learner may write, longest first: what :func:`_stem` strips.
_SUFFIXES = (
    ".weights.hdf5",
    ".weights.h5",
    ".weights",
    ".keras",
    ".hdf5",
    ".h5",
    ".hdf",
    ".ckpt",
    ".model",
    ".pth",
    ".pt",
    ".pb",
    ".tf",
)

#: Every placeholder of a file name is formatted with one of these to test its format spec.
_SAMPLE = {"epoch": 1, "batch": 1}


class InputWarning(UserWarning):
    """A setting Keras accepts that probably does not do what the learner meant."""


def _t(key: str, **values: object) -> str:
    return i18n.t(f"validation.{key}", **values)


def warn(message: str) -> None:
    """Show ``message`` as an :class:`InputWarning` at the learner's line.

    That is the first frame outside cbteach and Keras, so that a notebook shows the cell.
    """
    level, frame = 1, inspect.currentframe()
    package = os.path.dirname(__file__)
    keras_folder = os.path.dirname(keras.__file__)
    while frame is not None and frame.f_code.co_filename.startswith((package, keras_folder)):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, InputWarning, stacklevel=level)


def _close(name: str, candidates: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


# ------------------------------------------------------------------------------ names


def check_names(
    owner: str,
    valid: Sequence[str],
    arguments: Iterable[str],
    *,
    own: Sequence[str] = (),
    removed: Mapping[str, str] | None = None,
) -> None:
    """Raise TypeError for a keyword ``owner`` does not take: "did you mean ...?".

    ``valid`` are the names ``owner`` takes, ``own`` more names to suggest (cbteach's own),
    ``removed`` names that no longer exist, each with the catalog key that says what to do.
    """
    removed = removed or {}
    for name in arguments:
        if name in valid:
            continue
        if name in removed:
            raise TypeError(i18n.t(removed[name], callback=owner, name=name))
        close = _close(name, [*valid, *own])
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


# ------------------------------------------------------------------------------ construction


def check_callback(keras_class: type, arguments: Mapping[str, object]) -> None:
    """Raise, in the learner's language, for a value the callback cannot use as meant.

    ``arguments`` are all of the Keras class' arguments, defaults filled in. Runs before
    Keras' own ``__init__``, so Keras' English errors (factor >= 1, a file suffix,
    ``save_freq``) are answered here first.
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
    close = text if text in MODES else _close(text, MODES)
    if close:
        raise ValueError(_t("mode_close", callback=owner, mode=repr(mode), close=close))
    raise ValueError(_t("mode_unknown", callback=owner, mode=repr(mode)))


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _check_number(owner: str, name: str, value: object, example: object) -> float:
    """A finite number; TypeError for text and the like, ValueError for NaN and infinity."""
    message = _t("not_a_number", callback=owner, name=name, value=repr(value), example=example)
    if not _is_number(value):
        raise TypeError(message)
    if not math.isfinite(float(value)):
        raise ValueError(message)
    return float(value)


def _whole_example(value: object, default: int, least: int = 0) -> int:
    """A whole number close to what the learner wrote, for "write e.g. ..."."""
    try:
        number = round(float(value))
    except (TypeError, ValueError, OverflowError):
        return default
    return number if number >= least else default


def _check_count(owner: str, name: str, value: object) -> None:
    """A number of epochs: a whole number, 0 or more."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        example = _whole_example(value, 3)
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


def _stem(filepath: str) -> str:
    """The file name without a model or weights suffix: what a right suffix is added to."""
    for suffix in _SUFFIXES:
        if filepath.lower().endswith(suffix):
            return filepath[: -len(suffix)]
    return filepath


def _fields(filepath: str) -> list[tuple[str, str, str]]:
    """``(placeholder as written, name, format spec)`` of each ``{...}`` in a file name."""
    fields = []
    for _, field, spec, conversion in string.Formatter().parse(filepath):
        if field is None:
            continue
        converted = f"!{conversion}" if conversion else ""
        written = "{" + field + converted + (f":{spec}" if spec else "") + "}"
        fields.append((written, re.split(r"[.\[]", field, maxsplit=1)[0], spec or ""))
    return fields


def _check_checkpoint(arguments: Mapping[str, object]) -> None:
    if "filepath" not in arguments:
        return  # Keras' own TypeError says that filepath is missing
    filepath = arguments["filepath"]
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(_t("filepath_not_text", value=repr(filepath)))
    filepath = os.fspath(filepath)
    _check_pattern(filepath)
    _check_suffix(filepath, bool(arguments["save_weights_only"]))
    save_freq = arguments["save_freq"]
    if save_freq != "epoch" and (
        not isinstance(save_freq, numbers.Integral) or isinstance(save_freq, bool) or save_freq < 1
    ):
        raise ValueError(_t("save_freq_bad", value=repr(save_freq)))
    if save_freq == "epoch" and any(name == "batch" for _, name, _ in _fields(filepath)):
        raise ValueError(_t("batch_without_batches", filepath=filepath))


def _check_pattern(filepath: str) -> None:
    try:
        fields = _fields(filepath)
    except ValueError as error:
        raise ValueError(_t("pattern_broken", filepath=filepath)) from error
    for written, name, spec in fields:
        if not name or name.isdigit():
            raise ValueError(_t("pattern_empty", filepath=filepath, placeholder=written))
        fixed = "{" + name + (":02d" if name in _SAMPLE else ":.2f") + "}"
        try:
            format(_SAMPLE.get(name, 0.5), spec)
        except ValueError as error:
            raise ValueError(
                _t("pattern_spec", filepath=filepath, placeholder=written, fixed=fixed)
            ) from error


def _check_suffix(filepath: str, weights_only: bool) -> None:
    weights = _stem(filepath) + ".weights.h5"
    if weights_only and not filepath.endswith(".weights.h5"):
        raise ValueError(_t("suffix_weights", filepath=filepath, fixed=weights))
    if not weights_only and not filepath.endswith((".keras", ".h5")):
        fixed = _stem(filepath) + ".keras"
        raise ValueError(_t("suffix_model", filepath=filepath, fixed=fixed, weights=weights))


def warn_callback(keras_class: type, arguments: Mapping[str, object]) -> None:
    """Warn, in the learner's language, about settings Keras accepts but that mislead."""
    if not issubclass(keras_class, keras.callbacks.ModelCheckpoint):
        return
    filepath = os.fspath(arguments["filepath"])
    if not arguments["save_weights_only"] and filepath.endswith(".h5"):
        stem = _stem(filepath)
        warn(
            _t("legacy_h5", filepath=filepath, fixed=stem + ".keras", weights=stem + ".weights.h5")
        )
    glued = _glued_folder(filepath)
    if glued is not None:
        folder, code = glued
        warn(
            _t(
                "no_separator",
                filepath=filepath,
                folder=folder,
                parent=os.path.dirname(filepath),
                name=os.path.basename(filepath),
                code=code,
                rest=filepath[len(folder) :],
            )
        )


def _glued_folder(filepath: str) -> tuple[str, str] | None:
    """``(folder, code)`` when ``filepath`` is ``folder + name`` with no separator between."""
    separators = tuple(s for s in (os.sep, os.altsep) if s)
    known = [(os.getcwd(), "os.getcwd()"), (os.path.expanduser("~"), 'os.path.expanduser("~")')]
    for folder, code in known:
        if folder.endswith(separators) or not filepath.startswith(folder):
            continue
        rest = filepath[len(folder) :]
        if rest and not rest.startswith(separators):
            return folder, code
    return None


# ------------------------------------------------------------------------------ start of training


def expect_validation(callbacks: Iterable[object], present: bool) -> None:
    """Tell cbteach's callbacks whether the coming ``fit`` has validation data.

    Keras does not say so at ``on_train_begin``; with this, ``val_`` names are checked
    there too instead of at the end of the first epoch.
    """
    for callback in callbacks:
        if hasattr(callback, "_validation"):
            callback._validation = bool(present)


def check_train_begin(callback) -> None:
    """Checks that need the model, run at ``on_train_begin``; raise in the learner's language."""
    _check_monitor(type(callback).__name__, callback.monitor)
    if isinstance(callback, keras.callbacks.ReduceLROnPlateau):
        _check_optimizer(callback)
    if isinstance(callback, keras.callbacks.ModelCheckpoint):
        _check_batch_saves(callback)
        _check_placeholders_begin(callback)
        if getattr(callback, "write", True):
            _check_folder(callback.filepath, callback.save_weights_only)
    _check_auto_mode_begin(callback)


def _check_batch_saves(callback) -> None:
    """With an integer ``save_freq`` Keras saves after batches, whose logs hold no ``val_``.

    Checked when training starts, and only for a checkpoint that writes: a replay
    (``write=False``) has no batches, so nothing is ever saved there per batch.
    """
    filepath, save_freq = callback.filepath, callback.save_freq
    if save_freq == "epoch" or not getattr(callback, "write", True):
        return
    for written, name, _ in _fields(filepath):
        if name.startswith("val_"):
            fixed = written.replace(name, name.removeprefix("val_"), 1)
            raise ValueError(
                _t(
                    "val_at_batches",
                    filepath=filepath,
                    placeholder=written,
                    fixed=fixed,
                    save_freq=save_freq,
                )
            )
    monitor = callback.monitor
    if callback.save_best_only and monitor.startswith("val_"):
        raise ValueError(
            _t(
                "monitor_at_batches",
                monitor=monitor,
                fixed=monitor.removeprefix("val_"),
                save_freq=save_freq,
            )
        )


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


def _check_placeholders_begin(callback) -> None:
    names = _log_names(callback)
    if names is None:
        return
    filepath = callback.filepath
    fillable = [*names, "epoch", "learning_rate"]
    if callback.save_freq != "epoch":
        fillable.append("batch")
    for written, name, _ in _fields(filepath):
        if name not in fillable:
            raise ValueError(_placeholder_message(filepath, written, name, names))


def _placeholder_message(filepath: str, written: str, name: str, names: Sequence[str]) -> str:
    base = name.removeprefix("val_")
    if name.startswith("val_") and base in names:
        fixed = written.replace(name, base, 1)
        return _t("placeholder_no_validation", filepath=filepath, placeholder=written, fixed=fixed)
    candidates = ["epoch", *names]
    close = _close(name, candidates)
    if close:
        fixed = written.replace(name, close, 1)
        return _t(
            "placeholder_unknown",
            filepath=filepath,
            placeholder=written,
            available=", ".join(candidates),
            fixed=fixed,
        )
    return _t(
        "placeholder_unknown_no_match",
        filepath=filepath,
        placeholder=written,
        available=", ".join(candidates),
    )


def _check_folder(filepath: str, weights_only: bool) -> None:
    """The checkpoints' folder exists or can be made, and a file can be written in it."""
    name = "best.weights.h5" if weights_only else "best.keras"
    if "{" not in filepath and os.path.isdir(filepath):
        raise ValueError(_t("path_is_folder", filepath=filepath, name=name))
    folder = os.path.dirname(filepath.split("{", 1)[0]) or "."
    existing = folder
    while not os.path.exists(existing):
        parent = os.path.dirname(existing) or "."
        if parent == existing:
            break
        existing = parent
    if os.path.exists(existing) and not os.path.isdir(existing):
        raise ValueError(_t("folder_is_file", folder=existing, name=name))
    try:
        handle, probe = tempfile.mkstemp(dir=existing, prefix=".cbteach-probe-")
    except OSError as error:
        raise PermissionError(_t("folder_not_writable", folder=folder, name=name)) from error
    os.close(handle)
    os.remove(probe)


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


# ------------------------------------------------------------------------------ end of an epoch


def resolve_mode(callback) -> None:
    """Keras' own first step at an epoch's end (``_set_monitor_op``), its error translated."""
    if callback.monitor_op is not None:
        return
    try:
        callback._set_monitor_op()
    except ValueError as error:
        raise ValueError(
            _t("auto_mode", callback=type(callback).__name__, monitor=callback.monitor)
        ) from error


def not_finite(value: float | None) -> bool:
    """True for NaN and ±inf: a value no "better than the best" comparison makes sense for."""
    return value is not None and not math.isfinite(value)


def missing_names(callback, epoch: int, logs: Mapping[str, object], compares: bool) -> str | None:
    """The translated message when ``callback`` needs a value ``logs`` lacks, else None.

    A callback needs its monitored value when it ``compares`` values; a ModelCheckpoint
    that saves at epoch ends needs every ``{placeholder}`` of its file name too.
    """
    stops = _t("stops_at_epoch", epoch=epoch + 1)
    if compares and callback.monitor not in logs:
        return f"{_monitor_message(callback, logs)} {stops}"
    if isinstance(callback, keras.callbacks.ModelCheckpoint) and callback.save_freq == "epoch":
        names = sorted(logs)
        for written, name, _ in _fields(callback.filepath):
            if name not in ("epoch", *logs):
                return f"{_placeholder_message(callback.filepath, written, name, names)} {stops}"
    return None


def _monitor_message(callback, logs: Mapping[str, object]) -> str:
    monitor, owner = callback.monitor, type(callback).__name__
    names = sorted(logs)
    available = ", ".join(names)
    base = monitor.removeprefix("val_")
    if monitor.startswith("val_") and base in logs and not any(n.startswith("val_") for n in names):
        return _t("monitor_no_validation", callback=owner, monitor=monitor, fixed=base)
    close = _close(monitor, names)
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


# ------------------------------------------------------------------------------ train() and fit


def _fit_parameters() -> list[str]:
    params = inspect.signature(keras.Model.fit).parameters
    return [n for n, p in params.items() if n != "self" and p.kind is not p.VAR_KEYWORD]


def _check_whole(owner: str, name: str, value: object, default: int) -> None:
    """A whole number of at least 1 (epochs, batch_size)."""
    if value is None and name == "batch_size":
        return  # model.fit's own default: 32
    example = _whole_example(value, default, least=1)
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
    epochs: object = 20,
    batch_size: object = 128,
    learning_rate: object = 1e-3,
    callbacks: Iterable[object] = (),
) -> None:
    """The arguments of :func:`cbteach.training.train`, checked before it builds anything.

    ``misspelled`` are the keywords ``train`` did not take: each raises TypeError, "did
    you mean ...?" for a typo, and for a ``model.fit`` argument that ``train`` sets itself
    (``validation_data``, ``x``, ...) a sentence saying so. ``epochs`` and ``batch_size``
    must be whole numbers of at least 1 and ``learning_rate`` a positive number. Then
    cbteach's ``callbacks`` are told that there will be validation data (``train`` always
    validates), so that ``val_`` names are checked before the first epoch.
    """
    from cbteach import training

    owner = "train()"
    params = inspect.signature(training.train).parameters
    valid = [n for n, p in params.items() if p.kind is not p.VAR_KEYWORD]
    fit_only = set(_fit_parameters()) - set(valid)
    for name in misspelled:
        if name in fit_only:
            raise TypeError(_t("train_fit_only", name=name))
    check_names(owner, valid, misspelled)
    _check_whole(owner, "epochs", epochs, 20)
    _check_whole(owner, "batch_size", batch_size, 128)
    message = _t("learning_rate_bad", value=repr(learning_rate))
    if not _is_number(learning_rate):
        raise TypeError(message)
    if not 0 < float(learning_rate) < math.inf:
        raise ValueError(message)
    expect_validation(callbacks, True)


def check_fit_arguments(**arguments: object) -> None:
    """Check the keywords of a ``model.fit`` call before making it, in the learner's language.

    >>> fit_args = dict(x=x, y=y, batch_szie=128, epochs=10)   # doctest: +SKIP
    >>> check_fit_arguments(**fit_args)                        # doctest: +SKIP
    TypeError: model.fit has no argument `batch_szie` — did you mean `batch_size`?

    Misspelled names raise TypeError with the closest name; ``epochs`` and ``batch_size``
    must be whole numbers of at least 1. cbteach's callbacks in ``callbacks`` are told
    whether there is validation data, so that a ``val_`` name without it is refused when
    training starts instead of at the end of the first epoch.
    """
    check_names("model.fit", _fit_parameters(), arguments)
    _check_whole("model.fit", "epochs", arguments.get("epochs", 1), 10)
    _check_whole("model.fit", "batch_size", arguments.get("batch_size"), 32)
    validation = arguments.get("validation_data") is not None or bool(
        arguments.get("validation_split")
    )
    expect_validation(arguments.get("callbacks") or (), validation)


def check_labels(data) -> None:
    """``data.y_train`` and ``data.y_val``: one digit 0..9 per image, as whole numbers.

    Keras on TensorFlow fails on a label of 10 only inside the first batch, with a message
    about the graph; on JAX it trains on, silently wrong. Checked before training instead.
    """
    for name in ("y_train", "y_val"):
        labels = np.asarray(getattr(data, name))
        if labels.ndim != 1 or labels.dtype.kind not in "iuf":
            shown = f"shape {labels.shape}, dtype {labels.dtype}"
            raise ValueError(_t("labels_bad", name=f"data.{name}", value=shown))
        wrong = labels[(labels < 0) | (labels > 9) | (labels != np.round(labels))]
        if wrong.size:
            raise ValueError(_t("labels_bad", name=f"data.{name}", value=repr(wrong[0].item())))
