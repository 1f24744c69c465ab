"""Recorded runs: the per-epoch logs of real training runs, shipped for instant replay.

Each file in ``cbteach/recorded/`` was written by ``python -m cbteach record NAME ...`` from
a real ``model.fit`` without callbacks, so that every epoch of the curve exists and any
callback setting can be replayed over it. Its ``provenance`` says how it was made (data,
model, seed, epochs, Keras and backend versions, device, date) and the exact command that
makes it again.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from cbteach.atomic import write_text
from cbteach.events import EventLog
from cbteach.run import Run

SCHEMA_VERSION = 1
PROVENANCE_KEYS = (
    "data",
    "model",
    "seed",
    "epochs",
    "batch_size",
    "learning_rate",
    "optimizer",
    "keras",
    "backend",
    "backend_version",
    "device",
    "date",
    "command",
)
REQUIRED_CURVES = ("loss", "val_loss", "accuracy", "val_accuracy")


class RecordError(ValueError):
    """A recorded-run file that does not follow the schema.

    Args:
        message: what the file lacks or holds wrongly.

    Example:

    >>> validate({"schema": SCHEMA_VERSION})  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
        ...
    cbteach.recorded.RecordError: missing 'name'
    """


# What each shipped recorded run is: the settings that make its curve (see README).
RECORDINGS = {
    "overfit": {"model": "mlp", "learning_rate": 3e-3, "batch_size": 32, "monitor": "val_loss"},
    "plateau": {"model": "cnn", "learning_rate": 1e-3, "batch_size": 128, "monitor": "val_loss"},
    "accuracy": {
        "model": "cnn",
        "learning_rate": 5e-4,
        "batch_size": 64,
        "monitor": "val_accuracy",
    },
}


def folder() -> Path:
    """The folder of the runs shipped with cbteach.

    Args:
        None.

    Example:

    >>> folder().name
    'recorded'
    """
    return Path(str(resources.files("cbteach") / "recorded"))


def names() -> list[str]:
    """The names of the shipped recorded runs, e.g. ``["accuracy", "overfit", "plateau"]``.

    Args:
        None.

    Example:

    >>> names()
    ['accuracy', 'overfit', 'plateau']
    """
    return sorted(p.stem for p in folder().glob("*.json"))


def validate(record: dict) -> None:
    """Raise RecordError unless ``record`` follows the schema and its provenance is complete.

    Args:
        record: a record as :func:`to_record` makes it (or a recorded-run file, parsed).

    Raises:
        RecordError: the first thing missing or wrong.

    Example:

    >>> import json
    >>> validate(json.loads((folder() / "overfit.json").read_text(encoding="utf-8")))
    """
    if record.get("schema") != SCHEMA_VERSION:
        raise RecordError(f"schema must be {SCHEMA_VERSION}, got {record.get('schema')!r}")
    for key in ("name", "history", "lrs", "epoch_times", "provenance", "suggested_monitor"):
        if key not in record:
            raise RecordError(f"missing {key!r}")
    history = record["history"]
    missing = [c for c in REQUIRED_CURVES if c not in history]
    if missing:
        raise RecordError(f"history lacks {missing}")
    lengths = {len(v) for v in history.values()} | {len(record["lrs"]), len(record["epoch_times"])}
    if len(lengths) != 1:
        raise RecordError(f"curves of different lengths: {sorted(lengths)}")
    for curve, values in history.items():
        if not all(isinstance(x, (int, float)) and math.isfinite(x) for x in values):
            raise RecordError(f"{curve} holds a value that is not a finite number")
    gaps = [k for k in PROVENANCE_KEYS if record["provenance"].get(k) in (None, "", {})]
    if gaps:
        raise RecordError(f"provenance lacks {gaps}")
    if record["suggested_monitor"] not in history:
        raise RecordError(f"suggested_monitor {record['suggested_monitor']!r} is not a curve")


def to_record(run: Run, *, name: str, command: str, suggested_monitor: str = "val_loss") -> dict:
    """The JSON-ready record of a real training run.

    Args:
        run: the :class:`~cbteach.run.Run` of a ``model.fit`` without callbacks.
        name: the recorded run's name (its file is ``<name>.json``).
        command: the exact command that makes the record again.
        suggested_monitor: the monitor the run is best read with. Defaults to `"val_loss"`.

    Raises:
        RecordError: the run lacks a curve or a provenance field.

    Example:

    >>> record = to_record(load("plateau"), name="plateau", command="python -m cbteach record")
    >>> record["schema"], record["provenance"]["model"]
    (1, 'cnn')
    """
    import keras

    backend = run.device.get("backend", keras.backend.backend())
    record = {
        "schema": SCHEMA_VERSION,
        "name": name,
        "suggested_monitor": suggested_monitor,
        "history": run.history,
        "lrs": run.lrs,
        "epoch_times": [round(t, 4) for t in run.epoch_times],
        "provenance": {
            "data": run.data,
            "model": run.model_name,
            "seed": run.seed,
            "epochs": run.epochs,
            "batch_size": run.batch_size,
            "learning_rate": run.learning_rate,
            "optimizer": "Adam",
            "keras": keras.__version__,
            "backend": backend,
            "backend_version": _backend_version(backend),
            "device": run.device.get("name"),
            "date": datetime.now(timezone.utc).date().isoformat(),
            "command": command,
        },
    }
    validate(record)
    return record


def _backend_version(backend: str) -> str:
    module = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}.get(backend, backend)
    try:
        return __import__(module).__version__
    except ImportError:
        return "unknown"


def write(record: dict, path: str | Path) -> Path:
    """Write a record atomically (a temporary file in the same folder, then a rename).

    Args:
        record: a record that passes :func:`validate`.
        path: the file to write; its folder is created if missing.

    Returns:
        The path written.

    Example:

    >>> write(to_record(run, name="overfit", command=cmd), "overfit.json")  # doctest: +SKIP
    PosixPath('overfit.json')
    """
    validate(record)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, ensure_ascii=False, indent=1) + "\n"
    write_text(path, text)
    return path


def load(name_or_path: str | Path) -> Run:
    """A shipped run by name (``load("overfit")``) or any record file by path, as a Run.

    Args:
        name_or_path: a name from :func:`names`, or the path of a record file.

    Raises:
        RecordError: the file does not follow the schema.

    Example:

    >>> run = load("plateau")
    >>> run.model_name, run.epochs, run.suggested_monitor
    ('cnn', 60, 'val_loss')
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = folder() / f"{name_or_path}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    validate(record)
    provenance = record["provenance"]
    return Run(
        history=record["history"],
        events=EventLog(),
        lrs=record["lrs"],
        epoch_times=record["epoch_times"],
        device={"backend": provenance["backend"], "name": provenance["device"]},
        data=provenance["data"],
        name=record["name"],
        model_name=provenance["model"],
        seed=provenance["seed"],
        batch_size=provenance["batch_size"],
        learning_rate=provenance["learning_rate"],
        suggested_monitor=record["suggested_monitor"],
        provenance=provenance,
    )
