"""Retrain without a widget: one real training run at a time, told to its owner, never lost."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from cbteach import EarlyStopping, retrain
from cbteach.retrain import RetrainSlot, supersede

SETUP = {"model": "mlp", "learning_rate": 3e-3, "batch_size": 32}


class Owner:
    """Stands in for a playground: writes down what the slot tells it, in order."""

    def __init__(self, on_progress=None) -> None:
        self.heard: list[tuple] = []
        self.frames: list[bytes] = []  # the live Timeline's drawings
        self.on_progress = on_progress

    def retrain_status(self, job, key, **values):
        self.heard.append(("status", key, values))

    def retrain_progress(self, job, epoch, logs):
        self.heard.append(("progress", epoch))
        if self.on_progress is not None:
            self.on_progress(epoch)

    def retrain_frame(self, job, png):
        self.frames.append(png)

    def retrain_finished(self, job, run, seconds):
        self.heard.append(("finished", run.epochs))

    def retrain_ended(self, job):
        self.heard.append(("ended",))

    def retrain_superseded(self, job):
        self.heard.append(("superseded", job.index))
        job.stop.set()
        job.detached = True

    def kinds(self) -> list[str]:
        return [h[0] for h in self.heard]


@pytest.fixture(autouse=True)
def no_thread_errors(monkeypatch):
    errors = []
    monkeypatch.setattr(threading, "excepthook", errors.append)
    yield
    assert not errors, [f"{e.exc_type.__name__}: {e.exc_value}" for e in errors]


def start(slot: RetrainSlot, epochs: int, callbacks=()) -> retrain.RetrainJob:
    job = slot.prepare({"monitor": "val_loss"}, SETUP, epochs, slot.new_folder(), callbacks)
    slot.claim(job)
    job.thread.start()
    return job


def test_a_retrain_trains_on_its_thread_and_tells_its_owner_in_order(tiny, tmp_path):
    owner = Owner()
    slot = RetrainSlot(owner, data=tiny, checkpoint_dir=tmp_path)
    job = start(slot, 2, [EarlyStopping(patience=5)])
    assert job.thread.name == "cbteach-retrain-1" and job.thread.daemon
    assert slot.wait(60, on_interrupt=lambda: None)
    assert owner.kinds() == ["status", "progress", "progress", "finished", "ended"]
    assert owner.frames and all(f.startswith(b"\x89PNG") for f in owner.frames)
    assert owner.heard[0][1] == "status_training" and owner.heard[0][2]["model"] == "mlp"
    assert job.done and not slot.busy and slot.count == 1
    assert job.folder.startswith(str(tmp_path))


def test_cancel_stops_after_the_current_epoch_and_keeps_it(tiny, tmp_path):
    slot = RetrainSlot(None, data=tiny, checkpoint_dir=tmp_path)
    slot.owner = Owner(on_progress=lambda epoch: slot.cancel())
    start(slot, 30)
    assert slot.wait(60, on_interrupt=lambda: None)
    assert ("finished", 1) in slot.owner.heard and slot.owner.kinds()[-1] == "ended"
    assert slot.cancel() is None  # nothing left to cancel


def test_an_error_in_training_is_a_status_line_and_the_slot_is_free(tiny, tmp_path):
    owner = Owner()
    broken = dataclasses.replace(tiny, y_train=tiny.y_train[:10])  # lengths differ
    slot = RetrainSlot(owner, data=broken, checkpoint_dir=tmp_path)
    start(slot, 2)
    assert slot.wait(60, on_interrupt=lambda: None)
    status = [h for h in owner.heard if h[0] == "status"][-1]
    assert status[1] == "status_failed_retry" and "Traceback" not in status[2]["error"]
    assert owner.kinds()[-1] == "ended" and "finished" not in owner.kinds()
    assert slot.busy_status() is None


def test_one_retrain_at_a_time_per_kernel(tiny, tmp_path):
    first, second = Owner(), Owner()
    mine = RetrainSlot(first, data=tiny, checkpoint_dir=tmp_path)
    other = RetrainSlot(second, data=tiny, checkpoint_dir=tmp_path)
    job = mine.prepare({}, SETUP, 1, mine.new_folder(), [])
    mine.claim(job)  # claimed, thread not started: the kernel's slot is taken
    assert mine.busy_status() == ("status_busy", {"index": 1})
    assert other.busy_status() == ("status_busy_other", {})
    job.stop.set()
    assert other.busy_status() == ("status_busy_stopping", {})
    assert RetrainSlot.abandon(job) and job.done  # never started: done at once
    assert other.busy_status() is None


def test_a_newer_owner_supersedes_the_running_retrain(tiny, tmp_path):
    old = Owner()
    slot = RetrainSlot(old, data=tiny, checkpoint_dir=tmp_path)
    job = slot.prepare({}, SETUP, 1, slot.new_folder(), [])
    slot.claim(job)
    supersede(old)  # the owner itself: nothing happens
    assert old.heard == []
    supersede(object())
    assert old.heard == [("superseded", 1)] and job.stop.is_set() and job.detached
    RetrainSlot.abandon(job)


def test_models_by_name_are_shared_between_retrains():
    a = retrain.shared_retrainer("mlp", 3e-3)
    assert retrain.shared_retrainer("mlp", 0.003) is a
    assert retrain.shared_retrainer("mlp", 1e-3) is not a
