"""Nothing a learner types breaks the lesson: each bad input gets a translated message.

One table, :data:`CASES`, drives the test and the table in ``docs/BAD_INPUTS.md``. Each
case is the code a learner might write, run as written (``eval``) in a prepared folder,
once in Korean and once in English. It must raise the named error, or warn (and, where
the mistake shows only once training runs, stop training cleanly at the end of epoch 1),
or record an event that explains a NaN or infinite value: never pass silently. Each
message must say what to write instead (``expect`` appears in it, in both languages).

``python tests/test_bad_inputs.py`` rewrites ``docs/BAD_INPUTS.md``; a test fails when it
is out of date.
"""

from __future__ import annotations

import math
import os
import re
import string
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import pytest

from cbteach import Action, EarlyStopping, EventLog, ModelCheckpoint, ReduceLROnPlateau, i18n
from cbteach.arguments import check_fit_arguments, check_train_arguments
from cbteach.data import MnistData
from cbteach.replay import drive, standin_model
from cbteach.training import train
from cbteach.validation import InputWarning
from cbteach.widgets import CALLBACKS, Playground, check_callbacks, check_controls

DOC = Path(__file__).resolve().parent.parent / "docs" / "BAD_INPUTS.md"
HOME = "/home/learner"  # the prepared folder's path, as the doc shows it
HANGUL = re.compile("[가-힣]")

# ---------------------------------------------------------------------- what a case is

#: When a case is caught, as the doc says it.
WHEN = {
    "build": "construction",
    "begin": "start of training (`on_train_begin`)",
    "epoch": "during training (Keras warns and decides nothing; cbteach warns too)",
    "epoch_error": "end of epoch 1 (Keras' own exception, with a translated note)",
    "event": "during training (Keras decides; the event's note explains)",
    "call": "the call itself",
}

#: What cbteach does at each moment: refuse before training, or explain Keras' own decision.
STANCE = {
    "build": "refuses (or warns) before training",
    "begin": "refuses before training",
    "epoch": "explains Keras' decision",
    "epoch_error": "explains Keras' decision",
    "event": "explains Keras' decision",
    "call": "cbteach's own function refuses",
}

#: What the learner gets, besides an error: a warning, or an event that explains.
WARNS, EVENT = "InputWarning", "event"


@dataclass(frozen=True)
class Case:
    """One bad input: the code as typed, when it is caught, what it raises, what to write."""

    name: str
    code: str
    when: str
    outcome: str  # an exception's name, WARNS or EVENT
    expect: str  # what to write instead: in the message, in both languages


def c(name: str, code: str, when: str, outcome: str, expect: str) -> Case:
    return Case(name, code, when, outcome, expect)


T, V, P = "TypeError", "ValueError", "PermissionError"
SEED = "weights.{epoch:02d}-{val_loss:.2f}"

