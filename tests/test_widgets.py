"""The Playground, driven as a learner drives it: set .value on controls, .click() buttons."""

from __future__ import annotations

import dataclasses
import re
import threading

import ipywidgets as widgets
import pytest

from cbteach import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, recorded
from cbteach.data import load_mnist
from cbteach.replay import replay
from cbteach.widgets import (
    CONTROLS,
    DEFAULTS,
    Playground,
    build_callbacks,
    check_controls,
)

HANGUL = re.compile(r"[가-힣]")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sample():
    return load_mnist("sample", verbose=False)


@pytest.fixture
def pg():
    return Playground(["overfit"], lang="en")


def png(playground, name="image") -> bytes:
    return bytes(playground.w[name].value)


def tree(widget) -> list:
    """Every widget inside ``widget``, itself included."""
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += tree(child)
    return found


def stray_threads() -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        if t is not threading.main_thread() and not t.daemon and t.is_alive()
    ]


# ---------------------------------------------------------------------- replay on every change
def test_a_slider_change_rewrites_the_explanation_and_redraws(pg):
    html, picture = pg.w["summary"].value, png(pg)
    assert picture.startswith(PNG) and "EarlyStopping stops training" in html
    pg.controls["es_patience"].value = 2
    assert pg.w["summary"].value != html
    assert png(pg) != picture and png(pg).startswith(PNG)


