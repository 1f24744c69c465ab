"""cbteach's callbacks decide exactly as Keras' own, and say so in events.

The equivalence test drives plain ``keras.callbacks`` and cbteach's subclasses over the
same random metric curves, each on its own real stand-in model, and compares every
epoch: wait counter, best value, learning rate, saves, stop and restore.
"""

from __future__ import annotations

import inspect
import math
import os
from pathlib import Path

import keras
import numpy as np
import pytest

import cbteach
from cbteach import Action, EarlyStopping, EventLog, ModelCheckpoint, ReduceLROnPlateau, i18n
from cbteach.observed import spy, to_float
from cbteach.replay import drive, standin_model

N_CASES = 300


@pytest.fixture(scope="module")
def models():
    return standin_model(), standin_model()


def random_curve(rng: np.random.Generator, n: int) -> dict[str, list[float]]:
    """Loss-like and accuracy-like curves: overfitting, plateaus, exact ties, noise, a NaN."""
    t = np.arange(n)
    kind = rng.integers(4)
    if kind == 0:  # overfits: falls then rises
        turn = rng.integers(3, max(4, n - 2))
        val_loss = 1 / (1 + 0.3 * t) + 0.02 * np.maximum(0, t - turn) ** 1.3
    elif kind == 1:  # noisy plateau
        val_loss = 0.5 + rng.normal(0, 0.02, n)
    elif kind == 2:  # staircase with exact ties
        val_loss = np.round(1 - 0.1 * (t // rng.integers(1, 5)), 2)
    else:  # pure noise, large steps
        val_loss = rng.uniform(0.1, 1.0, n)
    val_loss = val_loss + rng.normal(0, rng.choice([0, 0.005, 0.03]), n)
    for bad in (np.nan, np.inf, -np.inf):  # now and then NaN or ±inf, the first epoch included
        if rng.random() < 0.08:
            val_loss[rng.choice([0, rng.integers(n)])] = bad
    loss = np.sort(val_loss)[::-1] * 0.8
    curve = {
        "loss": loss,
        "val_loss": val_loss,
        "accuracy": 1 - loss / 2,
        "val_accuracy": np.round(1 - val_loss / 2, 3),
    }
    return {k: [float(x) for x in v] for k, v in curve.items()}


def random_settings(rng: np.random.Generator) -> dict:
    def pick(*options):
        return options[rng.integers(len(options))]

    settings = {
        "es": {
            "monitor": pick("val_loss", "val_accuracy", "loss", "accuracy"),
            "min_delta": pick(0, 1e-4, 0.01, 0.05),
            "patience": int(rng.integers(0, 7)),
            "mode": pick("auto", "min", "max"),
            "baseline": pick(None, None, 0.4, 0.9),
            "restore_best_weights": pick(True, False),
            "start_from_epoch": int(pick(0, 0, 2, 4)),
        },
        "rlr": {
            "monitor": pick("val_loss", "val_accuracy", "loss"),
            "factor": pick(0.1, 0.3, 0.5, 0.9),
            "patience": int(rng.integers(0, 6)),
            "mode": pick("auto", "min", "max"),
            "min_delta": pick(0, 1e-4, 0.01),
            "cooldown": int(rng.integers(0, 4)),
            "min_lr": pick(0.0, 1e-4, 4e-4),
        },
        "mc": {
            "filepath": "ck/{epoch:02d}-{val_loss:.3f}.weights.h5",
            "monitor": pick("val_loss", "val_accuracy"),
            "mode": pick("auto", "min", "max"),
            "save_best_only": pick(True, False),
            "save_weights_only": True,
            "initial_value_threshold": pick(None, None, 0.5),
        },
    }
    for part in settings.values():  # now and then a monitor the logs do not have (Keras 2's name)
        if rng.random() < 0.05:
            part.update(monitor="val_acc", mode=pick("min", "max"))
    return settings


class Watcher(keras.callbacks.Callback):
    """Placed after the plain callbacks: what their state is at the end of each epoch."""

    def __init__(self, es, rlr, saves):
        super().__init__()
        self.es, self.rlr, self.saves = es, rlr, saves
        self.rows = []

    def on_epoch_end(self, epoch, logs=None):
        saved = self.saves[-1] if self.saves and self.saves[-1][0] == epoch else None
        keras_stop = self.es.stopped_epoch == epoch > 0 and bool(self.model.stop_training)
        self.rows.append(
            {
                "es_wait": self.es.wait,
                "es_best": self.es.best,
                "rlr_wait": self.rlr.wait,
                "rlr_best": self.rlr.best,
                "lr": float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)),
                "stop": bool(self.model.stop_training),
                "es_stopped": keras_stop,
                "saved": saved[1] if saved else None,
            }
        )