# fmt: off
CASES = [
    # the study notes' own lines
    c("notes_rlr", "ReduceLROnPlateau(monitor='val_loss', fector=0.3, patienc=10, mode='min')",
      "build", T, "`factor`"),
    c("notes_rlr_patienc", "ReduceLROnPlateau(monitor='val_loss', patienc=10)", "build", T,
      "`patience`"),
    c("notes_es_patienc", "EarlyStopping(monitor='val_loss', patienc=20, mode='min')", "build", T,
      "`patience`"),
    c("notes_period", "ModelCheckpoint('best.keras', period=5)", "build", T, 'save_freq="epoch"'),
    c("notes_hdf5", f"ModelCheckpoint('{SEED}.hdf5', save_weights_only=True)", "build", V,
      f"{SEED}.weights.h5"),
    c("notes_getcwd", "ModelCheckpoint(os.getcwd() + 'weights.{epoch:02d}.keras')", "build",
      WARNS, 'os.path.join(os.getcwd(), "weights.{epoch:02d}.keras")'),
    c("notes_batch_szie", "train([EarlyStopping()], batch_szie=128)", "call", T, "`batch_size`"),
    c("notes_epoch", "train([EarlyStopping()], epoch=10)", "call", T, "`epochs`"),
    c("notes_fit_batch_szie", "check_fit_arguments(x=x, y=y, batch_szie=128, epochs=10)", "call",
      T, "`batch_size`"),
    c("notes_fit_epoch", "check_fit_arguments(x=x, y=y, batch_size=128, epoch=10)", "call", T,
      "`epochs`"),
    # other names
    c("removed_epsilon", "ReduceLROnPlateau(epsilon=1e-4)", "build", T, "min_delta"),
    c("typo_save_best_only", "ModelCheckpoint('best.keras', save_best_ony=True)", "build", T,
      "`save_best_only`"),
    c("train_fit_only", "train([EarlyStopping()], validation_data=(x, y))", "call", T,
      "data=load_mnist()"),
    # modes and monitors
    c("mode_minimum", "EarlyStopping(mode='minimum')", "build", V, 'mode="min"'),
    c("mode_unknown", "ReduceLROnPlateau(mode='lower')", "build", V, 'mode="min"'),
    c("monitor_list", "fit(EarlyStopping(monitor=['val_loss']))", "begin", T, 'monitor="val_loss"'),
    c("monitor_val_acc", "fit(EarlyStopping(monitor='val_acc'))", "epoch_error", V,
      'monitor="val_accuracy"'),
    c("monitor_val_acc_rlr", "fit(ReduceLROnPlateau(monitor='val_acc', mode='max'))", "epoch",
      WARNS, 'monitor="val_accuracy"'),
    c("monitor_val_los_mc", "fit(ModelCheckpoint('best.keras', monitor='val_los', "
      "save_best_only=True))", "epoch_error", V, 'monitor="val_loss"'),
    c("monitor_val_los_mc_min", "fit(ModelCheckpoint('best.keras', monitor='val_los', "
      "mode='min', save_best_only=True))", "epoch", WARNS, 'monitor="val_loss"'),
    c("monitor_unknown", "fit(EarlyStopping(monitor='f1'))", "epoch_error", V,
      'monitor="val_loss"'),
    c("monitor_unknown_min", "fit(EarlyStopping(monitor='f1', mode='min'))", "epoch", WARNS,
      'monitor="val_loss"'),
    c("train_monitor_typo", "train([EarlyStopping(monitor='val_los')])", "begin", V,
      'monitor="val_loss"'),
    c("fit_monitor_no_validation", "(check_fit_arguments(x=x, y=y, callbacks=[es := "
      "EarlyStopping(monitor='val_loss')]), fit(es, validation=False))", "begin", V,
      "validation_data="),
    c("monitor_no_validation", "fit(EarlyStopping(monitor='val_loss'), validation=False)", "epoch",
      WARNS, "validation_data="),
    c("auto_mode_custom_metric", "fit(EarlyStopping(monitor='val_my_metric'), metrics=[my_metric])",
      "epoch_error", V, 'mode="min"'),
    # numbers
    c("patience_negative", "EarlyStopping(patience=-1)", "build", V, "patience=1"),
    c("patience_negative_rlr", "ReduceLROnPlateau(patience=-3)", "build", V, "patience=3"),
    c("patience_fraction", "EarlyStopping(patience=2.5)", "build", T, "patience=2"),
    c("min_delta_negative", "EarlyStopping(min_delta=-0.01)", "build", V, "min_delta=0.01"),
    c("start_from_epoch_negative", "EarlyStopping(start_from_epoch=-2)", "build", V,
      "start_from_epoch=2"),
    c("baseline_text", "EarlyStopping(baseline='0.3')", "build", T, "baseline=0.3"),
    c("factor_one", "ReduceLROnPlateau(factor=1.0)", "build", V, "factor=0.3"),
    c("factor_three", "ReduceLROnPlateau(factor=3)", "build", V, "factor=0.3"),
    c("factor_zero", "ReduceLROnPlateau(factor=0)", "build", V, "factor=0.3"),
    c("factor_negative", "ReduceLROnPlateau(factor=-0.5)", "build", V, "factor=0.3"),
    c("factor_text", "ReduceLROnPlateau(factor='0.3')", "build", T, "factor=0.3"),
    c("cooldown_negative", "ReduceLROnPlateau(cooldown=-1)", "build", V, "cooldown=1"),
    c("min_lr_negative", "ReduceLROnPlateau(min_lr=-1e-5)", "build", V, "min_lr=1e-5"),
    c("min_lr_above_lr", "fit(ReduceLROnPlateau(min_lr=0.01))", "begin", V, "min_lr=1e-05"),
    c("lr_schedule", "fit(ReduceLROnPlateau(), optimizer=keras.optimizers.Adam("
      "keras.optimizers.schedules.ExponentialDecay(1e-3, 100, 0.9)))", "begin", T,
      "keras.optimizers.Adam(learning_rate=1e-3)"),
    # file names
    c("filepath_number", "ModelCheckpoint(42)", "build", T, 'filepath="checkpoints/best.keras"'),
    c("hdf5_model", "ModelCheckpoint('best.hdf5')", "build", V, "best.keras"),
    c("keras_weights", "ModelCheckpoint('best.keras', save_weights_only=True)", "build", V,
      "best.weights.h5"),
    c("h5_weights", "ModelCheckpoint('best.h5', save_weights_only=True)", "build", V,
      "best.weights.h5"),
    c("no_suffix_model", "ModelCheckpoint('checkpoints/best')", "build", V,
      "checkpoints/best.keras"),
    c("no_suffix_weights", "ModelCheckpoint('best', save_weights_only=True)", "build", V,
      "best.weights.h5"),
    c("h5_model", "ModelCheckpoint('best.h5')", "build", WARNS, "best.keras"),
    c("batch_with_epochs", "ModelCheckpoint('w.{epoch:02d}-{batch:03d}.keras')", "build", V,
      "save_freq=N"),
    c("brace_unclosed", "ModelCheckpoint('w.{epoch:02d.keras')", "build", V, "{epoch:02d}"),
    c("brace_empty", "ModelCheckpoint('w{}.keras')", "build", V, "{epoch:02d}"),
    c("format_spec", "ModelCheckpoint('w.{val_loss:02d}.keras')", "build", V, "{val_loss:.2f}"),
    c("save_freq_text", "ModelCheckpoint('best.keras', save_freq='batch')", "build", V,
      'save_freq="epoch"'),
    c("save_freq_zero", "ModelCheckpoint('best.keras', save_freq=0)", "build", V,
      "save_freq=100"),
    c("val_placeholder_at_batches", "fit(ModelCheckpoint('w.{val_loss:.2f}.keras', "
      "save_freq=2))", "begin", V, "{loss:.2f}"),
    c("val_monitor_at_batches", "fit(ModelCheckpoint('best.keras', save_freq=2, "
      "save_best_only=True))", "begin", V, 'save_freq="epoch"'),
    c("best_at_batches", "fit(ModelCheckpoint('best.keras', monitor='loss', save_freq=1, "
      "save_best_only=True))", "begin", V, 'save_freq="epoch"'),
    c("placeholder_typo", "fit(ModelCheckpoint('w.{epoch:02d}-{val_los:.2f}.keras'))", "begin", V,
      "{val_loss:.2f}"),
    c("placeholder_unknown", "fit(ModelCheckpoint('w.{score:.2f}.keras'))", "begin", V,
      "{epoch:02d}"),
    c("placeholder_no_validation", "(check_fit_arguments(x=x, y=y, callbacks=[mc := "
      "ModelCheckpoint('w.{val_loss:.2f}.keras')]), fit(mc, validation=False))", "begin", V,
      "{loss:.2f}"),
    c("placeholder_no_validation_plain", "fit(ModelCheckpoint('w.{val_loss:.2f}.keras'), "
      "validation=False)", "epoch_error", "KeyError", "{loss:.2f}"),
    c("folder_is_file", "fit(ModelCheckpoint('notes.txt/best.keras'))", "begin", V,
      'os.path.join("checkpoints", "best.keras")'),
    c("folder_not_writable", "fit(ModelCheckpoint('/proc/cbteach/best.keras'))", "begin", P,
      'os.path.join("checkpoints", "best.keras")'),
    c("path_is_folder", "fit(ModelCheckpoint('runs.keras'))", "begin", V,
      'os.path.join("runs.keras", "best.keras")'),
    # NaN and infinity
    c("nan_val_loss_es", "fit(EarlyStopping(patience=3), nan_in_x_val=True)", "event", EVENT,
      "keras.callbacks.TerminateOnNaN()"),
    c("nan_val_loss_rlr", "fit(ReduceLROnPlateau(patience=1), nan_in_x_val=True)", "event", EVENT,
      "keras.callbacks.TerminateOnNaN()"),
    c("nan_val_loss_mc", "fit(ModelCheckpoint('best.keras', save_best_only=True), "
      "nan_in_x_val=True)", "event", EVENT, "keras.callbacks.TerminateOnNaN()"),
    c("nan_loss_es", "fit(EarlyStopping(monitor='loss'), nan_in_x=True)", "event", EVENT,
      "keras.callbacks.TerminateOnNaN()"),
    c("nan_later_val_loss_es", "replayed(EarlyStopping(patience=3), val_loss=[0.5, nan, 0.4], "
      "loss=[0.6, 0.5, 0.4])", "event", EVENT, "np.isnan(x_val).any()"),
    c("inf_val_loss_rlr", "replayed(ReduceLROnPlateau(patience=1), val_loss=[inf, 0.5, 0.4])",
      "event", EVENT, "keras.callbacks.TerminateOnNaN()"),
    # train()
    c("train_epochs_negative", "train([EarlyStopping()], epochs=-5)", "call", V, "epochs=20"),
    c("train_epochs_fraction", "train([EarlyStopping()], epochs=2.5)", "call", T, "epochs=2"),
    c("train_epochs_text", "train([EarlyStopping()], epochs='10')", "call", T, "epochs=10"),
    c("train_batch_zero", "train([EarlyStopping()], batch_size=0)", "call", V, "batch_size=128"),
    c("train_label_ten", "train([EarlyStopping()], data=labelled([1, 5, 10]))", "call", V,
      'np.argmax(y_train, axis=1)'),
    c("train_labels_one_hot", "train([EarlyStopping()], data=labelled(np.eye(10)[[1, 5]]))",
      "call", V, 'np.argmax(y_train, axis=1)'),
    c("train_learning_rate_negative", "train([EarlyStopping()], learning_rate=-1e-3)", "call", V,
      "learning_rate=1e-3"),
    c("fit_batch_size_negative", "check_fit_arguments(x=x, y=y, batch_size=-32)", "call", V,
      "batch_size=32"),
    # the Playground's controls
    c("playground_control", "Playground(['overfit'], controls=('es_patients',))", "call", V,
      "es_patience"),
    c("playground_control_owner", "check_controls(('factor',), ('EarlyStopping',))", "call", V,
      "callbacks"),
    c("playground_callback", "check_callbacks(('EarlyStoping',))", "call", V, "EarlyStopping"),
    c("playground_run", "Playground(['overfitt'])", "call", V, "overfit"),
]
# fmt: on

