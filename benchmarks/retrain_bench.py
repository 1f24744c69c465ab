"""N retrains with different callback settings: cbteach's fast path against the naive loop.

    python benchmarks/retrain_bench.py [--retrains 6] [--epochs 15] [--repeats 2]

The Playground's Retrain, done N times with EarlyStopping's patience and ReduceLROnPlateau's
factor moved between retrains, on the lessons' MLP (learning rate 3e-3, batch 32, the
"overfit" recording's settings) on the sample. Three arms, interleaved round by round:

- naive: what a notebook loop does, ``build + compile + fit`` for every retrain (Keras'
  defaults: ``steps_per_execution=1``);
- compile once: one ``Retrainer(steps_per_execution=1)``; each retrain resets the weights,
  the dropout RNG and the optimizer's state, so Keras' traced step is reused;
- cbteach: the Playground's path, ``Retrainer`` with its default
  ``steps_per_execution=32`` (the callbacks act per epoch only).

Each arm's time includes building its model(s). The table says whether every retrain of an
arm trained the same numbers as ``train()`` does on a new model (it should: bit for bit). The
naive loop's numbers are the same on TensorFlow; on JAX they differ, because there Keras'
first ``fit`` of a new model draws one shuffle of the data to build the metrics after the
seed was set (``train()`` builds them before it sets the seed).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
from table import Row, interleaved, machine, median, render, seconds, spread

import cbteach
from cbteach.data import load_mnist
from cbteach.models import build_model, compile_model
from cbteach.training import Retrainer, train

SETUP = {"learning_rate": 3e-3, "seed": 0}
BATCH = 32


def settings(retrains: int) -> list[tuple[int, float]]:
    """(EarlyStopping patience, ReduceLROnPlateau factor) for each retrain: sliders moved."""
    return [(1 + i % 6, (0.5, 0.2)[i % 2]) for i in range(retrains)]


def callbacks(patience: int, factor: float) -> list[keras.callbacks.Callback]:
    return [
        cbteach.ReduceLROnPlateau(patience=2, factor=factor),
        cbteach.EarlyStopping(patience=patience, restore_best_weights=True),
    ]


def naive(data, retrains: int, epochs: int) -> list[dict]:
    histories = []
    for patience, factor in settings(retrains):
        keras.utils.set_random_seed(SETUP["seed"])
        model = compile_model(  # Keras' default: one batch per call
            build_model("mlp", seed=SETUP["seed"]), learning_rate=SETUP["learning_rate"]
        )
        history = model.fit(
            data.x_train,
            data.y_train,
            validation_data=(data.x_val, data.y_val),
            epochs=epochs,
            batch_size=BATCH,
            callbacks=callbacks(patience, factor),
            verbose=0,
        )
        histories.append(history.history)
    return histories


def retrainer_loop(data, retrains: int, epochs: int, steps: int) -> list[dict]:
    retrainer = Retrainer("mlp", **SETUP, steps_per_execution=steps)
    return [
        retrainer.train(callbacks(p, f), data=data, epochs=epochs, batch_size=BATCH).history
        for p, f in settings(retrains)
    ]


def _same(histories: list[dict], reference: list[dict]) -> str:
    return "the same" if histories == reference else "DIFFERENT"


def rows(data, retrains: int = 6, epochs: int = 15, repeats: int = 2) -> list[Row]:
    kept: dict[str, list[dict]] = {}

    def timed(name, fn):
        def arm():
            return seconds(lambda: kept.__setitem__(name, fn()))

        return arm

    arms = {
        "naive": timed("naive", lambda: naive(data, retrains, epochs)),
        "once": timed("once", lambda: retrainer_loop(data, retrains, epochs, 1)),
        "cbteach": timed("cbteach", lambda: retrainer_loop(data, retrains, epochs, 32)),
    }
    times = interleaved(arms, repeats)
    reference = [  # what cbteach's train() trains on a new model, untimed
        train(callbacks(p, f), data=data, model="mlp", epochs=epochs, batch_size=BATCH, **SETUP)
        for p, f in settings(retrains)
    ]
    reference = [run.history for run in reference]
    epochs_run = sum(len(h["loss"]) for h in kept["naive"])
    section = f"retrain loop ({retrains} retrains, {epochs_run} epochs in all, MLP, batch 32)"
    out = []
    labels = {
        "once": "compile once, reset state (steps_per_execution=1)",
        "cbteach": "+ steps_per_execution=32: Retrainer, the Playground's path",
    }
    naive_same = _same(kept["naive"], reference)
    for name, label in labels.items():
        ratio = median([n / c for n, c in zip(times["naive"], times[name], strict=True)])
        out.append(
            Row(
                section,
                f"{label}; numbers as a new model's train(): {_same(kept[name], reference)}"
                f" (naive loop: {naive_same})",
                spread(times["naive"]) + " (build + compile + fit each)",
                spread(times[name]),
                f"{ratio:.2f}× faster",
                "≥ 2×" if name == "cbteach" else "",
                ratio >= 2.0 if name == "cbteach" else None,
            )
        )
    return out


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retrains", type=int, default=6)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    data = load_mnist("sample", verbose=False)
    print(render(rows(data, args.retrains, args.epochs, args.repeats), machine()))


if __name__ == "__main__":
    main()
