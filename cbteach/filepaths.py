"""Every rule about a checkpoint's file name, in one place: "why was my file name refused?".

A ModelCheckpoint's ``filepath`` is checked at three moments, each by a function here
(:mod:`cbteach.validation` calls them at the right moment; exercises use them too):

- **construction**: the name is text (:func:`check_name`), its ``{placeholders}`` are
  well formed with a usable format spec, its suffix fits ``save_weights_only``, and
  ``{batch}`` appears only when saving per batch (:func:`check_save_freq_fields`). Two
  names Keras accepts but that mislead are warned about (:func:`warnings_about`): a
  whole model in legacy ``.h5``, and a folder glued to a name without a separator
  (:func:`glued_folder`, the notes' ``os.getcwd() + "weights..."``);
- **the start of training**: the placeholders are names the logs will hold
  (:func:`check_placeholders`), a checkpoint saved per batch names no ``val_`` value
  (:func:`check_batch_saves`), and the folder can be written (:func:`check_folder`);
- **the end of an epoch**: a placeholder the logs lack (:func:`missing_placeholder`).

The messages are the ``validation.*`` entries of the catalogs.

Example:

>>> from cbteach import filepaths
>>> [name for _, name, _ in filepaths.fields("w.{epoch:02d}-{val_loss:.2f}.keras")]
['epoch', 'val_loss']
"""

from __future__ import annotations

import os
import re
import string
import tempfile
from collections.abc import Iterable, Mapping, Sequence

from cbteach import i18n
from cbteach.arguments import closest

__all__ = [
    "check_batch_saves",
    "check_folder",
    "check_name",
    "check_placeholders",
    "check_save_freq_fields",
    "fields",
    "glued_folder",
    "missing_placeholder",
    "placeholder_message",
    "stem",
    "unknown_placeholders",
    "warnings_about",
]

#: File suffixes a learner may write, longest first: what :func:`stem` strips.
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


def _t(key: str, **values: object) -> str:
    return i18n.t(f"validation.{key}", **values)


# ------------------------------------------------------------------------------ reading a name


def stem(filepath: str) -> str:
    """The file name without a model or weights suffix: what a right suffix is added to.

    Args:
        filepath: the file name as written.

    Example:

    >>> stem("ckpt/best.hdf5")
    'ckpt/best'
    """
    for suffix in _SUFFIXES:
        if filepath.lower().endswith(suffix):
            return filepath[: -len(suffix)]
    return filepath


def fields(filepath: str) -> list[tuple[str, str, str]]:
    """``(placeholder as written, name, format spec)`` of each ``{...}`` in a file name.

    Raises ValueError for a broken pattern (an unmatched brace).

    Args:
        filepath: the file name as written.

    Example:

    >>> fields("w.{epoch:02d}-{val_loss:.2f}.keras")
    [('{epoch:02d}', 'epoch', '02d'), ('{val_loss:.2f}', 'val_loss', '.2f')]
    """
    found = []
    for _, field, spec, conversion in string.Formatter().parse(filepath):
        if field is None:
            continue
        converted = f"!{conversion}" if conversion else ""
        written = "{" + field + converted + (f":{spec}" if spec else "") + "}"
        found.append((written, re.split(r"[.\[]", field, maxsplit=1)[0], spec or ""))
    return found


def glued_folder(filepath: str, *, home: bool = True) -> tuple[str, str] | None:
    """``(folder, code)`` when ``filepath`` is ``folder + name`` with no separator between.

    Args:
        filepath: the file name as written.
        home: look for the home folder too, not only the working folder. Defaults to True.

    Returns:
        The folder and the code that gave it (``"os.getcwd()"``), or None.

    Example:

    >>> import os
    >>> glued_folder(os.getcwd() + "weights.keras")[1]
    'os.getcwd()'
    """
    separators = tuple(s for s in (os.sep, os.altsep) if s)
    known = [(os.getcwd(), "os.getcwd()")]
    if home:
        known.append((os.path.expanduser("~"), 'os.path.expanduser("~")'))
    for folder, code in known:
        if folder.endswith(separators) or not filepath.startswith(folder):
            continue
        rest = filepath[len(folder) :]
        if rest and not rest.startswith(separators):
            return folder, code
    return None