# ---------------------------------------------------------------------- running a case


@dataclass
class Fitted:
    """What a short run did: how many epochs ran, and the callbacks' events."""

    epochs: int
    events: EventLog


def my_metric(y_true, y_pred):
    """A metric with no direction: mode="auto" cannot resolve it."""
    return keras.ops.mean(y_pred)


def fit(
    *callbacks,
    validation=True,
    metrics=("accuracy",),
    optimizer=None,
    nan_in_x=False,
    nan_in_x_val=False,
) -> Fitted:
    """``model.fit`` of a small compiled model for up to 3 epochs, validated unless told not."""
    rng = np.random.default_rng(0)
    x, y = rng.random((32, 4), dtype="float32"), rng.integers(0, 3, 32)
    x_val = x.copy()
    if nan_in_x:
        x[:, 0] = np.nan
    if nan_in_x_val:
        x_val[0, 0] = np.nan
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(
        optimizer=optimizer or keras.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=list(metrics),
        run_eagerly=True,  # no tracing: a few batches run faster eagerly
    )
    history = model.fit(
        x,
        y,
        epochs=3,
        batch_size=16,
        validation_data=(x_val, y) if validation else None,
        callbacks=list(callbacks),
        verbose=0,
    )
    return Fitted(len(history.epoch), EventLog.merge(cb.log for cb in callbacks))


