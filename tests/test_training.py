"""train() returns a Run with everything a lesson plots and explains, reproducibly."""

from __future__ import annotations

import threading

import pytest

from cbteach import EarlyStopping, ReduceLROnPlateau
from cbteach.data import load_mnist
from cbteach.training import train


@pytest.fixture(scope="module")
def data():
    return load_mnist("sample", verbose=False)


def test_a_run_holds_history_events_lrs_times_device_data_and_config(data):
    callbacks = [ReduceLROnPlateau(patience=1, factor=0.5, min_delta=0), EarlyStopping(patience=5)]
    run = train(callbacks, data=data, model="mlp", epochs=3, seed=1)
    assert run.epochs == 3 and len(run.lrs) == 3 and len(run.epoch_times) == 3
    assert {"loss", "val_loss", "accuracy", "val_accuracy"} <= set(run.history)
    assert {e.callback for e in run.events} == {"ReduceLROnPlateau", "EarlyStopping"}
    assert run.device["backend"] and run.device["name"]
    assert run.data["source"] == "sample" and run.data["n_train"] == 4000
    described = run.config["callbacks"][0]
    assert described["class"] == "ReduceLROnPlateau" and described["factor"] == 0.5
    assert list(run.to_frame().columns)[-2:] == ["lr", "epoch_time_s"]


def test_the_same_seed_gives_the_same_run(data):
    first = train((), data=data, model="mlp", epochs=2, seed=3)
    second = train((), data=data, model="mlp", epochs=2, seed=3)
    assert first.history == second.history


def test_a_set_stop_flag_ends_training_after_the_current_epoch(data):
    flag = threading.Event()
    flag.set()
    run = train((), data=data, model="mlp", epochs=5, stop=flag)
    assert run.epochs == 1
