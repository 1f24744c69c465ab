"""Keras' own callback tests, on plain Keras and with cbteach's classes swapped in.

    python tests/keras_conformance/run.py            # the backend of KERAS_BACKEND
    make test-keras                                  # the same, from the Makefile

1. Takes the sdist of the Keras version that is installed from the package registry
   (``pip download --no-binary :all:``; cached in ``$CBTEACH_KERAS_SDIST``), never a copy
   kept in this repository, and unpacks its three callback test files
   (``keras/src/callbacks/{early_stopping,reduce_lr_on_plateau,model_checkpoint}_test.py``).
2. Runs them three times with pytest and the plugin ``swap.py``: Keras' own classes
   (``plain``), cbteach's classes (``strict``), and cbteach's classes with ``strict=False``
   (``lenient``: cbteach's refusals before training only warn). Each run counts the
   instances built of each class: a swapped run that built none failed to swap.
3. Fails on any test that passes plain and not swapped, except the departures listed in
   :data:`DEPARTURES` (docs/STRICTER.md explains each), and only when the failure is the
   departure's own refusal. With ``strict=False`` there are no departures: every test that
   passes plain must pass. A listed departure that no longer fails is reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

HERE = Path(__file__).resolve().parent
FILES = ("early_stopping_test.py", "reduce_lr_on_plateau_test.py", "model_checkpoint_test.py")
RUNS = ("plain", "strict", "lenient")


@dataclass(frozen=True)
class Departure:
    """A Keras test case that cbteach fails on purpose, refusing an input before training."""

    test: str  # file::Class::test, as pytest names it
    case: str  # the case inside the test (Keras' own comment, or what the test checks)
    refusal: str  # a fragment of cbteach's message that must be the failure's cause
    why: str


DEPARTURES = (
    Departure(
        "model_checkpoint_test.py::ModelCheckpointTest::test_model_checkpoint_options",
        "Case 6: ModelCheckpoint(mode='unknown') must only warn",
        "is not a mode Keras knows",
        "Keras warns and falls back to mode='auto'; cbteach refuses the mode at construction"
        " (ValueError) and names the closest one ('minimum' -> 'min').",
    ),
    Departure(
        "reduce_lr_on_plateau_test.py::ReduceLROnPlateauTest::"
        "test_throws_when_optimizer_has_schedule",
        "ReduceLROnPlateau with a LearningRateSchedule must raise Keras' own TypeError text",
        "follows a learning rate schedule",
        "Keras raises TypeError at the first cut, mid-training; cbteach raises TypeError at"
        " on_train_begin, in the learner's language, before any epoch is spent.",
    ),
)


def keras_version() -> str:
    """The installed Keras version (``keras.version()``, without importing a backend)."""
    from importlib import metadata

    return metadata.version("keras")


def sdist(version: str, cache: Path) -> Path:
    """The Keras sdist of ``version``, downloaded once into ``cache``."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob(f"keras-{version}.tar.gz"))
    if found:
        return found[0]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--no-binary", ":all:", f"keras=={version}", "-d", str(cache)],
        check=True,
    )  # fmt: skip
    return next(cache.glob(f"keras-{version}.tar.gz"))


def unpack_tests(archive: Path, folder: Path) -> list[Path]:
    """Keras' three callback test files, copied out of the sdist into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if name in FILES and "/keras/src/callbacks/" in member.name:
                data = tar.extractfile(member).read()
                (folder / name).write_bytes(data)
                written.append(folder / name)
    if len(written) != len(FILES):
        raise SystemExit(f"{archive.name} holds {len(written)} of the {len(FILES)} test files")
    return written


def outcomes(junit: Path) -> dict[str, tuple[str, str]]:
    """Each test's outcome (passed, failed, skipped) and failure text, from a JUnit XML file."""
    result = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")
        name = f"{module[0]}.py::{module[-1]}::{case.get('name')}"
        outcome, text = "passed", ""
        for tag in ("failure", "error", "skipped"):
            found = case.find(tag)
            if found is not None:
                outcome = "skipped" if tag == "skipped" else "failed"
                text = f"{found.get('message', '')}\n{found.text or ''}"
                break
        result[name] = (outcome, text)
    return result