def replayed(*callbacks, **curve) -> Fitted:
    """The callbacks driven over a recorded-style curve on the replay's stand-in model."""
    ran, _ = drive(callbacks, curve, standin_model())
    return Fitted(ran, EventLog.merge(cb.log for cb in callbacks))


def labelled(labels) -> MnistData:
    """A few blank images with these training labels (validation labels are all 0)."""
    labels = np.asarray(labels)
    images = np.zeros((len(labels), 28, 28, 1), "float32")
    blank, zeros = np.zeros((2, 28, 28, 1), "float32"), np.zeros(2, "int64")
    return MnistData(images, labels, blank, zeros, blank, zeros, "sample", 0, "test", "")


def namespace() -> dict:
    rng = np.random.default_rng(0)
    return {
        "os": os,
        "keras": keras,
        "inf": math.inf,
        "nan": math.nan,
        "x": rng.random((8, 4)),
        "y": rng.integers(0, 3, 8),
        "EarlyStopping": EarlyStopping,
        "ReduceLROnPlateau": ReduceLROnPlateau,
        "ModelCheckpoint": ModelCheckpoint,
        "train": train,
        "labelled": labelled,
        "np": np,
        "fit": fit,
        "replayed": replayed,
        "my_metric": my_metric,
        "check_fit_arguments": check_fit_arguments,
        "Playground": Playground,
        "check_controls": check_controls,
        "check_callbacks": check_callbacks,
        "CALLBACKS": CALLBACKS,
    }


