"""The benchmark table: its rows, the statistics in it, and the machine it was measured on.

Every figure is measured side by side with its baseline in the same process, the arms
interleaved round by round (these machines are shared and noisy): compare the ratios.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    """One line of the table: a measure, its baseline, cbteach's figure and their ratio."""

    section: str
    measure: str
    baseline: str
    cbteach: str
    ratio: str = ""
    target: str = ""
    met: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "yes", False: "NO", None: ""}[self.met]


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    """``"1.23 s (1.20–1.30)"``: the median and the range of the repeats."""
    return f"{median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def interleaved(arms: dict[str, Callable[[], object]], repeats: int) -> dict[str, list]:
    """Run every arm once per round, in turn (the order reversed every other round).

    Each arm returns what it measured (seconds, or a tuple); the lists keep every round.
    """
    results: dict[str, list] = {name: [] for name in arms}
    names = list(arms)
    for round_ in range(repeats):
        for name in names if round_ % 2 == 0 else reversed(names):
            results[name].append(arms[name]())
    return results


def seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, str]:
    """Where the table was measured: CPU, cores, device, backend and versions."""
    import keras

    from cbteach import device

    described = device.describe()
    versions = {"keras": keras.__version__}
    backend = keras.backend.backend()
    try:
        module = __import__(backend)
        versions[backend] = module.__version__
    except ImportError:
        pass
    return {
        "date": datetime.date.today().isoformat(),
        "cpu": f"{_cpu_model()}, {os.cpu_count()} cores",
        "device": described["name"],
        "backend": backend,
        "versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "python": platform.python_version(),
    }


def render(rows: list[Row], where: dict[str, str]) -> str:
    """The table as Markdown (it reads as well in a terminal)."""
    lines = [f"- {key}: {value}" for key, value in where.items()]
    lines += [
        "",
        "| section | measure | baseline | cbteach | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [r.section, r.measure, r.baseline, r.cbteach, r.ratio, r.target, r.verdict]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
