"""The shipped recorded runs follow the schema, carry full provenance and show what they claim."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cbteach import recorded


def test_three_runs_ship():
    assert {"overfit", "plateau", "accuracy"} <= set(recorded.names())


@pytest.mark.parametrize("name", recorded.names())
def test_each_run_validates_and_is_long_enough(name):
    record = json.loads((recorded.folder() / f"{name}.json").read_text(encoding="utf-8"))
    recorded.validate(record)
    provenance = record["provenance"]
    assert provenance["command"].startswith(f"python -m cbteach record {name} ")
    assert provenance["data"]["source"] in ("sample", "keras")
    assert len(record["history"]["val_loss"]) >= 40


@pytest.mark.parametrize("name", recorded.names())
def test_each_run_says_which_backend_made_it(name):
    # each backend draws its own random numbers: the same seed gives other curves elsewhere
    run = recorded.load(name)
    assert run.provenance["backend"] in ("tensorflow", "jax", "torch")
    assert run.provenance["backend_version"] not in ("", "unknown")
    assert run.device == {"backend": run.provenance["backend"], "name": run.provenance["device"]}


def test_overfit_run_overfits():
    h = recorded.load("overfit").history
    val_loss, loss = np.array(h["val_loss"]), np.array(h["loss"])
    best = int(val_loss.argmin())
    assert best < len(val_loss) // 2
    assert val_loss[-5:].mean() > 1.3 * val_loss[best]
    assert loss[-5:].mean() < loss[best]


def test_accuracy_run_suggests_val_accuracy():
    run = recorded.load("accuracy")
    assert run.suggested_monitor == "val_accuracy"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["provenance"].pop("keras"), "provenance"),
        (lambda r: r["history"]["val_loss"].pop(), "lengths"),
        (lambda r: r.update(schema=99), "schema"),
        (lambda r: r["history"]["loss"].__setitem__(0, float("nan")), "finite"),
        (lambda r: r.update(suggested_monitor="val_acc"), "suggested_monitor"),
    ],
)
def test_a_broken_record_is_refused(mutate, message):
    record = json.loads((recorded.folder() / "overfit.json").read_text(encoding="utf-8"))
    mutate(record)
    with pytest.raises(recorded.RecordError, match=message):
        recorded.validate(record)


def test_write_is_atomic_and_round_trips(tmp_path):
    record = json.loads((recorded.folder() / "plateau.json").read_text(encoding="utf-8"))
    path = recorded.write(record, tmp_path / "copy.json")
    assert [p.name for p in tmp_path.iterdir()] == ["copy.json"]
    assert recorded.load(path).history == record["history"]
