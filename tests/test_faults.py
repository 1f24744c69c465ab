"""Nothing a learner trains is lost: training is SIGKILLed at random moments, then checked.

Each kill hits a real training process (tests/fault_worker.py: cbteach's MLP, four
callbacks saving every few batches, a backup every epoch, an EventLog file). After each
kill every checkpoint on disk must load, the event log must parse, and the next start of
the worker must resume from the backup: with the weights and optimizer state the killed
run had at that epoch, and with every epoch in the event log exactly once at the end.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np
import pytest
from fault_worker import synthetic_data

from cbteach import Action, EarlyStopping, EventLog, ModelCheckpoint, checkpoints
from cbteach.events import Event
from cbteach.models import build_model, compile_model
from cbteach.training import train

WORKER = Path(__file__).with_name("fault_worker.py")
ROOT = WORKER.parent.parent
N_CHAINS = 2  # two workers run at once
KILLS_PER_CHAIN = 10
SAVES_PER_EPOCH = 4  # 2 of last.keras, 1 epoch file, 1 backup (see fault_worker.py)
BATCH_SAVES_PER_EPOCH = 2
START_TIMEOUT_S = 180  # generous: a start imports TensorFlow on a busy 2-core machine


class Worker:
    """One start of fault_worker.py; a thread collects the marker lines it prints."""

    def __init__(self, out: Path, *args: str, kill_at: tuple[str, int] = ("", 0)) -> None:
        self.out = out
        self.kill_at = kill_at  # (marker, n): the reader kills at the n-th such line itself
        out.mkdir(parents=True, exist_ok=True)
        self.stderr = (out / "stderr.txt").open("a")
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(out), *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        self.started = time.time()
        self.lines: list[str] = []
        self.ended = False  # the output reached its end
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        marker, nth = self.kill_at
        for line in self.process.stdout:
            if nth and line.startswith(marker):
                nth -= 1
                if nth == 0:  # at once, without a hop to another thread
                    self.kill()
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next_line(self, timeout: float) -> str | None:
        """The next marker line; None at the end of output; raises queue.Empty on timeout."""
        if self.ended:
            return None
        line = self._queue.get(timeout=timeout)
        if line is None:
            self.ended = True
        else:
            self.lines.append(line)
        return line

    def wait_for(self, prefix: str) -> bool:
        """Read until a line starts with ``prefix``; False if the output ended first."""
        while (line := self.next_line(START_TIMEOUT_S)) is not None:
            if line.startswith(prefix):
                return True
        return False

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)

    def finish(self) -> int:
        """Wait for the process to end and read the rest of its output; its return code."""
        try:
            code = self.process.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()  # a hung worker fails the test and does not outlive it
            raise
        while self.next_line(START_TIMEOUT_S) is not None:
            pass
        self.stderr.close()
        return code

    def done(self) -> tuple[int, int, str]:
        """From the DONE line: epochs done before this start, epochs trained, final digest."""
        _, before, trained, digest = next(x for x in self.lines if x.startswith("DONE ")).split()
        return int(before), int(trained), digest

    def begins(self) -> list[tuple[int, str]]:
        """(epoch, digest) of each BEGIN line: the state each epoch started from."""
        rows = [line.split() for line in self.lines if line.startswith("BEGIN ")]
        return [(int(r[1]), r[4]) for r in rows]


KINDS = ("save starts", "inside a write", "at a random time")


def start_and_kill(out: Path, kind: str, rng: np.random.Generator) -> tuple[Worker, str | None]:
    """Start the worker and SIGKILL it at a random moment of one ``kind``; None if it ended.

    "save starts": at the n-th ``SAVE`` marker (n random), as a save begins; "inside a
    write": at the n-th ``WRITE`` marker, when the file exists and is half written; "at a
    random time": after a random delay once training began.
    """
    if kind != "at a random time":
        marker, most = ("SAVE ", 3 * SAVES_PER_EPOCH) if kind == "save starts" else ("WRITE", 150)
        worker = Worker(out, "--epochs", "1000", kill_at=(marker, int(rng.integers(1, most + 1))))
        return worker, kind if worker.finish() == -signal.SIGKILL else None
    worker = Worker(out, "--epochs", "1000")
    if not worker.wait_for("READY"):
        return worker, None
    deadline = time.monotonic() + float(rng.uniform(0.0, 1.5))
    while (left := deadline - time.monotonic()) > 0:
        try:
            if worker.next_line(left) is None:
                return worker, None
        except queue.Empty:
            break
    worker.kill()
    return worker, "at a random time" if worker.finish() == -signal.SIGKILL else None


@dataclass
class Tally:
    """What the kills did and what the checks found."""

    kills: dict[str, int] = field(default_factory=dict)
    survived: int = 0
    files_checked: int = 0  # loads: every file on disk, after every kill
    distinct_files: set[Path] = field(default_factory=set)
    files_lost: list[str] = field(default_factory=list)
    kills_mid_write: int = 0  # this start left a temporary file: the kill fell inside a write
    cut_lines: int = 0
    resumes_compared: int = 0
    resumes_equal: int = 0


def check_after_kill(worker: Worker, model, seen: set[Path], tally: Tally) -> bool:
    """Every checkpoint and backup file on disk loads; the event log parses; none vanished."""
    out, lost_before = worker.out, len(tally.files_lost)
    folders = [out / "ckpt", out / "backup"]
    files = sorted(p for folder in folders if folder.is_dir() for p in folder.iterdir())
    temporary = [p for p in files if checkpoints.is_temporary(p)]
    tally.kills_mid_write += any(p.stat().st_mtime >= worker.started for p in temporary)
    for path in files:
        if checkpoints.is_temporary(path) or path.name == "cbteach-eventlogs.json":
            continue
        tally.files_checked += 1
        tally.distinct_files.add(path)
        try:
            if path.suffix == ".json":
                json.loads(path.read_text())
            else:
                checkpoints.load(path, model=model)
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            tally.files_lost.append(f"{path}: {error!r}")
    data = (out / "events.jsonl").read_bytes() if (out / "events.jsonl").exists() else b""
    events = EventLog.load(out / "events.jsonl") if data else EventLog()
    assert len(events) == data.count(b"\n"), "every complete line is an event"
    tally.cut_lines += not data.endswith(b"\n") and bool(data)
    saved = {Path(e.saved_path) for e in events.with_action(Action.SAVED)}
    present = {p for p in files if not checkpoints.is_temporary(p)}
    for path in sorted((saved | seen) - present):
        tally.files_lost.append(f"{path}: missing")
    seen |= {p for p in present if p.parent.name == "ckpt"}
    return len(tally.files_lost) == lost_before


def compare_resume(worker: Worker, latest_begin: dict[int, str], tally: Tally) -> None:
    """The first epoch of a resumed start begins from the state the killed start had then."""
    begins = worker.begins()
    if begins and begins[0][0] in latest_begin:
        tally.resumes_compared += 1
        tally.resumes_equal += begins[0][1] == latest_begin[begins[0][0]]
    latest_begin.update(dict(begins))


def assert_each_epoch_once(events: EventLog, epochs: int) -> None:
    """Per epoch: one event of each callback, two batch saves; one restore at the end."""
    counts: dict[tuple[int, str], int] = {}
    for e in events:
        kind = "restore" if e.action is Action.RESTORED else e.callback
        if e.reason == "events.mc_saved_batch":
            kind = "batch save"
        counts[(e.epoch, kind)] = counts.get((e.epoch, kind), 0) + 1
    expected = {}
    for epoch in range(1, epochs + 1):
        expected[(epoch, "ModelCheckpoint")] = 1
        expected[(epoch, "batch save")] = BATCH_SAVES_PER_EPOCH
        expected[(epoch, "ReduceLROnPlateau")] = 1
        expected[(epoch, "EarlyStopping")] = 1
    expected[(epochs, "restore")] = 1
    assert counts == expected


def run_chain(out: Path, seed: int, model, tally: Tally, lock: threading.Lock) -> int:
    """Start, kill and restart one worker KILLS_PER_CHAIN times, then let it finish."""
    rng = np.random.default_rng(seed)
    seen: set[Path] = set()
    latest_begin: dict[int, str] = {}
    kills = 0
    while kills < KILLS_PER_CHAIN:
        worker, how = start_and_kill(out, KINDS[(seed + kills) % len(KINDS)], rng)
        assert how is not None, (out / "stderr.txt").read_text()
        kills += 1
        with lock:
            tally.kills[how] = tally.kills.get(how, 0) + 1
            compare_resume(worker, latest_begin, tally)
            tally.survived += check_after_kill(worker, model, seen, tally)
    done = json.loads((out / "backup" / "training_metadata.json").read_text())["epoch"]
    final = Worker(out, "--epochs", str(done + 2))
    assert final.finish() == 0, (out / "stderr.txt").read_text()
    with lock:
        compare_resume(final, latest_begin, tally)
        check_after_kill(final, model, seen, tally)
    assert not (out / "backup").exists()  # Keras deletes the backup of a finished run
    before, trained, _ = final.done()
    return before + trained


def test_twenty_kills_lose_no_checkpoint_and_no_event(tmp_path):
    model = compile_model(build_model("mlp"))
    model.optimizer.build(model.trainable_variables)
    tally, lock = Tally(), threading.Lock()
    outs = [tmp_path / f"chain{i}" for i in range(N_CHAINS)]
    with ThreadPoolExecutor(N_CHAINS) as pool:
        futures = [
            pool.submit(run_chain, out, 20261127 + i, model, tally, lock)
            for i, out in enumerate(outs)
        ]
        results = {out: future.result() for out, future in zip(outs, futures, strict=True)}
    print(
        f"\nkills: {sum(tally.kills.values())} {tally.kills}; survived: {tally.survived}; "
        f"file loads checked: {tally.files_checked} ({len(tally.distinct_files)} files); "
        f"files lost: {len(tally.files_lost)}; kills inside a write: {tally.kills_mid_write}; "
        f"cut last lines: {tally.cut_lines}; "
        f"resumes compared: {tally.resumes_compared}, equal: {tally.resumes_equal}"
    )
    assert tally.files_lost == []
    assert sum(tally.kills.values()) == N_CHAINS * KILLS_PER_CHAIN == tally.survived
    assert min(tally.kills.values()) >= 6 and len(tally.kills) == len(KINDS)
    assert tally.kills_mid_write >= 5
    assert tally.resumes_compared >= 1 and tally.resumes_equal == tally.resumes_compared
    for out, epochs in results.items():
        assert_each_epoch_once(EventLog.load(out / "events.jsonl"), epochs)
        for epoch in range(1, epochs + 1):
            assert (out / "ckpt" / f"ep{epoch:02d}.weights.h5").exists()


def without_folder(events: EventLog) -> list[dict]:
    """The events as dicts, each saved path cut to its file name (the runs' folders differ)."""
    rows = [e.to_dict() for e in events]
    for row in rows:
        row["saved_path"] = row["saved_path"] and Path(row["saved_path"]).name
    return rows


def test_a_run_killed_after_epoch_7_resumes_with_every_epoch_once(tmp_path):
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    workers = [
        Worker(whole, "--epochs", "10"),
        Worker(killed, "--epochs", "10", "--kill-after-epoch", "7"),
    ]
    assert workers[0].finish() == 0, (whole / "stderr.txt").read_text()
    assert workers[1].finish() == -signal.SIGKILL, (killed / "stderr.txt").read_text()
    assert max(e.epoch for e in EventLog.load(killed / "events.jsonl")) == 8  # a half epoch
    resumed = Worker(killed, "--epochs", "10")
    assert resumed.finish() == 0, (killed / "stderr.txt").read_text()
    ours, theirs = EventLog.load(killed / "events.jsonl"), EventLog.load(whole / "events.jsonl")
    assert_each_epoch_once(ours, 10)
    assert_each_epoch_once(theirs, 10)
    # Epochs 1-7 were trained by the killed process, exactly as the uninterrupted run did.
    assert without_folder(e for e in ours if e.epoch <= 7) == without_folder(
        e for e in theirs if e.epoch <= 7
    )
    # What Keras restores: epoch 8 starts from the weights and optimizer state (step count,
    # learning rate) that the uninterrupted run had at the start of its epoch 8.
    assert resumed.begins()[0] == (8, dict(workers[0].begins())[8])
    assert resumed.done()[:2] == (7, 3)
    cut = [e for e in theirs if e.action is Action.REDUCED_LR and e.epoch <= 7]
    assert cut  # the learning rate was cut before the kill (epoch 7 on TensorFlow, 2 on JAX)
    rlr8 = {e.epoch: e for e in ours.of("ReduceLROnPlateau")}[8]
    assert rlr8.lr_before == cut[-1].lr_after
    # What Keras does not restore: the callbacks' own counters start afresh at epoch 8.
    es8 = {e.epoch: e for e in ours.of("EarlyStopping")}[8]
    whole_es8 = {e.epoch: e for e in theirs.of("EarlyStopping")}[8]
    assert es8.best_before is None and es8.wait_before == 0
    assert rlr8.best_before is None and rlr8.wait_before == 0
    assert whole_es8.best_before is not None and whole_es8.wait_before == whole_es8_wait(theirs)
    # Nor the random generators (data order, Dropout): the resumed epoch 8 already differs.
    same = resumed.done()[2] == workers[0].done()[2]
    print(f"\nfinal weights and optimizer state equal to the uninterrupted run's: {same}")


def whole_es8_wait(log: EventLog) -> int:
    """EarlyStopping's wait entering epoch 8 of the uninterrupted run: its wait after epoch 7."""
    return {e.epoch: e for e in log.of("EarlyStopping")}[7].wait_after


# --- the pieces, in this process -------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    return synthetic_data()


def fit(model, data, callbacks, epochs=2, verbose=0):
    return model.fit(
        data.x_train[:64],
        data.y_train[:64],
        validation_data=(data.x_val, data.y_val),
        epochs=epochs,
        batch_size=32,
        callbacks=callbacks,
        verbose=verbose,
    )


def mlp(seed=0):
    return compile_model(build_model("mlp", seed=seed))


def test_each_checkpoint_is_written_to_a_hidden_file_beside_it_then_renamed(
    tmp_path, data, monkeypatch
):
    written = []
    for name in ("save", "save_weights"):
        original = getattr(keras.Model, name)

        def record(self, filepath, *args, _original=original, **kwargs):
            written.append(filepath)
            return _original(self, filepath, *args, **kwargs)

        monkeypatch.setattr(keras.Model, name, record)
    callbacks = [
        ModelCheckpoint(tmp_path / "w.weights.h5", save_weights_only=True),
        ModelCheckpoint(tmp_path / "m.keras"),
    ]
    fit(mlp(), data, callbacks, epochs=1)
    pid = os.getpid()
    assert written == [
        str(tmp_path / f".tmp-{pid}-w.weights.h5"),
        str(tmp_path / f".tmp-{pid}-m.keras"),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.keras", "w.weights.h5"]
    assert [e.saved_path for e in callbacks[0].events] == [str(tmp_path / "w.weights.h5")]
    assert isinstance(checkpoints.load(tmp_path / "m.keras"), keras.Model)


def test_a_save_that_dies_midway_leaves_the_previous_checkpoint_whole(tmp_path, data, monkeypatch):
    model = mlp()
    target = tmp_path / "best.weights.h5"
    fit(model, data, [ModelCheckpoint(target, save_weights_only=True)], epochs=1)
    before = [w.copy() for w in model.get_weights()]

    def half_written(self, filepath, *args, **kwargs):
        Path(filepath).write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 100)  # an HDF5 start, no more
        raise OSError("disk full")

    monkeypatch.setattr(keras.Model, "save_weights", half_written)
    with pytest.raises(OSError, match="disk full"):
        fit(model, data, [ModelCheckpoint(target, save_weights_only=True)], epochs=1)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["best.weights.h5"]
    loaded = checkpoints.load(target, model=mlp(seed=5)).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(loaded, before, strict=True))