def same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return (math.isnan(a) and math.isnan(b)) or a == b


def run_plain(settings, curve, model):
    saves, restored = [], []
    es = keras.callbacks.EarlyStopping(**settings["es"])
    rlr = keras.callbacks.ReduceLROnPlateau(**settings["rlr"])
    mc = keras.callbacks.ModelCheckpoint(**settings["mc"])
    watcher = Watcher(es, rlr, saves)
    epoch_box = [0]

    class Epoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            epoch_box[0] = epoch

    def save_weights(path, overwrite=True):  # observe Keras' decision, write nothing
        saves.append((epoch_box[0], path))

    original_set = model.set_weights

    def set_weights(weights):
        restored.append(True)
        original_set(weights)

    with spy(model, "save_weights", save_weights), spy(model, "set_weights", set_weights):
        ran, lrs = drive([Epoch(), mc, rlr, es, watcher], curve, model, learning_rate=1e-3)
    return ran, lrs, watcher.rows, bool(restored)


def run_cbteach(settings, curve, model):
    log = EventLog()
    cbs = [
        ModelCheckpoint(**settings["mc"], write=False, log=log),
        ReduceLROnPlateau(**settings["rlr"], log=log),
        EarlyStopping(**settings["es"], log=log),
    ]
    ran, lrs = drive(cbs, curve, model, learning_rate=1e-3)
    return ran, lrs, log


@pytest.mark.filterwarnings("ignore:.*(not available|only with val_acc).*:UserWarning")
@pytest.mark.filterwarnings("ignore::cbteach.validation.InputWarning")
def test_cbteach_decides_exactly_as_keras_on_random_curves(models):
    plain_model, our_model = models
    rng = np.random.default_rng(20261127)
    fired = {a: 0 for a in Action}
    for case in range(N_CASES):
        settings = random_settings(rng)
        curve = random_curve(rng, int(rng.integers(5, 40)))
        ran, lrs, rows, restored = run_plain(settings, curve, plain_model)
        our_ran, our_lrs, log = run_cbteach(settings, curve, our_model)
        where = f"case {case}: {settings}"
        assert our_ran == ran, where
        assert our_lrs == lrs, where
        for epoch, row in enumerate(rows, start=1):
            es = next(e for e in log.of("EarlyStopping") if e.epoch == epoch)
            rlr = next(e for e in log.of("ReduceLROnPlateau") if e.epoch == epoch)
            mc = next(e for e in log.of("ModelCheckpoint") if e.epoch == epoch)
            at = f"{where}, epoch {epoch}"
            assert es.wait_after == row["es_wait"], at
            assert same(es.best_after, row["es_best"]), at
            assert (es.action is Action.STOPPED) == row["es_stopped"], at
            assert not row["stop"] or epoch == ran, at  # a stop ends the run
            # a missing monitor: Keras decided nothing, and the event says so
            for short, event in (("es", es), ("rlr", rlr)):
                missing = settings[short]["monitor"] not in curve
                assert (event.action is Action.MISSING) == missing, at
            # a NaN or infinite value, or a best that is: the event's note explains it
            compared = (es, rlr, mc) if settings["mc"]["save_best_only"] else (es, rlr)
            for event in compared:
                bad = [x for x in (event.value, event.best_after) if x is not None]
                assert (event.note is not None) == (not all(map(math.isfinite, bad))), at
            assert rlr.wait_after == row["rlr_wait"], at
            assert same(rlr.best_after, row["rlr_best"]), at
            assert rlr.lr_after == pytest.approx(row["lr"], rel=1e-6), at
            assert (rlr.action is Action.REDUCED_LR) == (rlr.lr_after < rlr.lr_before), at
            assert mc.saved_path == row["saved"], at
            assert (mc.action is Action.SAVED) == (row["saved"] is not None), at
        assert bool(log.with_action(Action.RESTORED)) == restored, where
        for event in log:
            fired[event.action] += 1
    # the random cases must exercise every decision the lessons explain
    for action in Action:
        assert fired[action] > 0, f"no random case produced {action}"


def test_signatures_match_keras_plus_cbteach_keywords():
    pairs = [
        (EarlyStopping, keras.callbacks.EarlyStopping),
        (ReduceLROnPlateau, keras.callbacks.ReduceLROnPlateau),
        (ModelCheckpoint, keras.callbacks.ModelCheckpoint),
    ]
    for ours, theirs in pairs:
        assert issubclass(ours, theirs)
        assert ours.__name__ == theirs.__name__
        keras_params = {
            n: p.default
            for n, p in inspect.signature(theirs).parameters.items()
            if p.kind is not p.VAR_KEYWORD
        }
        our_params = {n: p.default for n, p in inspect.signature(ours).parameters.items()}
        for name, default in keras_params.items():
            assert our_params[name] == default, (ours.__name__, name)
        assert set(our_params) - set(keras_params) <= {"log", "explain", "strict", "write"}


