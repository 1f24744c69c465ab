"""The Playground, driven as a learner drives it: set .value on controls, .click() buttons."""

from __future__ import annotations

import dataclasses
import gc
import re
import signal
import threading
import time
import weakref

import ipywidgets as widgets
import keras
import numpy as np
import pytest

from cbteach import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, recorded, training
from cbteach.models import build_model
from cbteach.replay import replay
from cbteach.timeline import Timeline
from cbteach.widgets import (
    CONTROLS,
    DEFAULTS,
    Playground,
    build_callbacks,
    check_controls,
    short_error,
)

HANGUL = re.compile(r"[가-힣]")
PNG = b"\x89PNG\r\n\x1a\n"
# "Choose mode 'min' or 'max'", or cbteach's own check: 'Write mode="min" (...) or mode="max"'
AUTO_MODE_ADVICE = r"mode[= ]?['\"]min['\"][^.]{0,30} or (mode[= ]?)?['\"]max['\"]"


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


def retrain_threads() -> list[threading.Thread]:
    """The playground's training threads still alive (they are daemons: named, not counted)."""
    return [t for t in threading.enumerate() if t.name.startswith("cbteach-retrain-")]


@pytest.fixture(autouse=True)
def no_thread_errors(monkeypatch):
    """Fails a test whose retrain thread died with an exception (a traceback in the log).

    After each test, waits for any retrain it left, so that no test trains into the next.
    """
    errors = []
    monkeypatch.setattr(threading, "excepthook", errors.append)
    yield errors
    for thread in retrain_threads():
        threading.Thread.join(thread, 60)  # the real join, even where a test replaced it
    assert not errors, [f"{e.exc_type.__name__}: {e.exc_value}" for e in errors]


class Gate(keras.callbacks.Callback):
    """Holds training at the end of epoch 1 until the test opens it or someone sets the stop
    flag (Cancel, an interrupt, close, a newer playground); never longer than 30 s."""

    def __init__(self) -> None:
        super().__init__()
        self.reached = threading.Event()  # epoch 1 is over and training is held
        self.opened = threading.Event()
        self.follow_stop = True  # False: only the test opens it
        self.stop: threading.Event | None = None

    def on_epoch_end(self, epoch, logs=None):
        if epoch != 0:
            return
        self.reached.set()
        deadline = time.monotonic() + 30
        while not self.opened.is_set() and time.monotonic() < deadline:
            if self.follow_stop and self.stop is not None and self.stop.is_set():
                return
            self.opened.wait(0.01)


@pytest.fixture
def gate(monkeypatch):
    """Every retrain of the test is held by one Gate at the end of its first epoch."""
    held = Gate()
    real_train = training.train

    def gated_train(*args, extra_callbacks=(), stop=None, **kwargs):
        held.stop = stop
        return real_train(*args, extra_callbacks=[*extra_callbacks, held], stop=stop, **kwargs)

    monkeypatch.setattr(training, "train", gated_train)
    yield held
    held.opened.set()  # a failing test leaves no thread held


def usable(playground) -> bool:
    """The buttons are back: Retrain can be pressed, there is nothing to cancel."""
    w = playground.w
    return not w["retrain_button"].disabled and w["cancel_button"].disabled


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
    assert re.search(AUTO_MODE_ADVICE, pg.w["status"].value)
    assert "Traceback" not in pg.w["summary"].value and "val_auc" in pg.w["summary"].value
    assert png(pg) == picture  # the last good picture stays
    pg.controls["language"].value = "ko"
    assert HANGUL.search(pg.w["status"].value) and "val_auc" in pg.w["status"].value
    pg.controls["language"].value = "en"
    pg.w["retrain_button"].click()  # training with settings Keras refused: refused at once
    assert pg.thread is None and re.search(AUTO_MODE_ADVICE, pg.w["status"].value)
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
    # epoch 1's training loss may stand above the axis: the validation curve fills it
    assert high < 0.9 and max(pg.result.history["loss"][1:]) < high
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
    assert not retrain_threads()