@pytest.mark.parametrize(
    "settings",
    [
        {"filepath": "ck/e{epoch}-{val_loss:.2f}.weights.h5", "save_weights_only": True},
        {"filepath": "ck/best.keras", "save_best_only": True, "mode": "max"},
        {"filepath": "ck/last.keras", "save_freq": 1},
    ],
)
def test_keras_saves_the_same_files_and_prints_the_same_lines(
    tmp_path, data, monkeypatch, capsys, settings
):
    outcomes = []
    for make in (keras.callbacks.ModelCheckpoint, ModelCheckpoint):
        folder = tmp_path / make.__module__.split(".")[0]
        folder.mkdir()
        monkeypatch.chdir(folder)
        keras.utils.set_random_seed(1)
        fit(mlp(), data, [make(**settings, verbose=1)], epochs=3)
        files = sorted(p.name for p in (folder / "ck").iterdir())
        outcomes.append((files, capsys.readouterr().out))
    assert outcomes[0] == outcomes[1]
    assert "saving model to ck/" in outcomes[0][1]


def test_leftovers_of_killed_saves_go_at_the_next_start_others_stay(tmp_path, data):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    names = [
        f".tmp-{dead_pid}-best.keras",
        f".tmp-{dead_pid}-w.weights.h5",
        f".tmp-{os.getpid()}-x.keras",
        ".hidden",
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"half")
    fit(mlp(), data, [ModelCheckpoint(tmp_path / "best.keras", save_best_only=True)], epochs=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names[2:], "best.keras"])


