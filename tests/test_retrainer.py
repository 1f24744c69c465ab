"""The fast retrain path: one compiled model reset between runs, several batches per call.

Speed is measured in benchmarks/ (make bench), never here; these tests prove that the fast
path trains exactly what the slow one does and falls back where it must.
"""

from __future__ import annotations

import dataclasses

import keras
import pytest

import cbteach
from cbteach.hooks import HookTrace
from cbteach.training import (
    STEPS_PER_EXECUTION,
    Retrainer,
    batches_per_call,
    needs_every_batch,
    train,
)


@pytest.fixture(scope="module")
def data(sample):
    # 640 images: 20 batches of 32, so steps_per_execution=32 puts a whole epoch in one call
    return dataclasses.replace(sample, x_train=sample.x_train[:640], y_train=sample.y_train[:640])


def plateau_then_stop(patience: int, factor: float) -> list[keras.callbacks.Callback]:
    """Callbacks that change the model's state: an LR cut and a restore of the best weights."""
    return [
        cbteach.ReduceLROnPlateau(monitor="loss", mode="max", patience=1, factor=factor),
        cbteach.EarlyStopping(monitor="loss", mode="max", patience=2, restore_best_weights=True),
    ]


def batch_hook(seen: list | None = None) -> keras.callbacks.Callback:
    """A batch-end hook; it notes each batch's index in ``seen`` when given."""
    note = seen.append if seen is not None else (lambda batch: None)
    return keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: note(batch))


@pytest.mark.parametrize(
    ("callbacks", "expected"),
    [
        ([], False),
        ([cbteach.EarlyStopping(), cbteach.ReduceLROnPlateau()], False),
        ([keras.callbacks.EarlyStopping(), keras.callbacks.History()], False),
        ([cbteach.ModelCheckpoint("m.keras")], False),  # save_freq="epoch": its hook is empty
        ([keras.callbacks.ModelCheckpoint("m.keras")], False),
        ([keras.callbacks.BackupAndRestore("backup")], False),
        ([cbteach.ModelCheckpoint("m.keras", save_freq=5)], True),
        ([keras.callbacks.ModelCheckpoint("m.keras", save_freq=5)], True),
        ([cbteach.EarlyStopping(), batch_hook()], True),
        ([keras.callbacks.LambdaCallback(on_test_batch_begin=lambda b, logs: None)], True),
        ([HookTrace()], True),
    ],
)
def test_which_callbacks_need_every_batch(callbacks, expected):
    assert needs_every_batch(callbacks) is expected


@pytest.mark.parametrize(
    ("backend", "every_batch", "expected"),
    [
        ("tensorflow", False, STEPS_PER_EXECUTION),
        ("jax", False, STEPS_PER_EXECUTION),
        ("torch", False, 1),  # Keras 3.15 refuses more than one on PyTorch
        ("tensorflow", True, 1),
        ("jax", True, 1),
        ("torch", True, 1),
    ],
)
def test_batches_per_call_by_backend(backend, every_batch, expected):
    assert batches_per_call(every_batch, backend=backend) == expected


def test_several_batches_per_call_train_the_same_numbers(data):
    # On PyTorch both runs take one batch per call: the same numbers, trivially.
    fast = train([], data=data, model="mlp", epochs=3, batch_size=32, learning_rate=3e-3)
    slow = train(
        [batch_hook()], data=data, model="mlp", epochs=3, batch_size=32, learning_rate=3e-3
    )
    assert fast.steps_per_execution == batches_per_call() == fast.model.steps_per_execution
    assert slow.steps_per_execution == 1  # a batch hook: one batch per call
    assert fast.history == slow.history and fast.lrs == slow.lrs


def test_a_batch_hook_still_sees_every_batch(data):
    seen = []
    train([batch_hook(seen)], data=data, model="mlp", epochs=1, batch_size=32)
    assert seen == list(range(20))


def test_every_retrain_starts_from_the_same_state(data):
    retrainer = Retrainer("mlp", learning_rate=3e-3)
    kwargs = {"data": data, "epochs": 6, "batch_size": 32}
    first = retrainer.train(plateau_then_stop(1, 0.5), **kwargs)
    other = retrainer.train(plateau_then_stop(1, 0.2), **kwargs)
    again = retrainer.train(plateau_then_stop(1, 0.5), **kwargs)
    assert first.lr_cuts and first.restored_epoch  # the first run moved the LR and the weights
    assert other.lrs != first.lrs  # another factor: another run
    assert again.history == first.history and again.lrs == first.lrs
    assert [e.to_dict() for e in again.events] == [e.to_dict() for e in first.events]
    assert retrainer.runs == 3 and again.model is first.model  # one model, reset each time
    assert again.learning_rate == 3e-3 and again.model_name == "mlp"


def test_a_retrain_trains_what_a_fresh_model_trains(data):
    retrainer = Retrainer("mlp", learning_rate=3e-3, seed=2)
    kwargs = {"data": data, "epochs": 5, "batch_size": 32}
    retrainer.train(plateau_then_stop(1, 0.5), **kwargs)  # leaves a cut LR and restored weights
    reused = retrainer.train(plateau_then_stop(2, 0.2), **kwargs)
    fresh = train(plateau_then_stop(2, 0.2), model="mlp", learning_rate=3e-3, seed=2, **kwargs)
    assert reused.history == fresh.history and reused.lrs == fresh.lrs


def test_retrainer_runs_with_a_batch_hook_on_a_fresh_model(data):
    seen = []
    retrainer = Retrainer("mlp")
    run = retrainer.train([batch_hook(seen)], data=data, epochs=1, batch_size=32)
    assert seen == list(range(20)) and run.steps_per_execution == 1
    if batches_per_call() > 1:  # TensorFlow, JAX: the shared model runs 32 batches per call
        assert run.model is not retrainer.model and retrainer.runs == 0
    else:  # PyTorch: the shared model already runs one batch per call, so it trains
        assert run.model is retrainer.model and retrainer.runs == 1


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_retrainer_says_what_it_fixes(data, lang):
    cbteach.set_language(lang)
    with pytest.raises(TypeError, match="learning_rate") as caught:
        Retrainer("mlp").train([], data=data, epochs=1, learning_rate=1e-2)
    assert "Retrainer(" in str(caught.value)


def test_an_unknown_model_name_is_refused_in_the_learners_language():
    cbteach.set_language("ko")
    with pytest.raises(ValueError, match="모델"):
        Retrainer("resnet")