def test_retrain_draws_a_live_timeline_that_ends_as_the_runs_own(tiny, tmp_path, monkeypatch):
    pg = tiny_playground(tiny, tmp_path, epochs=3)
    frames = []
    real = pg.retrain_frame

    def seen(job, png):
        frames.append(png)
        real(job, png)
        assert pg.w["live_image"].layout.display is None  # shown while it trains

    monkeypatch.setattr(pg, "retrain_frame", seen)
    pg.w["retrain_button"].click()
    assert pg.wait(timeout=120)
    assert frames and all(f.startswith(PNG) for f in frames)
    assert pg.w["live_image"].layout.display == "none"  # the run is on the main image now
    assert frames[-1] == Timeline(pg.last_retrain, lang="en").to_png()


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
    assert pg.slot.data is not None
    assert "stopped from outside" in pg.w["summary"].value
    assert not pg.w["retrain_button"].disabled
    assert not retrain_threads()


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


# ---------------------------------------------------------------------- a workshop of thirty
def tiny_playground(tiny, tmp_path, epochs: int = 3, **kwargs) -> Playground:
    options = {"lang": "en", "data": tiny, "model": "mlp", "checkpoint_dir": tmp_path}
    return Playground(["overfit"], epochs=epochs, **{**options, **kwargs})


def test_retrain_pressed_three_times_trains_once_and_says_why(tiny, tmp_path, gate):
    before = set(threading.enumerate())
    pg = tiny_playground(tiny, tmp_path)
    pg.w["retrain_button"].click()
    pg.w["retrain_button"].click()  # at once, before training even started
    assert gate.reached.wait(60)  # training is provably under way, held after epoch 1
    pg.w["retrain_button"].click()  # and while it trains
    assert len(retrain_threads()) == 1 and pg.busy and pg.slot.count == 1
    assert "Retrain 1 is still running, so this press did nothing" in pg.w["status"].value
    pg.controls["language"].value = "ko"  # the refusal is a translated sentence
    assert "다시 학습 1 작업이 아직 진행 중" in pg.w["status"].value
    pg.controls["language"].value = "en"
    gate.opened.set()
    assert pg.wait(timeout=60)
    assert [k for k in pg.runs if k.startswith("retrain-")] == ["retrain-1"]
    assert usable(pg) and "Retrain 1 finished" in pg.w["status"].value
    assert set(threading.enumerate()) - before == set()
    pg.w["retrain_button"].click()  # once it is over, Retrain works again
    assert pg.wait(timeout=60) and "retrain-2" in pg.runs and usable(pg)


def test_sliders_replay_while_training_and_leave_the_training_alone(tiny, tmp_path, gate):
    pg = tiny_playground(tiny, tmp_path)
    pg.w["retrain_button"].click()
    assert gate.reached.wait(60)
    picture = png(pg)
    pg.controls["es_patience"].value = 2
    pg.controls["factor"].value = 0.5
    pg.controls["run"].value = "overfit"  # the picker too: Retrain took its setup at the press
    assert pg.busy and "replayed" in pg.w["status"].value
    assert png(pg) != picture and pg.result.config["callbacks"][-1]["patience"] == 2
    gate.opened.set()
    assert pg.wait(timeout=60) and usable(pg)
    run = pg.last_retrain
    trained = {c["class"]: c for c in run.config["callbacks"]}
    assert trained["EarlyStopping"]["patience"] == 5  # the settings of the press, not the slider's
    assert trained["ReduceLROnPlateau"]["factor"] == pytest.approx(0.3)
    assert run.epochs == 3 and pg.controls["run"].value == "retrain-1"
    assert "The settings moved while it trained" in pg.w["status"].value
    pg.controls["es_patience"].value = 5
    pg.controls["factor"].value = 0.3
    assert "the real run" in pg.w["status"].value and pg.result.events is run.events


