"""What live drawing costs: a 30-epoch MLP run with ``live`` off and on, side by side.

    python benchmarks/live_bench.py [--repeats 3] [--epochs 30]

Both arms train the same MLP on the same data with the same three callbacks, from the same
seed, and end with the run's Timeline as a PNG, the picture a lesson shows: the "off" arm
draws it after training (``plot_run``), the "on" arm's last live drawing is that picture,
and before it the live arm redraws while training (coalesced, on its own thread, at most
``live.SHARE`` of the time). So the ratio is what watching live adds. The arms alternate.
Target (issue 13): live drawing adds at most 5 % to the run's wall time on a 2-core CPU.
A second row does the same for the Playground's Retrain (a 15-epoch CNN on the sample),
which draws at ``live.WATCHED_SHARE`` so that the learner watching sees it move.
Prints the table; asserts nothing (shared machines are noisy: compare the ratio).
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from table import Row, interleaved, machine, median, render, seconds, spread

from cbteach import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from cbteach.figures import figure_png
from cbteach.live import SHARE, WATCHED_SHARE, Live
from cbteach.plots import plot_run
from cbteach.training import Retrainer


def callbacks(folder: str) -> list:
    return [
        ModelCheckpoint(os.path.join(folder, "best.keras"), write=False),
        ReduceLROnPlateau(patience=3, factor=0.5),
        EarlyStopping(patience=100),  # never stops: every arm trains every epoch
    ]


def side_by_side(retrainer, data, repeats: int, epochs: int, live_as, **settings):
    """The wall times of the run + its PNG with live off and with ``live=live_as(sink)``."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="cbteach-live-bench-")
    frames: list[int] = []

    def plain():
        def run_it():
            run = retrainer.train(callbacks(folder), data=data, epochs=epochs, **settings)
            figure_png(plot_run(run))  # the picture the lesson shows afterwards

        return seconds(run_it)

    def live():
        pngs = []

        def run_it():
            retrainer.train(
                callbacks(folder), data=data, epochs=epochs, live=live_as(pngs.append), **settings
            )

        took = seconds(run_it)
        frames.append(len(pngs))
        return took

    plain()  # warm-up: the first fit traces the model
    return interleaved({"off": plain, "on": live}, repeats), median(frames)


def row(what: str, walls: dict, frames: float, epochs: int) -> Row:
    ratio = median(walls["on"]) / median(walls["off"])
    extra = (ratio - 1) * 100
    per_epoch_ms = (median(walls["on"]) - median(walls["off"])) / epochs * 1000
    return Row(
        "live timeline",
        f"{what} + its Timeline PNG, wall time (live drawings per run: {frames:.0f})",
        spread(walls["off"]) + " (live off, drawn after)",
        spread(walls["on"]) + " (live on)",
        f"{ratio:.3f}× ({extra:+.1f} %, {per_epoch_ms:+.0f} ms an epoch)",
        "≤ 5 % extra",
        extra <= 5.0,
    )


def rows(data, repeats: int = 3, epochs: int = 30) -> list[Row]:
    mlp = Retrainer("mlp", learning_rate=3e-3)
    walls, frames = side_by_side(mlp, data, repeats, epochs, lambda sink: sink, batch_size=32)
    # The Playground's Retrain: the fast plan's 15-epoch CNN, drawn at the watched share.
    cnn = Retrainer("cnn", learning_rate=1e-3)
    watched = side_by_side(
        cnn, data, repeats, 15, lambda sink: Live(sink, share=WATCHED_SHARE), batch_size=128
    )
    return [
        row(f"{epochs}-epoch MLP run (share {SHARE:.0%})", walls, frames, epochs),
        row(f"15-epoch CNN retrain, the Playground's (share {WATCHED_SHARE:.0%})", *watched, 15),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--data", default="sample")
    args = parser.parse_args()
    from cbteach.data import load_mnist

    data = load_mnist(args.data, verbose=False)
    print(render(rows(data, args.repeats, args.epochs), machine()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
