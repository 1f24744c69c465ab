"""Time to a target validation accuracy: cbteach's CNN path against the keras.io recipe.

    python benchmarks/target_bench.py [--data sample] [--target 0.96] [--repeats 2]

The recipe is keras.io's "Simple MNIST convnet" (examples/vision/mnist_convnet): Conv2D(32) →
MaxPool → Conv2D(64) → MaxPool → Flatten → Dropout(0.5) → Dense(10), Adam at Keras' default
learning rate, batch 128 (its labels are one-hot with categorical cross-entropy; integer
labels with the sparse loss are the same function). cbteach's path is ``train()`` with its
own smaller CNN of the same family (:data:`CBTEACH`). Both train on the same split and are
timed from before the model is built (so compiling and tracing count) until the end of the
first epoch whose validation accuracy reaches the target. Also printed: seconds per epoch,
training images per second, and the test accuracy when the target was reached.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
from table import Row, interleaved, machine, median, render

from cbteach.data import load_mnist
from cbteach.training import train

CBTEACH = {"model": "cnn", "learning_rate": 3e-3, "batch_size": 64}
RECIPE_BATCH = 128
FULL_TARGET = {"keras": 0.99, "sample": 0.96}  # --target auto


class ReachTarget(keras.callbacks.Callback):
    """Stops at the end of the first epoch whose ``val_accuracy`` reaches ``target``."""

    def __init__(self, target: float, start: float) -> None:
        super().__init__()
        self.target, self.start = target, start
        self.epoch: int | None = None
        self.seconds: float | None = None
        self.epoch_times: list[float] = []
        self._begun = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._begun = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.epoch_times.append(now - self._begun)
        if self.epoch is None and logs.get("val_accuracy", 0.0) >= self.target:
            self.epoch, self.seconds = epoch + 1, now - self.start
            self.model.stop_training = True


def recipe_model() -> keras.Model:
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ],
        name="keras_io_mnist_convnet",
    )


def recipe(data, target: float, max_epochs: int, seed: int = 0) -> dict:
    start = time.perf_counter()
    keras.utils.set_random_seed(seed)
    model = recipe_model()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    reach = ReachTarget(target, start)
    model.fit(
        data.x_train,
        data.y_train,
        batch_size=RECIPE_BATCH,
        epochs=max_epochs,
        validation_data=(data.x_val, data.y_val),
        callbacks=[reach],
        verbose=0,
    )
    return _result(reach, model, data, RECIPE_BATCH)


def cbteach_path(data, target: float, max_epochs: int, seed: int = 0) -> dict:
    start = time.perf_counter()
    reach = ReachTarget(target, start)
    run = train(extra_callbacks=[reach], data=data, epochs=max_epochs, seed=seed, **CBTEACH)
    return _result(reach, run.model, data, CBTEACH["batch_size"])


def _result(reach: ReachTarget, model: keras.Model, data, batch: int) -> dict:
    steady = reach.epoch_times[1:] or reach.epoch_times  # the first epoch also traces
    epoch_s = median(steady)
    return {
        "epoch": reach.epoch,
        "seconds": reach.seconds,
        "epoch_s": epoch_s,
        "images_s": len(data.y_train) / epoch_s,
        "test_accuracy": model.evaluate(data.x_test, data.y_test, batch_size=512, verbose=0)[1],
        "batch": batch,
    }


def measure(data, target: float, max_epochs: int, repeats: int) -> dict[str, list[dict]]:
    return interleaved(
        {
            "recipe": lambda: recipe(data, target, max_epochs),
            "cbteach": lambda: cbteach_path(data, target, max_epochs),
        },
        repeats,
    )


def _describe(results: list[dict]) -> str:
    epochs = sorted({r["epoch"] for r in results}, key=lambda e: (e is None, e))
    if any(r["seconds"] is None for r in results):
        return f"not reached in some repeats (epochs {epochs})"
    return f"{median([r['seconds'] for r in results]):.2f} s, epoch {epochs}"


def rows(data, target: float = 0.96, max_epochs: int = 30, repeats: int = 2) -> list[Row]:
    results = measure(data, target, max_epochs, repeats)
    recipe_r, ours = results["recipe"], results["cbteach"]
    reached = all(r["seconds"] is not None for r in recipe_r + ours)
    section = f"time to {target:.0%} val accuracy ({data.source}, {len(data.y_train)} train)"
    config = ", ".join(f"{k}={v}" for k, v in CBTEACH.items())
    out = []
    if reached:
        time_ratio = median([o["seconds"] / r["seconds"] for o, r in zip(ours, recipe_r)])
        epoch_ratio = median([o["epoch"] / r["epoch"] for o, r in zip(ours, recipe_r)])
        out.append(
            Row(
                section,
                f"wall time incl. build (cbteach: train({config}))",
                _describe(recipe_r) + " (keras.io recipe, batch 128)",
                _describe(ours),
                f"{time_ratio:.2f}× the recipe's time, {epoch_ratio:.2f}× its epochs",
                "≤ 0.5× the time",
                time_ratio <= 0.5,
            )
        )
    else:
        out.append(Row(section, "wall time", _describe(recipe_r), _describe(ours), "", "", False))
    for name, label in (("recipe", "keras.io recipe"), ("cbteach", "cbteach")):
        rs = results[name]
        out.append(
            Row(
                section,
                f"{label}: s/epoch, images/s, test accuracy at the target",
                f"batch {rs[0]['batch']}",
                f"{median([r['epoch_s'] for r in rs]):.2f} s/epoch, "
                f"{median([r['images_s'] for r in rs]):,.0f} img/s, "
                f"{median([r['test_accuracy'] for r in rs]):.2%} test",
            )
        )
    return out


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="sample", choices=("sample", "auto", "keras"))
    parser.add_argument(
        "--target",
        default="auto",
        help="a fraction, or auto: 0.99 on full MNIST, 0.96 on the sample",
    )
    parser.add_argument("--max-epochs", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    data = load_mnist(args.data, verbose=False)
    target = float(args.target) if args.target != "auto" else FULL_TARGET[data.source]
    print(f"data: {data.provenance}")
    print(render(rows(data, target, args.max_epochs, args.repeats), machine()))


if __name__ == "__main__":
    main()