def interrupt_waiting(pg, times: int = 1) -> list:
    """The kernel's stop button, pressed ``times`` times while ``pg.wait()`` blocks.

    wait() blocks on the retrain's ``ended`` Event; its first ``times`` waits raise
    KeyboardInterrupt, as an interrupt does in the notebook's thread. Returns the calls.
    """
    event, calls = pg.slot.job.ended, []
    real_wait = event.wait

    def interrupted(timeout=None):
        calls.append(timeout)
        if len(calls) <= times:
            raise KeyboardInterrupt
        return real_wait(timeout)

    event.wait = interrupted
    return calls


def test_an_interrupt_while_waiting_cancels_after_the_epoch_and_keeps_it(tiny, tmp_path, gate):
    before = set(threading.enumerate())
    pg = tiny_playground(tiny, tmp_path, epochs=30)
    pg.w["retrain_button"].click()
    interrupt_waiting(pg)
    with pytest.raises(KeyboardInterrupt):
        pg.wait()
    assert not pg.busy and set(threading.enumerate()) - before == set()
    run = pg.last_retrain
    assert run is not None and run.epochs == 1  # stopped at the end of the epoch it was in
    assert ("retrain 1 (patience 5)", "retrain-1") in pg.controls["run"].options
    assert "stopped from outside" in pg.w["summary"].value
    assert "Retrain 1 finished: 1 of 30 epochs" in pg.w["status"].value and usable(pg)


def test_a_second_interrupt_stops_waiting_and_training_still_ends(tiny, tmp_path, gate):
    pg = tiny_playground(tiny, tmp_path, epochs=30)
    gate.follow_stop = False  # the epoch the interrupt lands in lasts until the test says
    pg.w["retrain_button"].click()
    assert gate.reached.wait(60)
    calls = interrupt_waiting(pg, times=2)
    with pytest.raises(KeyboardInterrupt):
        pg.wait()
    assert pg.busy and len(calls) == 2  # the notebook is back at once, the epoch not yet over
    assert pg.w["status"].value.startswith("Interrupted: retrain 1 stops at the end")
    assert pg.w["cancel_button"].disabled and pg.thread.is_alive()
    gate.opened.set()
    assert pg.wait(timeout=60) and pg.last_retrain.epochs == 1 and usable(pg)


def test_a_real_sigint_while_waiting_stops_the_retrain_cleanly(tiny, tmp_path, gate):
    """The signal itself, as the kernel's stop button sends it, into the blocked main thread.

    On Python 3.11 an interrupted ``Thread.join`` marks the still running thread as stopped,
    so a wait() built on join() returns with the thread training and ``is_alive()`` False.
    """
    # Re-install Python's own SIGINT handler, as a kernel has it: a library imported by an
    # earlier test can take SIGINT over at the C level while getsignal() still reports Python's
    # default handler (seen in full-suite runs: the signal never became a KeyboardInterrupt).
    found = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    before = set(threading.enumerate())
    pg = tiny_playground(tiny, tmp_path, epochs=30)
    pg.w["retrain_button"].click()
    assert gate.reached.wait(60)  # held until the stop flag is set: wait() surely blocks
    main = threading.main_thread().ident
    press = threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT))
    press.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            pg.wait(timeout=60)
    finally:
        press.join()
        signal.signal(signal.SIGINT, found)
    assert not pg.busy and set(threading.enumerate()) - before == set()
    assert pg.last_retrain.epochs == 1 and usable(pg)
    assert "Retrain 1 finished: 1 of 30 epochs" in pg.w["status"].value