@dataclass
class Seen:
    """What the learner saw: the error's or warning's name (EVENT for an event), its text."""

    outcome: str | None
    message: str
    result: object = None


def _not_finite_event(result) -> str | None:
    if not isinstance(result, Fitted):
        return None
    for event in result.events:
        if event.note is not None:
            return event.explain()
    return None


def observe(case: Case, lang: str) -> Seen:
    """Run the case's code as written, in ``lang``, and keep what the learner sees."""
    i18n.set_language(lang)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = eval(case.code, namespace())  # the table's own code, as the doc shows it
        except Exception as error:  # noqa: BLE001 - which one it is, is the point of the case
            text = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
            return Seen(type(error).__name__, "\n".join([text, *getattr(error, "__notes__", [])]))
    ours = [w for w in caught if issubclass(w.category, InputWarning)]
    if ours:
        return Seen(WARNS, str(ours[0].message), result)
    explained = _not_finite_event(result)
    if explained is not None:
        return Seen(EVENT, explained, result)
    return Seen(None, "", result)  # a silent acceptance


@contextmanager
def learner_folder(base: Path) -> Iterator[Path]:
    """A working folder holding a file and a folder the cases need; cwd for the block."""
    lesson = base / "lesson"
    (lesson / "runs.keras").mkdir(parents=True, exist_ok=True)
    (lesson / "notes.txt").write_text("my notes\n", encoding="utf-8")
    saved, language = os.getcwd(), i18n._current
    os.chdir(lesson)
    try:
        yield lesson
    finally:
        os.chdir(saved)
        i18n._current = language


def collect(base: Path) -> dict[str, dict[str, Seen]]:
    """Every case in both languages, paths under ``base`` shown as under /home/learner."""
    seen: dict[str, dict[str, Seen]] = {}
    with learner_folder(base):
        for case in CASES:
            seen[case.name] = {}
            for lang in ("en", "ko"):
                found = observe(case, lang)
                found.message = found.message.replace(str(base), HOME)
                seen[case.name][lang] = found
    return seen


# ---------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def seen(tmp_path_factory) -> dict[str, dict[str, Seen]]:
    return collect(tmp_path_factory.mktemp("learner"))


