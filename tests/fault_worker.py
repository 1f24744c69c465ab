"""A training process for tests/test_faults.py to kill: tiny synthetic data, frequent saves.

    python tests/fault_worker.py OUT [--epochs N] [--kill-after-epoch K]

Trains cbteach's MLP with ``train(..., backup_dir=OUT/backup)`` and four callbacks that
share ``EventLog(OUT/events.jsonl)``:

- ModelCheckpoint ``OUT/ckpt/ep{epoch:02d}.weights.h5`` every epoch (files accumulate);
- ModelCheckpoint ``OUT/ckpt/last.keras`` every 4 batches (one full-model file, overwritten);
- ReduceLROnPlateau and EarlyStopping (restore_best_weights, a patience that never ends).

Each epoch has 8 batches, so 2 batch saves, 1 epoch save and 1 backup; each array a save
writes takes 2 ms longer (a slow disk). Started again after a kill, it resumes from the
backup. It prints one marker per line, flushed:

- ``READY`` when training begins;
- ``BEGIN <epoch> <optimizer steps> <learning rate> <digest>`` at the start of each epoch
  (1-based; the digest is a SHA-256 of the weights and the optimizer's variables);
- ``SAVE <path>`` when a save of a checkpoint or of the backup starts (before its file
  exists), then ``WRITE`` as each of its arrays is written (14 for this MLP and Adam);
- ``DONE <epochs done before this start> <epochs trained> <digest>`` at the end.

``--kill-after-epoch K`` makes the process SIGKILL itself during epoch K+1, after its
first batch save (so the event log holds an event of the unfinished epoch).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import sys
import time

import h5py
import keras
import numpy as np

import cbteach  # noqa: F401  (imports Keras quietly)
from cbteach import EarlyStopping, EventLog, ModelCheckpoint, ReduceLROnPlateau
from cbteach.data import MnistData
from cbteach.training import train

BATCH_SIZE = 32
N_TRAIN, N_VAL = 256, 64  # 8 batches per epoch
SAVE_FREQ = 4  # batches between two saves of last.keras
SLOW_WRITE_S = 0.002  # per array written: a save of the MLP's 14 arrays takes 28 ms longer


def say(line: str) -> None:
    print(line, flush=True)


def mark_saves() -> None:
    """Print ``SAVE <path>`` whenever any model starts writing a file."""
    for name in ("save", "save_weights"):
        original = getattr(keras.Model, name)

        def marked(self, filepath, *args, _original=original, **kwargs):
            say(f"SAVE {filepath}")
            return _original(self, filepath, *args, **kwargs)

        setattr(keras.Model, name, marked)


def slow_disk(seconds: float) -> None:
    """Print ``WRITE`` as Keras writes each array of a save (the file exists by then) and
    make it take ``seconds`` longer, as on a slow disk: a kill just after the marker falls
    inside the write."""
    original = h5py.Group.create_dataset

    def slow(self, *args, **kwargs):
        say("WRITE")
        time.sleep(seconds)
        return original(self, *args, **kwargs)

    h5py.Group.create_dataset = slow


def digest(model: keras.Model) -> str:
    """SHA-256 of the weights and the optimizer's variables (steps and LR included)."""
    sha = hashlib.sha256()
    for variable in [*model.weights, *model.optimizer.variables]:
        sha.update(np.ascontiguousarray(keras.ops.convert_to_numpy(variable)).tobytes())
    return sha.hexdigest()[:16]


def synthetic_data(seed: int = 0) -> MnistData:
    """28×28 images whose class lights one pixel row, under noise: learnable, not trivially."""
    rng = np.random.default_rng(seed)

    def split(n: int) -> tuple[np.ndarray, np.ndarray]:
        y = rng.integers(0, 10, n)
        x = rng.random((n, 28, 28, 1), dtype=np.float32)
        x[np.arange(n), 2 * y, :, 0] += 0.6
        return x, y

    (xt, yt), (xv, yv) = split(N_TRAIN), split(N_VAL)
    return MnistData(xt, yt, xv, yv, xv, yv, "synthetic", seed, "tests/fault_worker.py", "")


class Markers(keras.callbacks.Callback):
    """READY and BEGIN markers; with ``kill_after``, a SIGKILL during the next epoch."""

    def __init__(self, kill_after: int | None) -> None:
        super().__init__()
        self.kill_after = kill_after
        self.epoch = 0

    def on_train_begin(self, logs=None):
        say("READY")

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        steps = int(keras.ops.convert_to_numpy(self.model.optimizer.iterations))
        lr = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        say(f"BEGIN {epoch + 1} {steps} {lr!r} {digest(self.model)}")

    def on_train_batch_end(self, batch, logs=None):
        # Runs before the checkpoints' hooks: batch index SAVE_FREQ + 1 comes after the
        # first batch save of the epoch (index SAVE_FREQ - 1) and its event.
        if self.kill_after == self.epoch and batch == SAVE_FREQ + 1:
            os.kill(os.getpid(), signal.SIGKILL)


def callbacks(out: str, log: EventLog) -> list:
    return [
        ModelCheckpoint(f"{out}/ckpt/ep{{epoch:02d}}.weights.h5", save_weights_only=True, log=log),
        ModelCheckpoint(f"{out}/ckpt/last.keras", save_freq=SAVE_FREQ, log=log),
        ReduceLROnPlateau(factor=0.5, patience=1, min_delta=0.0, log=log),
        EarlyStopping(patience=1000, restore_best_weights=True, log=log),
    ]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--kill-after-epoch", type=int, default=None)
    args = parser.parse_args(argv)
    mark_saves()
    slow_disk(SLOW_WRITE_S)
    log = EventLog(f"{args.out}/events.jsonl")
    run = train(
        callbacks(args.out, log),
        data=synthetic_data(),
        model="mlp",
        epochs=args.epochs,
        batch_size=BATCH_SIZE,
        learning_rate=2e-2,
        seed=0,
        extra_callbacks=[Markers(args.kill_after_epoch)],
        backup_dir=f"{args.out}/backup",
    )
    say(f"DONE {run.resumed_from} {run.epochs} {digest(run.model)}")


if __name__ == "__main__":
    main(sys.argv[1:])