def test_an_interrupt_as_retrain_starts_leaves_nothing_half_set(tiny, tmp_path, monkeypatch):
    pg = tiny_playground(tiny, tmp_path, epochs=1)

    def interrupted_start(self):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(threading.Thread, "start", interrupted_start)
        with pytest.raises(KeyboardInterrupt):
            pg.w["retrain_button"].click()
    assert usable(pg) and not pg.busy and pg.w["status"].value == "Ready."
    pg.w["retrain_button"].click()  # not refused as "still running"
    assert pg.wait(timeout=60) and "Retrain 2 finished" in pg.w["status"].value


def labels_out_of_range(data):
    return dataclasses.replace(data, y_train=np.full_like(data.y_train, 10))


def lengths_that_differ(data):
    return dataclasses.replace(data, y_train=data.y_train[:100])


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        (labels_out_of_range, "whole numbers 0 to 9"),
        (lengths_that_differ, "Data cardinality is ambiguous"),
    ],
)
def test_broken_data_is_a_sentence_without_a_traceback(tiny, tmp_path, broken, said):
    before = set(threading.enumerate())
    pg = tiny_playground(tiny, tmp_path, data=broken(tiny))
    pg.w["retrain_button"].click()
    assert pg.wait(timeout=60)
    status = pg.w["status"].value
    assert status.startswith("Retrain 1 failed and was stopped") and said in status
    assert "Traceback" not in status and "most recent call last" not in status
    assert 'File "' not in status and len(status) < 500
    assert "press Retrain again" in status and usable(pg) and list(pg.runs) == ["overfit"]
    assert set(threading.enumerate()) - before == set()
    pg.controls["language"].value = "ko"
    assert "다시 학습 1 실패로 멈췄습니다" in pg.w["status"].value


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_setting_keras_refuses_during_training_is_a_sentence(tiny, tmp_path):
    model = build_model("mlp")  # compiled with a learning rate schedule: not settable
    schedule = keras.optimizers.schedules.ExponentialDecay(3e-3, decay_steps=100, decay_rate=0.9)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    pg = tiny_playground(
        tiny,
        tmp_path,
        model=model,
        callbacks=("ReduceLROnPlateau",),
        settings={"monitor": "loss", "mode": "max", "rlr_patience": 1},  # cut after epoch 2
    )
    assert pg.error is None  # the replay accepts these settings; only training can refuse
    pg.w["retrain_button"].click()
    assert pg.wait(timeout=60)
    status = pg.w["status"].value
    assert status.startswith("Retrain 1 failed and was stopped: TypeError")
    assert "learning rate" in status and "Traceback" not in status
    assert usable(pg) and list(pg.runs) == ["overfit"] and not retrain_threads()
    pg.controls["factor"].value = 0.5  # the playground still replays
    assert "replayed" in pg.w["status"].value