def test_load_uses_safe_mode_and_says_what_to_pass(tmp_path, data):
    inputs = keras.Input((2,))
    lambda_model = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2)(inputs))
    lambda_model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        checkpoints.load(tmp_path / "lambda.keras")  # its Python code is never run
    model = mlp()
    fit(model, data, [], epochs=1)  # the optimizer's state is saved with the weights
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(TypeError, match="weights only"):
        checkpoints.load(tmp_path / "w.weights.h5")
    assert checkpoints.load(tmp_path / "w.weights.h5", model=mlp(seed=3)) is not model
    with pytest.raises(ValueError, match=r"\.keras \(the whole model\)"):
        checkpoints.load(tmp_path / "w.hdf5")
    with pytest.raises(ValueError, match="never finished"):
        checkpoints.load(tmp_path / ".tmp-12-best.keras")


def test_nothing_in_cbteach_unpickles():
    unsafe = re.compile(
        r"import (pickle|dill|joblib|cloudpickle)|pickle\.|allow_pickle\s*=\s*True"
        r"|safe_mode\s*=\s*False|np\.load\("
    )
    for source in Path(checkpoints.__file__).parent.rglob("*.py"):
        found = unsafe.search(source.read_text(encoding="utf-8"))
        assert found is None, f"{source.name}: {found and found.group()}"