def test_the_catalogue_is_large_and_names_each_case_once():
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)
    assert all(case.when in WHEN for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_bad_input_gets_a_translated_message_that_says_what_to_write(case, seen):
    if case.name == "folder_not_writable" and not os.path.isdir("/proc"):
        pytest.skip("needs /proc: a folder nobody can write in")
    en, ko = seen[case.name]["en"], seen[case.name]["ko"]
    for found in (en, ko):
        assert found.outcome == case.outcome, (case.code, found.message)
        assert case.expect in found.message, found.message
    assert not HANGUL.search(en.message), en.message
    assert HANGUL.search(ko.message), ko.message
    if case.when == "epoch":  # Keras went on to the end, deciding nothing on the missing value
        assert ko.result.epochs == 3
        assert {e.action for e in ko.result.events} <= {Action.MISSING, Action.SAVED}


def test_every_message_of_the_validation_catalog_is_tried(seen):
    shown = " ".join(found["en"].message for found in seen.values())
    for key, text in i18n.catalog("en").items():
        if key.startswith("validation."):
            literal = max((part for part, *_ in string.Formatter().parse(text)), key=len)
            assert literal in shown, key


def test_no_bad_input_is_accepted_silently(seen):
    silent = [name for name, found in seen.items() if found["en"].outcome is None]
    assert silent == []


def test_nan_is_keras_decision_and_the_note_says_what_to_add(seen):
    """Every val_loss NaN (NaN in the validation images): Keras keeps the first as the best."""
    es = seen["nan_val_loss_es"]["en"].result
    assert es.epochs == 3  # patience 3 is not used up in 3 epochs: Keras does not stop
    assert [e.wait_after for e in es.events] == [0, 1, 2]
    assert all(math.isnan(e.best_after) for e in es.events)
    assert {e.note for e in es.events} == {"events.note_nan_best"}
    rlr = seen["nan_val_loss_rlr"]["en"].result  # patience 1: a cut at every later epoch
    assert [e.action for e in rlr.events] == [Action.IMPROVED, *[Action.REDUCED_LR] * 2]
    mc = seen["nan_val_loss_mc"]["en"].result  # saved the NaN epoch, then never again
    assert [e.action for e in mc.events] == [Action.SAVED, Action.SKIPPED, Action.SKIPPED]
    inf = seen["inf_val_loss_rlr"]["en"].result  # +inf first, in min mode: beaten at once
    assert [e.action for e in inf.events] == [Action.IMPROVED] * 3
    assert [e.note for e in inf.events] == ["events.note_inf", None, None]


def test_plain_keras_and_cbteach_keep_a_nan_first_value_as_the_best_for_good():
    """Keras' `_is_improvement` is True while best is None, and False against NaN after."""
    curve, model = {"val_loss": [math.nan, 0.5, 0.4, 0.3]}, standin_model()
    plain, ours = keras.callbacks.EarlyStopping(patience=1), EarlyStopping(patience=1)
    assert drive([plain], curve, model)[0] == drive([ours], curve, model)[0] == 2
    assert math.isnan(plain.best) and math.isnan(ours.best)
    assert plain.stopped_epoch == ours.stopped_epoch == 1  # stopped while improving
    assert ours.log[-1].note == "events.note_nan_best"
    assert "TerminateOnNaN" in ours.log[-1].explain("ko")


def test_train_tells_the_callbacks_there_is_validation_data():
    checkpoint = ModelCheckpoint("w.{val_loss:.2f}.keras", write=False)
    assert checkpoint._validation is None
    check_train_arguments({}, valid=["epochs"], epochs=3, batch_size=32, callbacks=[checkpoint])
    assert checkpoint._validation is True
    check_fit_arguments(x=[], y=[], callbacks=[checkpoint])
    assert checkpoint._validation is False


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="docs/BAD_INPUTS.md is made on TensorFlow: when Keras builds the compiled metrics, "
    "and so where mode='auto' on an unknown metric fails, differs between backends",
)
def test_the_doc_is_up_to_date(seen):
    assert DOC.read_text(encoding="utf-8") == render(seen), (
        "docs/BAD_INPUTS.md is out of date: run `python tests/test_bad_inputs.py`"
    )


# ---------------------------------------------------------------------- the doc


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