def unknown_placeholders(filepath: str, logs: Iterable[str]) -> list[str]:
    """The ``{names}`` of a file name that Keras could not fill from ``epoch``, ``batch``, ``logs``.

    A broken pattern gives none: what Keras says about it is reported instead.

    Args:
        filepath: the file name as written.
        logs: the names an epoch's logs hold.

    Example:

    >>> unknown_placeholders("w.{epoch:02d}-{val_acc:.2f}.keras", ["val_accuracy"])
    ['val_acc']
    """
    try:
        names = [name for _, name, _ in fields(filepath)]
    except ValueError:
        return []
    return [n or "{}" for n in names if n not in ("epoch", "batch") and n not in logs]


# ------------------------------------------------------------------------------ construction


def check_name(filepath: object, weights_only: bool) -> str:
    """The file name as text, its placeholders and its suffix checked; raises otherwise.

    Args:
        filepath: what the learner gave as ``filepath``.
        weights_only: ``save_weights_only``, which decides the right suffix.

    Returns:
        ``filepath`` as a string.

    Example:

    >>> check_name("best.keras", weights_only=False)
    'best.keras'
    >>> check_name("best.keras", weights_only=True)
    Traceback (most recent call last):
    ValueError: ModelCheckpoint: ... Write filepath="best.weights.h5".
    """
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(_t("filepath_not_text", value=repr(filepath)))
    filepath = os.fspath(filepath)
    _check_pattern(filepath)
    _check_suffix(filepath, weights_only)
    return filepath


def _check_pattern(filepath: str) -> None:
    try:
        found = fields(filepath)
    except ValueError as error:
        raise ValueError(_t("pattern_broken", filepath=filepath)) from error
    for written, name, spec in found:
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
    weights = stem(filepath) + ".weights.h5"
    if weights_only and not filepath.endswith(".weights.h5"):
        raise ValueError(_t("suffix_weights", filepath=filepath, fixed=weights))
    if not weights_only and not filepath.endswith((".keras", ".h5")):
        fixed = stem(filepath) + ".keras"
        raise ValueError(_t("suffix_model", filepath=filepath, fixed=fixed, weights=weights))


def check_save_freq_fields(filepath: str, save_freq: object) -> None:
    """``{batch}`` only in a checkpoint saved per batch: saved per epoch, there is none.

    Args:
        filepath: the file name.
        save_freq: the checkpoint's ``save_freq``, ``"epoch"`` or a number of batches.

    Example:

    >>> check_save_freq_fields("w.{batch}.keras", save_freq=100)  # fine: saved per batch
    >>> check_save_freq_fields("w.{batch}.keras", save_freq="epoch")
    Traceback (most recent call last):
    ValueError: ModelCheckpoint: w.{batch}.keras uses {batch}, but with save_freq="epoch" ...
    """
    if save_freq == "epoch" and any(name == "batch" for _, name, _ in fields(filepath)):
        raise ValueError(_t("batch_without_batches", filepath=filepath))