@pytest.mark.parametrize(
    ("factory", "typo", "close"),
    [
        (lambda **kw: ReduceLROnPlateau(**kw), "fector", "factor"),
        (lambda **kw: ReduceLROnPlateau(**kw), "patienc", "patience"),
        (lambda **kw: EarlyStopping(**kw), "patienc", "patience"),
        (lambda **kw: EarlyStopping(**kw), "restore_best_weight", "restore_best_weights"),
        (lambda **kw: ModelCheckpoint("m.keras", **kw), "save_best_ony", "save_best_only"),
        (lambda **kw: ModelCheckpoint("m.keras", **kw), "monitr", "monitor"),
    ],
)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_misspelled_argument_is_refused_with_the_closest_name(factory, typo, close, lang):
    i18n.set_language(lang)
    with pytest.raises(TypeError) as info:
        factory(**{typo: 1})
    message = str(info.value)
    assert f"`{typo}`" in message and f"`{close}`" in message
    expected = i18n.t("callbacks.unknown_argument", callback="X", name=typo, close=close)
    assert expected.split("`")[-1] in message  # the sentence is the catalog's, in that language


def test_plain_keras_silently_swallows_the_typo_that_cbteach_refuses():
    plain = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", fector=0.3, patienc=10)
    assert plain.factor == 0.1 and plain.patience == 10  # the defaults: the typo was ignored
    with pytest.raises(TypeError, match="factor"):
        ReduceLROnPlateau(monitor="val_loss", fector=0.3, patienc=10)


def test_removed_keras2_arguments_say_what_to_write_instead():
    i18n.set_language("en")
    with pytest.raises(TypeError, match='save_freq="epoch"'):
        ModelCheckpoint("m.keras", period=2)
    with pytest.raises(TypeError, match="min_delta"):
        ReduceLROnPlateau(epsilon=1e-3)
    i18n.set_language("ko")
    with pytest.raises(TypeError, match="삭제"):
        ModelCheckpoint("m.keras", period=2)


def test_an_argument_with_no_close_match_lists_the_valid_ones():
    i18n.set_language("en")
    with pytest.raises(TypeError, match="min_delta, patience"):
        EarlyStopping(bogus=1)


def test_keras_own_validation_still_applies():
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        ModelCheckpoint("weights.{epoch:02d}-{val_loss:.2f}.hdf5", save_weights_only=True)
    with pytest.raises(ValueError, match="factor"):
        ReduceLROnPlateau(factor=1.0)


def test_explain_prints_one_translated_line_per_epoch(models, capsys):
    _, model = models
    curve = {"loss": [1.0, 0.8, 0.9, 0.95], "val_loss": [1.0, 0.8, 0.9, 0.95]}
    i18n.set_language("en")
    es = EarlyStopping(patience=2, explain=True)
    drive([es], curve, model)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        (
            "epoch 1 · EarlyStopping · val_loss 1.0000 is the first value, so it is the best so far"
            " → wait 0/2"
        ),
        "epoch 2 · EarlyStopping · val_loss 0.8000 improved on best 1.0000 → new best, wait 0/2",
        (
            "epoch 3 · EarlyStopping · val_loss 0.9000 did not improve on best 0.8000 (epoch 2)"
            " → wait 1/2"
        ),
        (
            "epoch 4 · EarlyStopping · val_loss 0.9500 did not improve on best 0.8000 (epoch 2)"
            " → wait 2/2: patience used up, training stops"
        ),
    ]
    i18n.set_language("ko")
    drive([EarlyStopping(patience=2, explain=True)], curve, model)
    assert "인내(patience)" in capsys.readouterr().out


