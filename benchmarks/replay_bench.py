"""Replay and slider latency, side by side with the floor, in one process.

    python benchmarks/replay_bench.py [--repeats 60]

Floor: the same Keras callbacks (plain keras.callbacks, no cbteach) driven by hand over the
same recorded 100-epoch logs on the same stand-in model, never stopping. cbteach: fresh
cbteach callbacks + replay() (events, LR trace, Run), never stopping. Replayer: what a slider
does, EarlyStopping's patience moved 1..30 while the other two callbacks' replays are
remembered. Slider: that + Timeline.update + rendering the figure (Agg draw, and the PNG
bytes the Playground shows). The arms run interleaved, round by round, in this one process.
Prints medians, p95 and their ratios to the floor's, and whether the slider's PNG meets the
target (p95 at most 1.5× the floor's, issue 23); asserts nothing (shared machines are noisy:
compare the ratios).
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
from table import Row, interleaved, machine, render

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


#: The slider → PNG p95 may be at most this many times the floor's (issue 23, item 4).
TARGET = 1.5


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


def milliseconds(fn) -> tuple[float, float]:
    """``fn()``'s wall time and this process's CPU time, in ms."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def rows(run_name: str = "overfit", repeats: int = 60) -> list[Row]:
    """p95 latency of a replay and of a slider move, beside the floor (plain Keras by hand).

    The arms run interleaved, one call each per round (:func:`table.interleaved`), so the
    floor and the slider share the machine's noise; each arm is called once before.
    """
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

    def slider(draw=None):
        """A slider sweeping EarlyStopping's patience 1..30 over one Timeline; min_delta
        differs by 1e-12 at every call so that EarlyStopping is never remembered: only the
        other two are."""
        timeline = Timeline(replay(run, ours()))
        replayer = Replayer(run)
        steps = iter(range(10**6))

        def move():
            step = next(steps)
            moved = replayer.replay(ours(patience=1 + step % 30, min_delta=step * 1e-12))
            if draw is not None:
                draw(timeline.update(moved))

        return move

    arms = {
        "floor: plain Keras callbacks driven by hand": floor,
        "cbteach replay(), all epochs": cbteach_replay,
        "Replayer: ES patience moved": slider(),
        "slider: replay + update + draw": slider(lambda t: t.figure.canvas.draw()),
        "slider: replay + update + PNG (what the Playground shows)": slider(Timeline.to_png),
    }
    for arm in arms.values():
        arm()  # warm-up
    measured = interleaved(
        {name: lambda a=arm: milliseconds(a) for name, arm in arms.items()}, repeats
    )
    names = list(measured)
    wall = {name: [w for w, _ in times] for name, times in measured.items()}
    base = p95(wall[names[0]])
    section = f"replay latency ({run_name!r}, {epochs} epochs, 3 callbacks, {repeats} repeats)"
    table = []
    for name, xs in wall.items():
        ratio = p95(xs) / base
        median_ratio = statistics.median(xs) / statistics.median(wall[names[0]])
        png = name == names[-1]
        table.append(
            Row(
                section,
                name,
                f"{base:.1f} ms p95 (floor)",
                f"{p95(xs):.1f} ms p95, {statistics.median(xs):.1f} ms median",
                f"{ratio:.2f}× the floor (p95), {median_ratio:.2f}× (median)",
                f"p95 ≤ {TARGET}× the floor" if png else "",
                ratio <= TARGET if png else None,
            )
        )
    # CPU time, which a busy machine inflates less than wall time: what a quiet one would see
    cpu = {name: [c for _, c in measured[name]] for name in (names[0], names[-1])}
    floor_cpu, png_cpu = cpu.values()
    table.append(
        Row(
            section,
            "slider → PNG, CPU time of this process (the floor's likewise)",
            f"{p95(floor_cpu):.1f} ms p95 (floor, CPU)",
            f"{p95(png_cpu):.1f} ms p95, {statistics.median(png_cpu):.1f} ms median",
            f"{p95(png_cpu) / p95(floor_cpu):.2f}× the floor (p95), "
            f"{statistics.median(png_cpu) / statistics.median(floor_cpu):.2f}× (median)",
        )
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--run", default="overfit")
    args = parser.parse_args()
    print(render(rows(args.run, args.repeats), machine()))


if __name__ == "__main__":
    main()