def warnings_about(filepath: str, weights_only: bool) -> list[str]:
    """The messages for a name Keras accepts but that misleads: legacy ``.h5``, a glued folder.

    Args:
        filepath: the file name, as text.
        weights_only: ``save_weights_only``.

    Returns:
        One translated message per problem, in the order to show them (often none).

    Example:

    >>> warnings_about("best.keras", False)
    []
    >>> warnings_about("best.h5", False)
    ['ModelCheckpoint: best.h5 ends in .h5, so Keras saves the whole model in the old HDF5...']
    """
    messages = []
    if not weights_only and filepath.endswith(".h5"):
        base = stem(filepath)
        messages.append(
            _t("legacy_h5", filepath=filepath, fixed=base + ".keras", weights=base + ".weights.h5")
        )
    glued = glued_folder(filepath)
    if glued is not None:
        folder, code = glued
        messages.append(
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
    return messages


# ------------------------------------------------------------------------------ start of training


def check_batch_saves(filepath: str, save_freq: object) -> None:
    """A checkpoint saved every ``save_freq`` batches names no ``val_`` value.

    A batch's logs hold no validation values, so Keras could not fill one in.

    Args:
        filepath: the file name.
        save_freq: the checkpoint's ``save_freq`` (a number of batches), for the message.

    Example:

    >>> check_batch_saves("w.{loss:.2f}.keras", 100)
    >>> check_batch_saves("w.{val_loss:.2f}.keras", 100)
    Traceback (most recent call last):
    ValueError: ModelCheckpoint: with save_freq=100 Keras saves after batches, ...
    """
    for written, name, _ in fields(filepath):
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


def check_placeholders(filepath: str, names: Sequence[str], save_freq: object) -> None:
    """Every placeholder is a name the logs will hold (``names``), or one Keras fills itself.

    Args:
        filepath: the file name.
        names: the names an epoch's logs will hold.
        save_freq: the checkpoint's ``save_freq``: per batch, ``{batch}`` is filled too.

    Example:

    >>> check_placeholders("w.{val_acc:.2f}.keras", ["loss", "val_accuracy"], "epoch")
    Traceback (most recent call last):
    ValueError: ModelCheckpoint: ... Did you mean {val_accuracy:.2f}?
    """
    fillable = [*names, "epoch", "learning_rate"]
    if save_freq != "epoch":
        fillable.append("batch")
    for written, name, _ in fields(filepath):
        if name not in fillable:
            raise ValueError(placeholder_message(filepath, written, name, names))


def placeholder_message(filepath: str, written: str, name: str, names: Sequence[str]) -> str:
    """What to write instead of placeholder ``written`` (named ``name``) that ``names`` lack.

    Args:
        filepath: the file name.
        written: the placeholder as written (``"{val_acc:.2f}"``).
        name: the name inside it (``"val_acc"``).
        names: the names the logs hold.

    Returns:
        The translated message, with the placeholder to write where one is close.

    Example:

    >>> placeholder_message("w.{val_acc}.keras", "{val_acc}", "val_acc", ["val_accuracy"])
    'ModelCheckpoint: the file name w.{val_acc}.keras uses {val_acc}, ... {val_accuracy}?'
    """
    base = name.removeprefix("val_")
    if name.startswith("val_") and base in names:
        fixed = written.replace(name, base, 1)
        return _t("placeholder_no_validation", filepath=filepath, placeholder=written, fixed=fixed)
    candidates = ["epoch", *names]
    close = closest(name, candidates)
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


def check_folder(filepath: str, weights_only: bool) -> None:
    """The checkpoints' folder exists or can be made, and a file can be written in it.

    Raises ValueError when the name is a folder or its folder is a file, and
    PermissionError when nothing can be written there.

    Args:
        filepath: the file name; the folder is the part before the first placeholder.
        weights_only: ``save_weights_only``, for the file name the message suggests.

    Example:

    >>> check_folder("checkpoints/best.keras", weights_only=False)  # nothing is created
    """
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


# ------------------------------------------------------------------------------ end of an epoch


def missing_placeholder(filepath: str, logs: Mapping[str, object]) -> str | None:
    """The message for the first placeholder an epoch's ``logs`` cannot fill, else None.

    Args:
        filepath: the file name.
        logs: the epoch's logs.

    Example:

    >>> missing_placeholder("w.{epoch:02d}-{val_loss:.2f}.keras", {"val_loss": 0.3}) is None
    True
    """
    names = sorted(logs)
    for written, name, _ in fields(filepath):
        if name not in ("epoch", *logs):
            return placeholder_message(filepath, written, name, names)
    return None