def test_a_first_value_that_misses_the_baseline_is_explained_as_a_wait(models, capsys):
    """KERAS_FACTS: the first value is always the best, but wait goes back to 0 only past
    the baseline, so an epoch-1 value that misses it leaves wait at 1."""
    _, model = models
    curve = {"val_loss": [1.0, 0.8, 0.5, 0.6]}
    plain = keras.callbacks.EarlyStopping(patience=3, baseline=0.7)
    waits = []

    class Wait(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            waits.append(plain.wait)

    drive([plain, Wait()], curve, model)
    for lang in ("en", "ko"):
        i18n.set_language(lang)
        es = EarlyStopping(patience=3, baseline=0.7, explain=True)
        drive([es], curve, model)
        first = capsys.readouterr().out.splitlines()[0]
        (event,) = [e for e in es.events if e.epoch == 1]
        assert event.reason == "events.es_first_below_baseline"
        assert [e.wait_after for e in es.events] == waits == [1, 2, 0, 1]
        expected = i18n.t(
            "events.es_first_below_baseline",
            monitor="val_loss",
            value="1.0000",
            wait_after=1,
            patience=3,
        )
        assert first.endswith(expected), first
    assert first.endswith("기준값(baseline)에 못 미쳐 대기(wait)에 셉니다 → 대기 1/3")
    i18n.set_language("en")
    drive([EarlyStopping(patience=3, explain=True)], curve, model)  # no baseline: a plain first
    assert "falls short" not in capsys.readouterr().out


def test_patience_zero_stops_where_patience_one_does(models):
    """KERAS_FACTS: wait >= patience, so patience=0 behaves exactly like patience=1."""
    _, model = models
    curve = {"val_loss": [1.0, 0.8, 0.9, 0.95, 0.99, 1.0]}
    stops = {}
    for patience in (0, 1, 2):
        es = EarlyStopping(patience=patience)
        drive([es], curve, model)
        stops[patience] = es.stopped_epoch + 1
    assert stops == {0: 3, 1: 3, 2: 4}


def test_restore_best_weights_restores_even_without_an_early_stop(models):
    _, model = models
    es = EarlyStopping(patience=10, restore_best_weights=True)
    drive([es], {"val_loss": [1.0, 0.5, 0.7]}, model)
    (event,) = es.events.with_action(Action.RESTORED)
    assert event.best_epoch == 2 and not es.events.with_action(Action.STOPPED)


def test_cooldown_one_changes_nothing(models):
    _, model = models
    curve = {"val_loss": [1.0] + [1.0] * 12}
    traces = {}
    for cooldown in (0, 1, 2):
        rlr = ReduceLROnPlateau(patience=2, cooldown=cooldown, factor=0.5)
        _, _lrs = drive([rlr], curve, model, learning_rate=1e-3)
        traces[cooldown] = [e.epoch for e in rlr.events.with_action(Action.REDUCED_LR)]
    assert traces[0] == traces[1] == [3, 5, 7, 9, 11, 13]
    assert traces[2] == [3, 6, 9, 12]


def test_events_share_one_log_and_record_keras_state(models, tmp_path):
    _, model = models
    log = EventLog(tmp_path / "events.jsonl")
    cbs = [
        ReduceLROnPlateau(patience=1, factor=0.5, min_delta=0, log=log),
        EarlyStopping(patience=3, log=log),
    ]
    drive(cbs, {"val_loss": [1.0, 1.1, 1.2, 1.3]}, model, learning_rate=0.01)
    cut = log.with_action(Action.REDUCED_LR)[0]
    assert (cut.epoch, cut.lr_before, cut.lr_after) == (
        2,
        pytest.approx(0.01),
        pytest.approx(0.005),
    )
    assert [e.callback for e in log][:2] == ["ReduceLROnPlateau", "EarlyStopping"]
    assert len(EventLog.load(tmp_path / "events.jsonl")) == len(log)


def test_package_exports_the_three_callbacks():
    for name in ("ModelCheckpoint", "ReduceLROnPlateau", "EarlyStopping"):
        assert getattr(cbteach, name) is getattr(cbteach.callbacks, name)


def test_an_epoch_checkpoint_does_not_force_a_sync_per_batch(monkeypatch):
    """On backends that dispatch batch hooks to a thread pool (JAX, PyTorch), plain Keras'
    ModelCheckpoint forces them inline even when saving per epoch; cbteach's does not."""
    from keras.src import backend as keras_backend
    from keras.src.callbacks.callback_list import CallbackList

    monkeypatch.setattr(keras_backend, "IS_THREAD_SAFE", True)

    def dispatched_async(callback) -> bool:
        return CallbackList([callback])._async_train

    assert not dispatched_async(keras.callbacks.ModelCheckpoint("best.keras"))
    assert dispatched_async(ModelCheckpoint("best.keras"))
    assert not dispatched_async(ModelCheckpoint("b{batch}.keras", save_freq=5))
    assert dispatched_async(EarlyStopping()) and dispatched_async(ReduceLROnPlateau())


NAN, INF = math.nan, math.inf
# curves where Keras' own handling of NaN, ±inf and a missing monitor is the whole story
SPECIAL_CURVES = [
    [NAN, 0.5, 0.4, 0.3, 0.2, 0.1],  # a NaN first value: Keras keeps it as the best for good
    [0.6, NAN, 0.4, 0.45, NAN, 0.5, 0.52],  # NaN epochs count as epochs without improvement
    [INF, 0.5, 0.4, 0.41, 0.42],  # +inf first, in min mode: beaten by the next value
    [0.5, -INF, 0.4, 0.3],  # -inf in min mode: the best for good
    [NAN, NAN, NAN, NAN],
    [0.5, 0.4, INF, INF, INF, 0.3],
]


def special_cases(rng: np.random.Generator) -> list[tuple[dict, dict]]:
    """(settings, curve) pairs: the special curves, then random ones full of NaN and inf."""
    cases = []
    for values in SPECIAL_CURVES:
        for mode in ("auto", "min", "max"):
            settings = random_settings(rng)
            for part in settings.values():
                part.update(monitor="val_loss", mode=mode)
            settings["mc"]["save_best_only"] = True
            curve = random_curve(rng, len(values))
            curve["val_loss"] = [float(x) for x in values]
            cases.append((settings, curve))
    for _ in range(40):
        settings, curve = random_settings(rng), random_curve(rng, int(rng.integers(3, 15)))
        for index in rng.choice(len(curve["val_loss"]), size=2):
            curve["val_loss"][index] = float(rng.choice([NAN, INF, -INF]))
        if rng.random() < 0.3:  # a monitor the logs lack, with an explicit mode (Keras warns)
            part = settings[rng.choice(["es", "rlr", "mc"])]
            part.update(monitor="val_acc", mode=rng.choice(["min", "max"]))
        cases.append((settings, curve))
    return cases


def files_and_restores(callbacks, curve, model, folder) -> tuple[int, list, list, bool]:
    """Drive ``callbacks`` over ``curve`` in ``folder``: epochs, LRs, files written, restored."""
    restored = []
    original = model.set_weights

    def set_weights(weights):
        restored.append(True)
        original(weights)

    saved, cwd = os.getcwd(), folder
    os.makedirs(folder, exist_ok=True)
    os.chdir(folder)
    try:
        with spy(model, "set_weights", set_weights):
            ran, lrs = drive(callbacks, curve, model, learning_rate=1e-3)
    finally:
        os.chdir(saved)
    files = sorted(str(p.relative_to(cwd)) for p in Path(cwd).rglob("*") if p.is_file())
    return ran, lrs, files, bool(restored)


@pytest.mark.filterwarnings("ignore:.*(not available|only with val_acc).*:UserWarning")
@pytest.mark.filterwarnings("ignore::cbteach.validation.InputWarning")
def test_nan_inf_and_missing_monitors_are_keras_decisions_files_included(models, tmp_path):
    """Plain Keras and cbteach over the same NaN/inf/missing curves: LRs, stop, restore, files."""
    plain_model, our_model = models
    rng = np.random.default_rng(20261206)
    notes = set()
    for number, (settings, curve) in enumerate(special_cases(rng)):
        mc = {**settings["mc"], "filepath": "ck/{epoch:02d}.weights.h5"}
        plain = [
            keras.callbacks.ModelCheckpoint(**mc),
            keras.callbacks.ReduceLROnPlateau(**settings["rlr"]),
            keras.callbacks.EarlyStopping(**settings["es"]),
        ]
        log = EventLog()
        ours = [
            ModelCheckpoint(**mc, log=log),
            ReduceLROnPlateau(**settings["rlr"], log=log),
            EarlyStopping(**settings["es"], log=log),
        ]
        where = f"case {number}: {settings}, val_loss {curve['val_loss']}"
        expected = files_and_restores(plain, curve, plain_model, tmp_path / f"plain{number}")
        got = files_and_restores(ours, curve, our_model, tmp_path / f"ours{number}")
        assert got == expected, where
        for theirs, mine in zip(plain, ours):
            assert same(to_float(mine.best), to_float(theirs.best)), where
            assert getattr(mine, "wait", None) == getattr(theirs, "wait", None), where
        assert ours[2].stopped_epoch == plain[2].stopped_epoch, where
        saves = [e.saved_path for e in log.with_action(Action.SAVED)]
        assert sorted(set(saves)) == [f for f in got[2] if f.endswith(".h5")], where
        notes |= {e.note for e in log if e.note is not None}
    # every note the lessons rely on was produced by a real Keras decision
    assert notes >= {
        "events.note_nan_best",
        "events.note_nan_diverged",
        "events.note_inf",
        "events.note_inf_best",
    }
