"""cbteach.hooks.HookTrace: the hooks Keras calls during fit, in order, as a learner reads them."""

from __future__ import annotations

import keras
import numpy as np

from cbteach.hooks import HookTrace


def _fit(epochs=2, n=64, batch_size=32, validation=True):
    x = np.zeros((n, 4), "float32")
    y = np.zeros((n,), "int64")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    trace = HookTrace()
    model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=(x[:32], y[:32]) if validation else None,
        callbacks=[trace],
        verbose=0,
    )
    return trace


def test_the_trace_of_a_fit_reads_top_to_bottom():
    lines = _fit().lines()
    assert lines[0] == "on_train_begin"
    assert lines[1] == "  on_epoch_begin(epoch=0)"
    assert lines[2] == "    on_train_batch_begin/end × 2"
    assert "    on_test_begin" in lines
    assert "  on_epoch_end(epoch=1)  logs: accuracy, loss, val_accuracy, val_loss" in lines
    assert lines[-1].startswith("on_train_end")
    assert sum(line.strip().startswith("on_epoch_begin") for line in lines) == 2


def test_without_validation_there_is_no_val_loss():
    trace = _fit(epochs=1, validation=False)
    epoch_end = [c for c in trace.calls if c[0] == "on_epoch_end"]
    assert epoch_end == [("on_epoch_end", 0, ("accuracy", "loss"))]
    assert not any(c[0].startswith("on_test") for c in trace.calls)


def test_batch_hooks_are_counted_per_batch():
    trace = _fit(epochs=1, n=96, batch_size=32, validation=False)
    batches = [c[1] for c in trace.calls if c[0] == "on_train_batch_end"]
    assert batches == [0, 1, 2]
    assert "on_train_batch_begin/end × 3" in str(trace)