@pytest.mark.parametrize("patience", [2, 5, 9])
def test_the_stop_epoch_shown_is_the_one_replay_finds(pg, patience):
    pg.controls["es_patience"].value = patience
    expected = replay(
        recorded.load("overfit"),
        [
            ModelCheckpoint("ckpt/{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True),
            ReduceLROnPlateau(patience=3, factor=0.3),
            EarlyStopping(patience=patience, restore_best_weights=True),
        ],
    )
    assert expected.stopped_epoch is not None
    assert pg.result.stopped_epoch == expected.stopped_epoch
    assert f"stops training at epoch {expected.stopped_epoch} of 100" in pg.w["summary"].value
    assert [e.epoch for e in pg.result.lr_cuts] == [e.epoch for e in expected.lr_cuts]


def test_every_control_replays(pg):
    changes = {
        "monitor": "val_accuracy",
        "mode": "min",
        "es_patience": 7,
        "es_min_delta": 0.01,
        "restore_best_weights": False,
        "start_from_epoch": 4,
        "rlr_patience": 1,
        "factor": 0.5,
        "cooldown": 2,
        "rlr_min_delta": 0.002,
        "min_lr": 1e-4,
        "save_best_only": False,
    }
    assert set(changes) | {"baseline", "run", "language", "retrain", "compare"} == set(CONTROLS)
    for name, value in changes.items():
        before = pg.result
        pg.controls[name].value = value
        assert pg.result is not before, name
        assert pg.settings()[name] == value
    pg.w["baseline_on"].value = True
    assert pg.settings()["baseline"] == pytest.approx(0.2)
    pg.w["baseline_value"].value = 0.5
    assert pg.result.config["callbacks"][-1]["baseline"] == pytest.approx(0.5)
    summary = pg.w["summary"].value
    assert "every epoch (save_best_only=False" in summary
    assert "Careful: val_accuracy is an accuracy" in summary  # mode min on an accuracy


def test_checkboxes_change_the_story(pg):
    pg.controls["restore_best_weights"].value = False
    assert "keeps the weights of the last epoch" in pg.w["summary"].value
    pg.controls["save_best_only"].value = False
    assert "every epoch" in pg.w["summary"].value


def test_settings_keras_cannot_resolve_give_a_sentence_not_a_traceback():
    rec = recorded.load("overfit")
    history = {**rec.history, "val_auc": list(rec.history["val_accuracy"])}
    run = dataclasses.replace(rec, history=history, name="with-auc")
    pg = Playground([run], lang="en", callbacks=("EarlyStopping",))
    assert "val_auc" in pg.controls["monitor"].options
    picture = png(pg)
    pg.controls["monitor"].value = "val_auc"  # mode auto: Keras cannot tell up from down
    assert pg.error is not None
    assert "Choose mode 'min' or 'max'" in pg.w["status"].value
    assert "Traceback" not in pg.w["summary"].value and "val_auc" in pg.w["summary"].value
    assert png(pg) == picture  # the last good picture stays
    pg.controls["language"].value = "ko"
    assert HANGUL.search(pg.w["status"].value) and "val_auc" in pg.w["status"].value
    pg.controls["language"].value = "en"
    pg.w["retrain_button"].click()  # training with settings Keras refused: refused at once
    assert pg.thread is None and "Choose mode 'min' or 'max'" in pg.w["status"].value
    pg.controls["mode"].value = "max"
    assert pg.error is None and pg.result.events[0].monitor == "val_auc"


def test_picking_a_run_follows_its_suggested_monitor():
    pg = Playground(lang="en")
    assert list(pg.runs) == recorded.names()
    pg.controls["run"].value = "accuracy"
    assert pg.controls["monitor"].value == "val_accuracy"
    assert "val_accuracy; higher is better" in pg.w["summary"].value
    pg.controls["run"].value = "plateau"
    assert pg.controls["monitor"].value == "val_loss"


# ---------------------------------------------------------------------- controls
def test_a_lesson_shows_only_the_controls_it_asks_for():
    pg = Playground(["overfit"], controls=("es_patience", "mode"), callbacks=("EarlyStopping",))
    assert set(pg.controls) == {"es_patience", "mode"}
    inside = tree(pg.widget)
    assert pg.w["es_patience"] in inside and pg.w["mode"] in inside
    hidden = ("run", "monitor", "rlr_patience", "factor", "language", "retrain_button", "compare")
    for name in hidden:
        assert pg.w[name] not in inside, name
    assert pg.w["image"] in inside and pg.w["summary"] in inside
    assert "ReduceLROnPlateau" not in pg.w["summary"].value
    pg.controls["mode"].value = "max"
    assert "Careful: val_loss is a loss" in pg.w["summary"].value


def test_the_default_controls_fit_the_callbacks():
    assert check_controls(None, ("EarlyStopping",)) == (
        "run",
        "monitor",
        "mode",
        "es_patience",
        "es_min_delta",
        "restore_best_weights",
        "start_from_epoch",
        "baseline",
        "language",
        "retrain",
        "compare",
    )


def test_an_unknown_control_raises_in_the_learners_language():
    with pytest.raises(ValueError, match="Unknown control es_patients.*es_patience"):
        Playground(["overfit"], controls=("es_patients",))
    with pytest.raises(ValueError, match="알 수 없는 컨트롤 pateince") as info:
        Playground(["overfit"], controls=("pateince",), lang="ko")
    assert "rlr_patience" in str(info.value)
    with pytest.raises(ValueError, match="factor belongs to ReduceLROnPlateau"):
        Playground(["overfit"], controls=("factor",), callbacks=("EarlyStopping",))
    with pytest.raises(ValueError, match="Unknown callback EarlyStoping"):
        Playground(["overfit"], callbacks=("EarlyStoping",))
    with pytest.raises(ValueError, match="no recorded run called overfitt"):
        Playground(["overfitt"])


def test_the_language_toggle_relabels_everything_and_back(pg):
    english, picture = pg.w["summary"].value, png(pg)
    assert not HANGUL.search(english)
    pg.controls["language"].value = "ko"
    assert HANGUL.search(pg.w["summary"].value)
    assert HANGUL.search(pg.controls["es_patience"].description)
    assert HANGUL.search(pg.w["retrain_button"].description)
    assert HANGUL.search(pg.w["status"].value)
    assert pg.timeline.lang == "ko" and png(pg) != picture
    pg.controls["es_patience"].value = 3  # still Korean after a change
    assert HANGUL.search(pg.w["summary"].value)
    pg.controls["language"].value = "en"
    assert not HANGUL.search(pg.w["summary"].value)
    assert pg.controls["es_patience"].description == "patience"
    assert pg.timeline.lang == "en"


def test_build_callbacks_is_a_plain_function(tmp_path):
    cbs = build_callbacks({**DEFAULTS, "es_patience": 4, "factor": 0.5}, folder=tmp_path)
    assert [type(cb).__name__ for cb in cbs] == [
        "ModelCheckpoint",
        "ReduceLROnPlateau",
        "EarlyStopping",
    ]
    assert cbs[0].filepath == str(tmp_path / "{epoch:02d}-{val_loss:.2f}.keras")
    assert cbs[0].write is False
    assert cbs[1].factor == 0.5 and cbs[2].patience == 4
    assert len({id(cb.log) for cb in cbs}) == 1
    with pytest.raises(ValueError, match="Unknown callback"):
        build_callbacks(DEFAULTS, ("Nope",))


# ---------------------------------------------------------------------- compare and display
def test_keep_and_compare(pg):
    pg.w["compare_button"].click()
    assert "Pick one or more runs" in pg.w["status"].value
    assert pg.w["compare_image"].layout.display == "none"
    pg.controls["es_patience"].value = 2
    pg.w["pin_button"].click()
    pg.controls["es_patience"].value = 10
    pg.w["pin_button"].click()
    kept = pg.w["compare_runs"].value
    assert kept == ("overfit · es_patience=2", "overfit · es_patience=10")
    pg.w["compare_button"].click()
    assert png(pg, "compare_image").startswith(PNG)
    assert pg.w["compare_image"].layout.display is None
    english = png(pg, "compare_image")
    pg.controls["language"].value = "ko"
    assert png(pg, "compare_image") != english


def test_it_displays_as_a_widget(pg):
    assert isinstance(pg.widget, widgets.VBox)
    _low, high = pg.timeline.axes["curves"].get_ylim()  # fitted to the run, not left at 0..1
    assert high < 0.9 and max(pg.result.history["loss"]) < high
    bundle = pg._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


# ---------------------------------------------------------------------- retrain
def test_retrain_trains_in_a_thread_and_adds_the_run(sample, tmp_path):
    pg = Playground(
        ["overfit"], lang="en", data=sample, epochs=2, model="mlp", checkpoint_dir=tmp_path
    )
    pg.w["retrain_button"].click()
    thread = pg.thread
    assert thread.daemon and pg.w["retrain_button"].disabled
    assert not pg.w["cancel_button"].disabled
    pg.w["retrain_button"].click()  # ignored while training
    assert pg.thread is thread
    assert pg.wait(timeout=120)
    assert not pg.w["retrain_button"].disabled and pg.w["cancel_button"].disabled
    assert ("retrain 1 (patience 5)", "retrain-1") in pg.controls["run"].options
    assert pg.controls["run"].value == "retrain-1"
    run = pg.runs["retrain-1"]
    assert 1 <= run.epochs <= 2 and pg.w["progress"].value == run.epochs
    assert pg.result.events is run.events  # the real run is shown, not a replay
    assert "Retrain 1 finished" in pg.w["status"].value
    assert "ModelCheckpoint writes" in pg.w["summary"].value
    assert list(tmp_path.rglob("*.keras"))
    pg.controls["es_patience"].value = 1  # now it can be replayed like a recorded run
    assert "replayed" in pg.w["status"].value
    assert not stray_threads()


def test_cancel_stops_after_the_current_epoch(tmp_path):
    # data=None: loaded once by the playground (CBTEACH_DATA=sample in conftest).
    pg = Playground(["overfit"], lang="en", epochs=30, model="mlp", checkpoint_dir=tmp_path)
    pg.w["retrain_button"].click()
    pg.controls["es_patience"].value = 3  # a replay on this thread while training runs
    assert "replayed" in pg.w["status"].value or "Retrain 1" in pg.w["status"].value
    pg.w["cancel_button"].click()
    assert pg.wait(timeout=120)
    run = pg.last_retrain
    assert 1 <= run.epochs < 30
    assert pg._data is not None
    assert "stopped from outside" in pg.w["summary"].value
    assert not pg.w["retrain_button"].disabled
    assert not stray_threads()


def test_a_failed_retrain_is_a_sentence(sample, tmp_path):
    pg = Playground(
        ["overfit"], lang="en", data=sample, epochs=1, model="nope", checkpoint_dir=tmp_path
    )
    pg.w["retrain_button"].click()
    assert pg.wait(timeout=60)
    assert pg.w["status"].value.startswith("Retrain 1 failed")
    assert "Traceback" not in pg.w["status"].value
    assert not pg.w["retrain_button"].disabled
    assert list(pg.runs) == ["overfit"]


def test_retrain_trains_as_the_selected_recorded_run_was_trained():
    pg = Playground(["overfit", "plateau"], lang="en")
    pg.w["run"].value = "overfit"
    assert pg._training_setup() == {"model": "mlp", "learning_rate": 3e-3, "batch_size": 32}
    pg.w["run"].value = "plateau"
    assert pg._training_setup() == {"model": "cnn", "learning_rate": 1e-3, "batch_size": 128}
    assert Playground(["overfit"], model="cnn")._training_setup()["model"] == "cnn"