def test_an_interrupt_inside_the_thread_ends_only_the_retrain(tiny, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(training, "train", interrupted)
    pg = tiny_playground(tiny, tmp_path)
    pg.w["retrain_button"].click()
    assert pg.wait(timeout=60)
    assert pg.w["status"].value.startswith("Retrain 1 failed and was stopped: KeyboardInterrupt")
    assert usable(pg) and not retrain_threads()


def test_a_drawing_error_after_training_keeps_the_run(tiny, tmp_path, monkeypatch):
    pg = tiny_playground(tiny, tmp_path, epochs=2)

    def broken_update(*args, **kwargs):
        raise RuntimeError("no room for the legend")

    monkeypatch.setattr(pg.timeline, "update", broken_update)
    pg.w["retrain_button"].click()
    assert pg.wait(timeout=60)
    assert "but drawing it failed: RuntimeError: no room for the legend" in pg.w["status"].value
    assert "retrain-1" in pg.runs and pg.last_retrain.epochs == 2 and usable(pg)
    monkeypatch.undo()
    pg.controls["es_patience"].value = 1
    assert "replayed" in pg.w["status"].value


def test_short_error_drops_tensorflows_stack():
    exc = ValueError(
        "Graph execution error:\n\nDetected at node loss defined at (most recent call last):\n"
        '  File "/x/trainer.py", line 62, in train_step\n\n'
        "Received a label value of 10 which is outside the valid range of [0, 10).\n"
        "\t [[{{node loss}}]] [Op:__inference_step_1]"
    )
    assert short_error(exc) == (
        "ValueError: Received a label value of 10 which is outside the valid range of [0, 10)."
    )
    assert short_error(KeyError("val_auc")) == "KeyError: 'val_auc'"
    assert short_error(KeyboardInterrupt()) == "KeyboardInterrupt"
    assert len(short_error(ValueError("x" * 1000))) == 300


# ---------------------------------------------------------------------- closing, a cell run again
def test_close_stops_training_and_releases_widgets_and_figure(tiny, tmp_path, gate):
    before = set(threading.enumerate())
    pg = tiny_playground(tiny, tmp_path, epochs=30)
    pg.w["retrain_button"].click()
    assert gate.reached.wait(60)
    figure = weakref.ref(pg.timeline.figure)
    status, options = pg.w["status"].value, pg.w["run"].options
    assert pg.close(timeout=60)
    assert not pg.busy and set(threading.enumerate()) - before == set()
    assert pg.last_retrain.epochs == 1 and "retrain-1" in pg.runs  # the finished epoch is kept
    everything = [*tree(pg.widget), *pg.w.values()]
    assert all(w.comm is None for w in everything)  # closed: the views leave the page
    assert pg.w["status"].value == status and pg.w["run"].options == options  # no late writes
    assert pg.w["run"].value == "overfit"
    gc.collect()
    assert pg.timeline is None and figure() is None
    pg.controls["es_patience"].value = 2  # a closed playground neither draws nor fails
    assert pg.timeline is None and pg.refresh() is None
    assert pg._repr_mimebundle_() == {
        "text/plain": "This playground is closed. Run its cell again to make a new one."
    }
    pg.w["retrain_button"].click()
    assert pg.thread is not None and not pg.busy and pg.close()


def test_a_new_playground_cancels_the_retrain_of_the_one_it_replaces(tiny, tmp_path, gate):
    before = set(threading.enumerate())
    old = tiny_playground(tiny, tmp_path, epochs=30)
    gate.follow_stop = False  # hold the old epoch while the new playground is tried
    old.w["retrain_button"].click()
    assert gate.reached.wait(60)
    new = tiny_playground(tiny, tmp_path, epochs=2)  # the same cell, run again
    assert old.slot.job.stop.is_set()
    assert "A new playground was made in this notebook" in old.w["status"].value
    assert usable(old)
    new.w["retrain_button"].click()  # the old thread still finishes its epoch: one at a time
    assert "An earlier retrain is stopping" in new.w["status"].value
    assert len(retrain_threads()) == 1 and new.thread is None
    old_status, old_options = old.w["status"].value, old.w["run"].options
    gate.opened.set()
    assert old.wait(timeout=60)
    assert old.last_retrain.epochs == 1 and "retrain-1" in old.runs  # kept, on the old object
    assert old.w["status"].value == old_status and old.w["run"].options == old_options
    assert old.w["run"].value == "overfit"  # the old thread wrote into none of its widgets
    new.w["retrain_button"].click()
    assert new.wait(timeout=60) and new.last_retrain.epochs == 2
    assert "Retrain 1 finished" in new.w["status"].value and usable(new)
    assert set(threading.enumerate()) - before == set()


def test_another_playground_training_refuses_retrain_here(tiny, tmp_path, gate):
    first = tiny_playground(tiny, tmp_path)
    second = tiny_playground(tiny, tmp_path)  # made before the first trains: both stay
    first.w["retrain_button"].click()
    assert gate.reached.wait(60)
    second.w["retrain_button"].click()
    assert "Another playground in this notebook is still training" in second.w["status"].value
    assert second.thread is None and not first.slot.job.stop.is_set()
    gate.opened.set()
    assert first.wait(timeout=60) and first.last_retrain.epochs == 3
