"""Replay drives real Keras callbacks over recorded logs and agrees with live training."""

from __future__ import annotations

import os

import pytest

from cbteach import EarlyStopping, EventLog, ModelCheckpoint, ReduceLROnPlateau, recorded
from cbteach.replay import CAVEAT_LR, replay
from cbteach.training import train

FIELDS = ("epoch", "callback", "action", "reason", "value", "best_after", "wait_after", "lr_after")


def settings(tmp_path):
    return [
        {
            "cls": ModelCheckpoint,
            "filepath": str(tmp_path / "{epoch:02d}-{val_loss:.4f}.keras"),
            "save_best_only": True,
        },
        {"cls": ReduceLROnPlateau, "patience": 1, "factor": 0.5, "min_delta": 0.0},
        {"cls": EarlyStopping, "patience": 2, "restore_best_weights": True, "min_delta": 0.002},
    ]


def build(specs, log=None):
    return [s["cls"](**{k: v for k, v in s.items() if k != "cls"}, log=log) for s in specs]


def essentials(log: EventLog):
    rows = []
    for e in log:
        row = {f: getattr(e, f) for f in FIELDS}
        row["saved_path"] = os.path.basename(e.saved_path) if e.saved_path else None
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def live(tmp_path_factory, sample):
    tmp_path = tmp_path_factory.mktemp("live")
    log = EventLog()
    specs = settings(tmp_path)
    run = train(
        build(specs, log), data=sample, model="mlp", epochs=12, learning_rate=3e-3, batch_size=32
    )
    return run, specs, tmp_path


def test_replay_of_a_live_run_makes_the_same_decisions(live, tmp_path):
    run, _specs, live_dir = live
    assert run.stopped_epoch is not None, "the live run should stop early for this test"
    replayed = replay(run, build(settings(tmp_path)))
    assert essentials(replayed.events) == essentials(run.events)
    assert replayed.lrs == pytest.approx(run.lrs)
    assert replayed.stopped_epoch == run.stopped_epoch
    assert replayed.restored_epoch == run.restored_epoch
    assert list(tmp_path.iterdir()) == [], "replay must not write checkpoints"
    assert len(list(live_dir.glob("*.keras"))) == len(run.saves)


def test_replay_reports_formatted_filenames_without_writing(tmp_path):
    target = tmp_path / "not-created" / "w.{epoch:02d}-{val_loss:.2f}.keras"
    rec = recorded.load("overfit")
    out = replay(rec, [ModelCheckpoint(str(target), save_best_only=True)])
    paths = [e.saved_path for e in out.saves]
    assert paths and all(p.startswith(str(tmp_path / "not-created" / "w.")) for p in paths)
    assert f"w.{out.saves[0].epoch:02d}-" in paths[0]
    assert not (tmp_path / "not-created").exists()


def test_replay_says_when_it_is_only_an_approximation():
    rec = recorded.load("plateau")
    cut = replay(rec, [ReduceLROnPlateau(patience=2, factor=0.5)])
    assert cut.lr_cuts and cut.caveats == [CAVEAT_LR]
    assert replay(rec, [EarlyStopping(patience=3)]).caveats == []


def test_patience_moves_the_stop_epoch_on_a_recorded_curve():
    rec = recorded.load("overfit")
    stops = [replay(rec, [EarlyStopping(patience=p)]).stopped_epoch for p in (1, 3, 5, 10)]
    assert stops == sorted(stops) and len(set(stops)) > 1


def test_auto_mode_on_accuracy_maximises():
    rec = recorded.load("accuracy")
    out = replay(
        rec, [EarlyStopping(monitor="val_accuracy", patience=5, restore_best_weights=True)]
    )
    best = max(rec.history["val_accuracy"][: out.epochs])
    assert out.events.of("EarlyStopping")[0].mode == "max"
    restored = out.restored_epoch
    assert rec.history["val_accuracy"][restored - 1] == best


def test_with_patience_as_long_as_the_run_every_epoch_is_replayed():
    for name in recorded.names():
        run = recorded.load(name)
        out = replay(run, build([{"cls": EarlyStopping, "patience": run.epochs}]))
        assert out.epochs == run.epochs


def test_the_remembering_replayer_gives_exactly_what_a_joint_replay_gives(tmp_path):
    import numpy as np

    from cbteach.replay import Replayer

    rng = np.random.default_rng(7)
    for name in recorded.names():
        rec = recorded.load(name)
        replayer = Replayer(rec)
        for _ in range(12):
            es_patience, rlr_patience = int(rng.integers(0, 15)), int(rng.integers(0, 12))

            def make(es_patience=es_patience, rlr_patience=rlr_patience):
                return [
                    ModelCheckpoint(str(tmp_path / "{epoch:02d}.keras"), save_best_only=True),
                    ReduceLROnPlateau(patience=rlr_patience, factor=0.5, cooldown=1),
                    EarlyStopping(patience=es_patience, restore_best_weights=bool(es_patience % 2)),
                ]

            joint, remembered = replay(rec, make()), replayer.replay(make())
            assert essentials(remembered.events) == essentials(joint.events)
            assert remembered.lrs == pytest.approx(joint.lrs)
            assert remembered.history == joint.history
            assert remembered.caveats == joint.caveats