def compare(
    plain: dict, swapped: dict, departures: tuple[Departure, ...]
) -> tuple[list[str], list[str]]:
    """The problems (tests that pass plain and fail swapped, unexplained) and the notes.

    A listed departure is accepted only when the test fails with the departure's refusal.
    """
    problems, notes = [], []
    listed = {d.test: d for d in departures}
    for test, (outcome, _) in sorted(plain.items()):
        if outcome != "passed":
            notes.append(f"{test}: {outcome} on plain Keras, not compared")
            continue
        ours, text = swapped.get(test, ("missing", ""))
        departure = listed.get(test)
        if ours == "passed":
            if departure is not None:
                problems.append(f"{test}: listed as a departure ({departure.case}) but passes")
            continue
        if departure is not None and departure.refusal in text:
            notes.append(f"{test}: departs as listed: {departure.case}")
            continue
        first = text.strip().splitlines()[0] if text.strip() else ours
        problems.append(f"{test}: passes on plain Keras, {ours} with cbteach: {first}")
    return problems, notes


def run(folder: Path, mode: str, backend: str) -> tuple[dict, dict]:
    """Run the test files once with the swap ``mode``: outcomes and instance counts."""
    junit, counts = folder / f"{mode}.xml", folder / f"{mode}-counts.json"
    env = {
        **os.environ,
        "CBTEACH_SWAP": mode,
        "CBTEACH_COUNTS": str(counts),
        "KERAS_BACKEND": backend,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "swap", "-p", "no:cacheprovider",
         "-W", "ignore::DeprecationWarning", f"--junitxml={junit}", "--rootdir", str(folder),
         *[str(folder / f) for f in FILES]],
        cwd=folder, env=env, check=False,
    )  # fmt: skip
    return outcomes(junit), json.loads(counts.read_text())


def check_counts(counts: dict[str, dict]) -> list[str]:
    """A swapped run must have built cbteach's classes, as many as Keras' in the lenient run."""
    problems = []
    for mode in ("strict", "lenient"):
        for name in ("ModelCheckpoint", "ReduceLROnPlateau", "EarlyStopping"):
            if counts[mode].get(name, 0) == 0:
                problems.append(f"{mode}: no {name} of cbteach's was built: the swap failed")
    if counts["lenient"] != counts["plain"]:
        problems.append(f"lenient built {counts['lenient']}, plain Keras {counts['plain']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default=os.environ.get("KERAS_BACKEND", "tensorflow"))
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(
            os.environ.get("CBTEACH_KERAS_SDIST", Path(tempfile.gettempdir()) / "keras-sdist")
        ),
    )
    args = parser.parse_args(argv)
    version = keras_version()
    with tempfile.TemporaryDirectory(prefix="keras-tests-") as work:
        folder = Path(work)
        unpack_tests(sdist(version, args.cache), folder)
        results, counts = {}, {}
        for mode in RUNS:
            results[mode], counts[mode] = run(folder, mode, args.backend)
    problems = check_counts(counts)
    print(f"\nKeras {version}'s own callback tests, KERAS_BACKEND={args.backend}")
    print(f"{'run':8} {'passed':>6} {'failed':>6} {'skipped':>7}  instances built")
    for mode in RUNS:
        tally = [sum(o == k for o, _ in results[mode].values()) for k in ("passed", "failed")]
        skipped = sum(o == "skipped" for o, _ in results[mode].values())
        print(f"{mode:8} {tally[0]:>6} {tally[1]:>6} {skipped:>7}  {counts[mode]}")
    for mode, departures in (("strict", DEPARTURES), ("lenient", ())):
        found, notes = compare(results["plain"], results[mode], departures)
        problems += [f"{mode}: {p}" for p in found]
        for note in notes:
            print(f"  {mode}: {note}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    print("conformance:", "FAILED" if problems else "ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
