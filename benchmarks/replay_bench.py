"""Replay and slider latency, side by side with the floor, in one process.

    python benchmarks/replay_bench.py [--repeats 60]

Floor: the same Keras callbacks (plain keras.callbacks, no cbteach) driven by hand over the
same recorded 100-epoch logs on the same stand-in model, never stopping. cbteach: fresh
cbteach callbacks + replay() (events, LR trace, Run), never stopping. Replayer: what a slider
does, EarlyStopping's patience moved 1..30 while the other two callbacks' replays are
remembered. Slider: that + Timeline.update + rendering the figure (Agg draw, and the PNG
bytes the Playground shows). Prints medians, p95 and ratios;
asserts nothing (shared machines are noisy: compare the ratios).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from table import Row, machine, render

from cbteach import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, recorded
from cbteach.plots import Timeline
from cbteach.replay import Replayer, drive, replay, standin_model

ES = {"patience": 10, "restore_best_weights": True}
RLR = {"patience": 5, "factor": 0.5}
MC = {"filepath": "ckpt/{epoch:02d}-{val_loss:.2f}.keras", "save_best_only": True}


def ours(patience: int = ES["patience"], min_delta: float = 0.0):
    return [
        ModelCheckpoint(**MC),
        ReduceLROnPlateau(**RLR),
        EarlyStopping(**{**ES, "patience": patience, "min_delta": min_delta}),
    ]


def timed(fn, repeats: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


def rows(run_name: str = "overfit", repeats: int = 60) -> list[Row]:
    """p95 latency of a replay and of a slider move, beside the floor (plain Keras by hand)."""
    run = recorded.load(run_name)
    epochs = run.epochs
    model = standin_model()
    no_stop = {**ES, "patience": epochs}  # replay every epoch: the worst case

    def floor():
        callbacks = [
            keras.callbacks.ModelCheckpoint(**MC),
            keras.callbacks.ReduceLROnPlateau(**RLR),
            keras.callbacks.EarlyStopping(**no_stop),
        ]
        model.save = lambda path, overwrite=True: None
        drive(callbacks, run.history, model, learning_rate=run.lrs[0])
        del model.save

    def cbteach_replay():
        replay(run, ours(patience=epochs))

    timeline = Timeline(replay(run, ours()))
    replayer = Replayer(run)
    patience = iter(range(10**6))

    def moved() -> list:
        """A slider sweeping EarlyStopping's patience 1..30; min_delta differs by 1e-12 at
        every call so that EarlyStopping is never remembered: only the other two are."""
        step = next(patience)
        return ours(patience=1 + step % 30, min_delta=step * 1e-12)

    def remembered():
        replayer.replay(moved())

    def slider_draw():
        timeline.update(replayer.replay(moved()))
        timeline.figure.canvas.draw()

    def slider_png():
        timeline.update(replayer.replay(moved()))
        timeline.to_png()

    measured = [
        ("floor: plain Keras callbacks driven by hand", timed(floor, repeats)),
        ("cbteach replay(), all epochs", timed(cbteach_replay, repeats)),
        ("Replayer: ES patience moved", timed(remembered, repeats)),
        ("slider: replay + update + draw", timed(slider_draw, repeats)),
        ("slider: replay + update + PNG (what the Playground shows)", timed(slider_png, repeats)),
    ]
    base = p95(measured[0][1])
    section = f"replay latency ({run_name!r}, {epochs} epochs, 3 callbacks, {repeats} repeats)"
    return [
        Row(
            section,
            name,
            f"{base:.1f} ms p95 (floor)",
            f"{p95(xs):.1f} ms p95, {statistics.median(xs):.1f} ms median",
            f"{p95(xs) / base:.2f}× the floor",
        )
        for name, xs in measured
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--run", default="overfit")
    args = parser.parse_args()
    print(render(rows(args.run, args.repeats), machine()))


if __name__ == "__main__":
    main()
