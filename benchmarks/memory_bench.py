"""Memory and start-up time per learner: what one kernel needs, per backend and setting.

    python benchmarks/memory_bench.py [--repeats 2] [--arms tf,tf-1thread,jax,jax-1thread]

Each arm is a fresh Python process (a learner's new kernel) that imports cbteach, loads the
sample, shows the first Playground (lesson 02's), then trains the CNN for 3 epochs (a
lesson's real run). It reports the peak resident memory (``ru_maxrss``) after the
Playground and after training, and the seconds to the first Playground. The arms alternate,
so they share the machine's noise. The "1thread" arms ask the backend for one thread per
pool (TensorFlow's ``TF_NUM_INTRAOP_THREADS``/``TF_NUM_INTEROP_THREADS``, XLA's
``intra_op_parallelism_threads``): the setting a server with many learners per core wants.
Prints the table; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from table import Row, interleaved, machine, median, render

CHILD = """
import json, resource, time
started = time.perf_counter()
import cbteach
from cbteach.data import load_mnist
from cbteach.widgets import Playground
data = load_mnist("sample", verbose=False)
Playground(["plateau", "overfit"], callbacks=["ReduceLROnPlateau"], data=data, epochs=40)
first = time.perf_counter() - started
playground_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from cbteach.training import train
train([cbteach.EarlyStopping(patience=5)], data=data, model="cnn", epochs=3)
trained_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"first_s": first, "playground_mib": playground_mib, "trained_mib": trained_mib}))
"""

ONE_THREAD_TF = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}
ONE_THREAD_JAX = {"XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"}
ARMS = {
    "tf": {"KERAS_BACKEND": "tensorflow"},
    "tf-1thread": {"KERAS_BACKEND": "tensorflow", **ONE_THREAD_TF},
    "jax": {"KERAS_BACKEND": "jax"},
    "jax-1thread": {"KERAS_BACKEND": "jax", **ONE_THREAD_JAX},
}


def learner(env: dict[str, str]) -> dict[str, float]:
    """One new kernel's figures: seconds to the first Playground, peak MiB twice."""
    environment = {**os.environ, "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2", **env}
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def available(arms: list[str]) -> list[str]:
    has_jax = importlib.util.find_spec("jax") is not None
    return [a for a in arms if has_jax or not a.startswith("jax")]


def rows(repeats: int = 2, arms: list[str] | None = None) -> list[Row]:
    names = available(arms or list(ARMS))
    results = interleaved({name: (lambda n=name: learner(ARMS[n])) for name in names}, repeats)
    table = []
    baseline = {k: median([r[k] for r in results[names[0]]]) for k in results[names[0]][0]}
    for name in names:
        got = {k: median([r[k] for r in results[name]]) for k in results[name][0]}
        table.append(
            Row(
                "memory per learner",
                f"one kernel, {name}: import + first Playground, then a 3-epoch CNN run "
                "(peak RSS; seconds to the Playground)",
                f"{baseline['trained_mib']:.0f} MiB ({names[0]})",
                f"{got['playground_mib']:.0f} MiB at the Playground, "
                f"{got['trained_mib']:.0f} MiB after training; {got['first_s']:.1f} s",
                f"{got['trained_mib'] / baseline['trained_mib']:.2f}×",
            )
        )
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--arms", default=",".join(ARMS))
    args = parser.parse_args()
    print(render(rows(args.repeats, args.arms.split(",")), machine()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