def make_event(epoch, callback="EarlyStopping"):
    return Event(
        epoch=epoch,
        callback=callback,
        action="waited",
        reason="events.es_waited",
        monitor="val_loss",
    )


def test_an_event_log_drops_a_cut_last_line_before_it_appends(tmp_path):
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    log.append(make_event(1))
    log.close()
    with path.open("a") as f:
        f.write('{"epoch": 2, "callb')  # a kill in the middle of a line
    again = EventLog(path)
    again.append(make_event(2))
    assert [e.epoch for e in EventLog.load(path)] == [1, 2]


def test_a_broken_line_with_more_after_it_is_an_error_not_a_silent_loss(tmp_path):
    path = tmp_path / "events.jsonl"
    line = json.dumps(make_event(1).to_dict())
    path.write_text(f"{line}\nnot json\n{line}\n")
    with pytest.raises(ValueError, match="Line 2 of"):
        EventLog.load(path)


def test_resume_keeps_earlier_runs_and_the_finished_epochs(tmp_path):
    path = tmp_path / "events.jsonl"
    earlier = EventLog(path)
    for epoch in (1, 2, 3):  # a finished run, in the same file
        earlier.append(make_event(epoch))
    start = earlier.end_offset()
    log = EventLog(path)
    for epoch in (1, 2, 3):
        log.append(make_event(epoch))
    log.close()
    with path.open("a") as f:
        f.write('{"epoch": 3, "ca')
    assert log.resume(2, start) == 1  # epoch 3 of this run was not backed up
    assert [e.epoch for e in log] == [1, 2]
    log.append(make_event(3))
    assert [e.epoch for e in EventLog.load(path)] == [1, 2, 3, 1, 2, 3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl"]


def test_a_backup_killed_between_its_two_renames_is_completed(tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "latest.weights.h5").write_bytes(b"new weights")  # renamed already
    (backup / "training_metadata.json").write_text('{"epoch": 4, "batch": 0}')
    (backup / ".tmp-training_metadata.json").write_text('{"epoch": 5, "batch": 0}')
    assert checkpoints.epochs_done(backup) == 5
    (backup / ".tmp-latest.weights.h5").write_bytes(b"half")  # killed while writing
    (backup / ".tmp-training_metadata.json").write_text('{"epoch": 6, "batch": 0}')
    assert checkpoints.epochs_done(backup) == 5
    assert sorted(p.name for p in backup.iterdir()) == [
        "latest.weights.h5",
        "training_metadata.json",
    ]


class Interrupt(keras.callbacks.Callback):
    """Raises KeyboardInterrupt (a learner's "interrupt the kernel") at one epoch's start."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def test_an_interrupted_cell_run_again_resumes_in_the_same_process(tmp_path, data):
    log = EventLog(tmp_path / "events.jsonl")
    callbacks = [EarlyStopping(patience=50, log=log)]
    settings = {
        "data": data,
        "model": "mlp",
        "epochs": 4,
        "batch_size": 64,
        "backup_dir": tmp_path / "backup",
    }
    with pytest.raises(KeyboardInterrupt):
        train(callbacks, **settings, extra_callbacks=[Interrupt(2)])
    assert checkpoints.epochs_done(tmp_path / "backup") == 2
    run = train(callbacks, **settings)
    assert run.resumed_from == 2 and run.epochs == 2
    assert [e.epoch for e in run.events] == [1, 2, 3, 4]
    assert list(run.to_frame().index) == [3, 4]
    assert [e.epoch for e in EventLog.load(tmp_path / "events.jsonl")] == [1, 2, 3, 4]
    assert not (tmp_path / "backup").exists()
