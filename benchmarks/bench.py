"""``make bench``: every benchmark in one table, measured on this machine and this backend.

    python benchmarks/bench.py [--sections overhead,retrain,live,target,replay,memory] [--quick]
                               [--data sample] [--out FILE.md]

Sections: instrumentation overhead and ModelCheckpoint's async dispatch (overhead_bench),
the retrain loop (retrain_bench), what live drawing costs a 30-epoch run (live_bench), time
to 96 % validation accuracy against the keras.io recipe (target_bench), replay and slider
latency (replay_bench), memory and start-up per learner (memory_bench). Each runs its arms side by
side in this one process, interleaved; the table gives ratios, medians and ranges, and says
whether each target is met. Nothing here asserts a time: a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from table import machine, render

import cbteach  # noqa: F401  (imports Keras quietly)

SECTIONS = ("overhead", "retrain", "live", "target", "replay", "memory")


def measure(sections: list[str], data_source: str, quick: bool) -> list:
    from cbteach.data import load_mnist

    data = load_mnist(data_source, verbose=False)
    rows = []
    for section in sections:
        started = time.perf_counter()
        print(f"… {section}", file=sys.stderr, flush=True)
        if section == "overhead":
            import overhead_bench

            rows += overhead_bench.rows(data, repeats=3 if quick else 6, epochs=8 if quick else 12)
        elif section == "retrain":
            import retrain_bench

            rows += retrain_bench.rows(data, retrains=4 if quick else 6, repeats=1 if quick else 2)
        elif section == "live":
            import live_bench

            rows += live_bench.rows(data, repeats=2 if quick else 3, epochs=30)
        elif section == "target":
            import target_bench

            rows += target_bench.rows(data, repeats=1 if quick else 2)
        elif section == "replay":
            import replay_bench

            rows += replay_bench.rows(repeats=20 if quick else 60)
        elif section == "memory":
            import memory_bench

            rows += memory_bench.rows(repeats=1 if quick else 2)
        print(f"  {section}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--data", default="sample", choices=("sample", "auto", "keras"))
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--out", help="also write the table (Markdown) to this file")
    args = parser.parse_args()
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}: choose from {', '.join(SECTIONS)}")
    started = time.perf_counter()
    table = render(measure(sections, args.data, args.quick), machine())
    table += f"\n\n({time.perf_counter() - started:.0f} s in all)\n"
    print(table)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