MADE_BY = "<!-- made by `python tests/test_bad_inputs.py` from its table CASES: do not edit -->"
INTRO = (
    "Every input below was tried, as written, by `tests/test_bad_inputs.py`, in Korean and in"
    " English. Each raises an error, warns, or records an event that says what is wrong and"
    " what to write instead; none is accepted silently."
)
DECISIONS = """\
## Before training cbteach may refuse; during training Keras decides

cbteach's callbacks are Keras' classes plus a recorder. Before training (construction,
`on_train_begin`) they may refuse what Keras would accept and then misuse or silently drop;
during training every decision is Keras' own, and cbteach only explains it. Each departure
from Keras is listed, with the Keras test case it departs from, in
[STRICTER.md](STRICTER.md); `strict=False` on a callback turns the refusals into warnings.

- **Construction** (refused before training): names (`fector`, `patienc`, `period`), numbers
  (a negative `patience`, `factor` outside 0..1, a negative `min_delta`, which Keras would
  silently make positive), `mode`, and everything about a file name that does not depend on
  the model: its suffix, its `{placeholders}` and their format, `{batch}` when saving per
  epoch, `os.getcwd() + "..."` without a separator.
- **`on_train_begin`** (refused before training): what needs the model. Keras 3.15.1 gives
  a callback only `params = {verbose, epochs, steps}` there, and on the TensorFlow backend
  the compiled metrics are built only when the first batch is traced, so the names the logs
  will hold are read from what the model was compiled with (`loss` and the compiled metrics,
  for a single-output model). Whether there will be validation data is not knowable there
  from Keras; `cbteach.training.train()` always validates and says so to the callbacks, and
  so does `check_fit_arguments(..., validation_data=..., callbacks=[...])` before a learner's
  own `model.fit`. Also checked here: `min_lr` above the optimizer's starting learning rate,
  an optimizer driven by a `LearningRateSchedule`, a folder that cannot be written, a
  `monitor` that is not text, `val_` names in a checkpoint saved every N batches (whose logs
  hold no validation values; a replay has no batches, so it is not checked there),
  `save_best_only=True` with a `save_freq` below the batches of an epoch (Keras 3.15.1
  crashes at the second save of the first epoch), and a `monitor` or `{placeholder}` the logs
  will not hold, where `train()` or `check_fit_arguments` said whether `fit` validates.
- **During training** (Keras decides, cbteach explains): in a plain `model.fit`, where
  cbteach cannot know the names before training, a monitored value the logs lack makes Keras
  warn and decide nothing (EarlyStopping cannot stop, ReduceLROnPlateau cannot
  cut, ModelCheckpoint with `save_best_only=True` saves anyway); cbteach warns too, in the
  learner's language, with the closest name, and records a `missing` event. `mode="auto"` on
  a name Keras cannot resolve, and a `{placeholder}` the logs cannot fill, end training where
  Keras ends it, with Keras' own `ValueError` or `KeyError`, carrying a translated note on
  what to write instead.
- **NaN and infinity** (Keras decides, cbteach explains): Keras has no special case. A NaN
  epoch counts as one without improvement; a NaN *first* value becomes the best for good
  (nothing compares better than NaN), so EarlyStopping stops after `patience` epochs however
  much the metric improves, ReduceLROnPlateau cuts every `patience` epochs, and
  ModelCheckpoint(`save_best_only=True`) saves that epoch and never again. ±inf compares
  like any number. The epoch's event carries a note saying which of these happened, where a
  NaN comes from (the training loss too: training diverged; only the validation value: the
  validation data), and what to add: `keras.callbacks.TerminateOnNaN()`.
"""
NOTE = (
    "`fit(*callbacks, validation=True, ...)` in the table is `model.fit` of a small compiled"
    ' model (`metrics=["accuracy"]`, Adam at 1e-3, run eagerly) for up to 3 epochs, with'
    " validation data unless `validation=False`; `replayed(...)` drives the callbacks over a"
    " curve with `cbteach.replay.drive`. The working folder is `/home/learner/lesson`, which"
    " holds a file `notes.txt` and a folder `runs.keras`."
)


def render(seen: dict[str, dict[str, Seen]]) -> str:
    """docs/BAD_INPUTS.md, made from CASES and what each case showed."""
    by_when = {when: sum(case.when == when for case in CASES) for when in WHEN}
    silent = sum(found["en"].outcome is None for found in seen.values())
    lines = [
        "# Bad inputs and what the learner reads",
        "",
        MADE_BY,
        "",
        INTRO,
        "",
        f"- inputs tried: **{len(CASES)}**",
        f"- silent acceptances: **{silent}**",
    ]
    lines += [f"- caught at {WHEN[when]}: {count}" for when, count in by_when.items()]
    lines += ["", DECISIONS, "## The inputs", "", NOTE, ""]
    lines += [
        "| # | input | caught at | cbteach | what | message (en) | message (ko) |",
        "|---|---|---|---|---|---|---|",
    ]
    for number, case in enumerate(CASES, start=1):
        en, ko = seen[case.name]["en"], seen[case.name]["ko"]
        row = [
            str(number),
            f"`{_cell(case.code)}`",
            WHEN[case.when],
            STANCE[case.when],
            en.outcome or "**accepted silently**",
            _cell(en.message),
            _cell(ko.message),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # rewrite docs/BAD_INPUTS.md
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        text = render(collect(Path(folder)))
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC} ({len(CASES)} inputs)", file=sys.stderr)
