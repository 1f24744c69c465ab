"""What cbteach's instrumentation costs inside ``fit``, beside plain Keras' own callbacks.

    python benchmarks/overhead_bench.py [--repeats 5] [--epochs 12]

Two arms train the same model from the same starting point (``Retrainer.train``: a reset
model, the same data, the same seed): one with plain ``keras.callbacks`` ModelCheckpoint,
ReduceLROnPlateau and EarlyStopping, one with cbteach's (same arguments; events recorded,
checkpoints written atomically). Every hook of every callback instance is wrapped by the
same stopwatch in both arms, so the table can give the time spent inside the hooks as a
share of the fit, which two short fits' wall times (±7 % apart for identical code on a
shared 2-core machine) cannot. The wall-time ratio is printed beside it.

A second measure: ModelCheckpoint saving per epoch declares ``async_safe`` in cbteach, so
Keras may run the batch-end hooks in its background pool instead of inline (a host sync
per batch). That only exists on thread-safe backends (JAX, PyTorch); TensorFlow runs the
hooks inline either way.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
from table import Row, interleaved, machine, median, render, spread

import cbteach
from cbteach.data import load_mnist
from cbteach.training import Retrainer

HOOKS = tuple(name for name in dir(keras.callbacks.Callback) if name.startswith("on_"))
MONITOR = {"monitor": "val_loss"}


class HookClock:
    """One stopwatch around every hook of each given callback instance.

    ``functools.wraps`` copies Keras' ``_is_default`` mark, so wrapping an empty hook does
    not change which hooks Keras thinks a callback has (nor whether it runs them async).
    """

    def __init__(self, callbacks: list[keras.callbacks.Callback]) -> None:
        self.seconds = 0.0
        for callback in callbacks:
            for name in HOOKS:
                setattr(callback, name, self._timed(getattr(callback, name)))

    def _timed(self, hook):
        @functools.wraps(hook)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return hook(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return timed


def three(module, folder: str) -> list[keras.callbacks.Callback]:
    """ModelCheckpoint, ReduceLROnPlateau, EarlyStopping from ``module`` with one set of arguments."""
    return [
        module.ModelCheckpoint(os.path.join(folder, "best.keras"), save_best_only=True, **MONITOR),
        module.ReduceLROnPlateau(patience=2, factor=0.5, **MONITOR),
        module.EarlyStopping(patience=4, restore_best_weights=True, **MONITOR),
    ]


def fit_once(retrainer: Retrainer, data, callbacks, epochs: int, batch_size: int):
    """One reset run through ``Retrainer.train``: (wall seconds, seconds in the hooks, epochs)."""
    clock = HookClock(callbacks)
    start = time.perf_counter()
    run = retrainer.train(callbacks, data=data, epochs=epochs, batch_size=batch_size)
    return time.perf_counter() - start, clock.seconds, run.epochs


def hook_rows(data, repeats: int, epochs: int) -> list[Row]:
    """The three callbacks, cbteach's against plain Keras': time inside hooks and wall time."""
    retrainer = Retrainer("mlp", learning_rate=3e-3)
    modules = {"keras": keras.callbacks, "cbteach": cbteach}
    with tempfile.TemporaryDirectory() as folder:
        fit_once(retrainer, data, three(keras.callbacks, folder), 1, 32)  # traced once

        def arm(name):
            return lambda: fit_once(
                retrainer, data, three(modules[name], tempfile.mkdtemp(dir=folder)), epochs, 32
            )

        results = interleaved({name: arm(name) for name in modules}, repeats)
    walls = {name: [r[0] for r in rs] for name, rs in results.items()}
    shares = {name: [r[1] / r[0] * 100 for r in rs] for name, rs in results.items()}
    ran = {name: sorted({r[2] for r in rs}) for name, rs in results.items()}
    extra = median([c - k for c, k in zip(shares["cbteach"], shares["keras"], strict=True)])
    ratio = median([c / k for c, k in zip(walls["cbteach"], walls["keras"], strict=True)])
    section = f"overhead ({repeats}× {epochs} epochs, MLP, batch 32)"
    same = "same epochs" if ran["keras"] == ran["cbteach"] else f"EPOCHS DIFFER {ran}"
    return [
        Row(
            section,
            "time inside the 3 callbacks' hooks, % of fit time",
            f"{median(shares['keras']):.2f} % (Keras)",
            f"{median(shares['cbteach']):.2f} % (cbteach)",
            f"{extra:+.2f} points",
            "≤ 2 % extra",
            extra <= 2.0,
        ),
        Row(
            section,
            f"fit wall time ({same}: {ran['cbteach']})",
            spread(walls["keras"]),
            spread(walls["cbteach"]),
            f"{ratio:.3f}× (cbteach / Keras)",
            "noise ±7 %",
        ),
    ]


def async_rows(data, repeats: int, epochs: int) -> list[Row]:
    """cbteach's per-epoch ModelCheckpoint with ``async_safe`` declared and with it forced off."""
    retrainer = Retrainer("mlp", learning_rate=3e-3, steps_per_execution=1)  # every batch a hook
    with tempfile.TemporaryDirectory() as folder:

        def checkpoint(async_safe: bool) -> list[keras.callbacks.Callback]:
            mc = cbteach.ModelCheckpoint(
                os.path.join(tempfile.mkdtemp(dir=folder), "best.keras"),
                save_best_only=True,
                **MONITOR,
            )
            mc.async_safe = async_safe
            return [mc]

        fit_once(retrainer, data, checkpoint(True), 1, 32)
        results = interleaved(
            {
                flag: lambda flag=flag: fit_once(retrainer, data, checkpoint(flag), epochs, 32)
                for flag in (False, True)
            },
            repeats,
        )
    walls = {flag: [r[0] / r[2] for r in rs] for flag, rs in results.items()}
    ratio = median([t / f for t, f in zip(walls[True], walls[False], strict=True)])
    backend = keras.backend.backend()
    inline = "" if keras.src.backend.IS_THREAD_SAFE else " (runs hooks inline anyway)"
    return [
        Row(
            f"ModelCheckpoint async_safe ({backend}{inline})",
            "epoch time, MLP, batch 32, steps_per_execution=1",
            spread(walls[False]) + " (async_safe off)",
            spread(walls[True]) + " (on)",
            f"{ratio:.3f}×",
        )
    ]


def rows(data, repeats: int = 5, epochs: int = 12) -> list[Row]:
    return hook_rows(data, repeats, epochs) + async_rows(data, max(3, repeats - 2), epochs)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=12)
    args = parser.parse_args()
    data = load_mnist("sample", verbose=False)
    print(render(rows(data, args.repeats, args.epochs), machine()))


if __name__ == "__main__":
    main()
