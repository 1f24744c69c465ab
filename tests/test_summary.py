"""summarize(): what each callback did, in a few sentences, read off a Run alone."""

from __future__ import annotations

import dataclasses
import re

import pytest

from cbteach import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, i18n, recorded
from cbteach.replay import CAVEAT_LR, replay
from cbteach.summary import summarize

HANGUL = re.compile(r"[가-힣]")


def three(patience=5, **es):
    return [
        ModelCheckpoint("ckpt/{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True),
        ReduceLROnPlateau(patience=3, factor=0.3),
        EarlyStopping(patience=patience, restore_best_weights=True, **es),
    ]


@pytest.fixture(scope="module")
def overfit():
    return recorded.load("overfit")


@pytest.mark.parametrize("name", recorded.names())
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_each_shipped_run_is_summarised_in_both_languages(name, lang):
    rec = recorded.load(name)
    monitor = rec.suggested_monitor
    callbacks = [
        ModelCheckpoint("ckpt/{epoch:02d}.keras", monitor=monitor, save_best_only=True),
        ReduceLROnPlateau(monitor=monitor, patience=3, factor=0.5),
        EarlyStopping(monitor=monitor, patience=4, restore_best_weights=True),
    ]
    run = replay(rec, callbacks)
    lines = summarize(run, lang)
    assert len(lines) >= 4
    assert all(isinstance(line, str) and line for line in lines)
    if lang == "ko":
        assert all(HANGUL.search(line) for line in lines)
    else:
        assert not any(HANGUL.search(line) for line in lines)
    text = " ".join(lines)
    assert monitor in text
    if run.stopped_epoch:
        expected = (
            f"epoch {run.stopped_epoch} of" if lang == "en" else f"에포크 {run.stopped_epoch}에서"
        )
        assert expected in text
    assert (i18n.t(CAVEAT_LR, lang) in lines) == (CAVEAT_LR in run.caveats)


def test_the_stop_sentence_names_the_stop_the_best_epoch_and_the_restore(overfit):
    run = replay(overfit, three(patience=5))
    stop, best = run.stopped_epoch, run.restored_epoch
    assert stop is not None and best is not None
    line = next(x for x in summarize(run, "en") if x.startswith("EarlyStopping stops"))
    assert f"at epoch {stop} of {overfit.epochs}" in line
    assert f"for {stop - best} epochs (patience 5) since its best, epoch {best}" in line
    assert f"The weights of epoch {best}, the best, are restored" in line


def test_a_patience_longer_than_the_run_lets_every_epoch_run(overfit):
    run = replay(overfit, [EarlyStopping(patience=1000)])
    lines = summarize(run, "en")
    assert f"EarlyStopping never runs out of patience: all {overfit.epochs} epochs run." in lines
    assert any(f"{overfit.epochs} 에포크를 모두" in x for x in summarize(run, "ko"))


def test_lr_cuts_list_their_epochs_and_the_final_lr(overfit):
    run = replay(overfit, three(patience=12))
    cuts = run.lr_cuts
    assert len(cuts) >= 2
    line = next(x for x in summarize(run, "en") if x.startswith("ReduceLROnPlateau cuts"))
    epochs = ", ".join(str(e.epoch) for e in cuts)
    assert f"at epochs {epochs}:" in line
    assert f"to {i18n.lr(cuts[-1].lr_after)} in the end" in line
    assert f"from {i18n.lr(overfit.lrs[0])}" in line
    assert CAVEAT_LR in run.caveats and i18n.t(CAVEAT_LR, "en") in summarize(run, "en")


def test_no_cut_no_caveat(overfit):
    run = replay(overfit, [ReduceLROnPlateau(patience=200)])
    lines = summarize(run, "en")
    assert any(x.startswith("ReduceLROnPlateau never cuts") for x in lines)
    assert i18n.t(CAVEAT_LR, "en") not in lines


def test_checkpoint_counts_files_and_names_the_last(overfit):
    run = replay(overfit, three())
    last = run.saves[-1]
    line = next(x for x in summarize(run, "en") if x.startswith("ModelCheckpoint"))
    assert line == (
        f"ModelCheckpoint would write {len(run.saves)} files (a replay writes none); "
        f"the last at epoch {last.epoch}: {last.saved_path}"
    )
    every = replay(overfit, [ModelCheckpoint("c/{epoch}.keras"), EarlyStopping(patience=3)])
    assert any("every epoch (save_best_only=False" in x for x in summarize(every, "en"))


def test_a_fixed_file_name_is_one_file_written_over_not_many_files(overfit):
    # "best.keras" has no {placeholders}: every save overwrites the one file
    every = replay(overfit, [ModelCheckpoint("best.keras", save_best_only=False)])
    n, last = len(every.saves), every.saves[-1]
    assert n == every.epochs > 1 and {s.saved_path for s in every.saves} == {"best.keras"}
    en = [x for x in summarize(every, "en") if x.startswith("ModelCheckpoint would")]
    assert en == [
        (
            "ModelCheckpoint would write every epoch (save_best_only=False; a replay writes none) "
            f"to one file, best.keras, {n} times (each save overwrites it); "
            f"the last at epoch {last.epoch}."
        )
    ]
    ko = " ".join(summarize(every, "ko"))
    assert f"파일 하나(best.keras)에 {n}번 썼을 것입니다" in ko
    assert f"마지막 저장은 에포크 {last.epoch}입니다" in ko
    assert "files" not in en[0] and f"파일 {n}개" not in ko
    best = replay(overfit, [ModelCheckpoint("best.keras", save_best_only=True)])
    live = dataclasses.replace(best, replay_of=None, caveats=[])
    n, last = len(best.saves), best.saves[-1]
    assert n > 1
    text = " ".join(summarize(live, "en"))
    assert f"ModelCheckpoint writes one file, best.keras, {n} times" in text
    assert f"the last at epoch {last.epoch}." in text
    assert f"파일 하나(best.keras)에 {n}번 저장합니다" in " ".join(summarize(live, "ko"))


def test_restore_best_weights_false_says_the_last_weights_stay(overfit):
    run = replay(overfit, [EarlyStopping(patience=5)])
    text = " ".join(summarize(run, "en"))
    assert "keeps the weights of the last epoch" in text and "restore_best_weights=False" in text


def test_baseline_not_reached_is_explained(overfit):
    run = replay(overfit, [EarlyStopping(patience=3, baseline=0.2)])
    text = " ".join(summarize(run, "en"))
    assert "never reached the baseline 0.2" in text


def test_a_loss_maximised_is_flagged(overfit):
    run = replay(overfit, [EarlyStopping(patience=3, mode="max")])
    assert any(x.startswith("Careful: val_loss is a loss") for x in summarize(run, "en"))
    assert any(x.startswith("주의:") for x in summarize(run, "ko"))


def test_a_live_run_cut_short_writes_real_files_and_says_it_was_stopped(overfit):
    # A live run that ran 8 of 30 epochs (e.g. cancelled): no "replay_of", files written.
    replayed = replay(dataclasses.replace(overfit, history=_head(overfit.history, 8)), three(50))
    live = dataclasses.replace(replayed, planned_epochs=30, replay_of=None, caveats=[])
    lines = summarize(live, "en", test_accuracy=0.9312)
    text = " ".join(lines)
    assert "training ended after 8 of 30 epochs" in text
    assert f"ModelCheckpoint writes {len(live.saves)} files" in text
    assert lines[-1] == "Test accuracy of the final model: 0.9312."


def test_no_callbacks_and_the_language_in_use(overfit):
    i18n.set_language("ko")
    lines = summarize(replay(overfit, []))
    assert lines == [f"{overfit.epochs} 에포크를 학습했습니다. " + lines[0].split(". ", 1)[1]]
    assert HANGUL.search(lines[0])


def _head(history, n):
    return {k: v[:n] for k, v in history.items()}


def _curve_run(curve: dict, callbacks) -> object:
    from cbteach.events import EventLog
    from cbteach.replay import replay
    from cbteach.run import Run

    recorded = Run(history=curve, events=EventLog(), lrs=[1e-3] * len(curve["val_loss"]))
    return replay(recorded, callbacks)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_stop_behind_a_nan_best_is_told_as_keras_keeping_nan(lang):
    from cbteach import EarlyStopping

    curve = {"loss": [1.0, 0.9, 0.8, 0.7], "val_loss": [float("nan"), 0.8, 0.7, 0.6]}
    run = _curve_run(curve, [EarlyStopping(patience=2)])
    text = " ".join(summarize(run, lang))
    assert run.stopped_epoch == 3  # Keras kept the NaN as the best: 0.8 and 0.7 were misses
    assert "nan" in text and "TerminateOnNaN" in text
    assert "has not improved for" not in text  # not told as patience lost to a real plateau


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_missing_monitor_is_told_as_keras_deciding_nothing(lang):
    import warnings

    from cbteach import EarlyStopping

    curve = {"loss": [1.0, 0.9, 0.8], "val_loss": [1.0, 0.8, 0.7]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = _curve_run(curve, [EarlyStopping(monitor="val_acc", mode="min", patience=5)])
    text = " ".join(summarize(run, lang))
    assert run.epochs == 3  # Keras warned every epoch and went on
    assert "val_acc" in text
