"""Cooldown is told the way Keras counts it: ``cooldown=c`` leaves c - 1 epochs uncounted.

Keras' ReduceLROnPlateau, at the end of each epoch, first takes one off its cooldown counter
and only then asks whether it is cooling down. So after a cut with ``cooldown=c`` the next
c - 1 epochs are not counted, and the c-th is: ``cooldown=1`` changes nothing.

What Keras did not count is read here from plain ``keras.callbacks.ReduceLROnPlateau``,
driven by hand over the same curve (its ``wait``, ``best``, ``cooldown_counter`` and learning
rate before and after each epoch). The sentences under test are the ones a learner reads:
each epoch's explain line of a replay through ``cbteach.ReduceLROnPlateau``, and the
cooldown sentence of ``summarize()``, in both languages.
"""

from __future__ import annotations

import re

import keras
import numpy as np
import pytest

import cbteach
from cbteach.events import EventLog
from cbteach.replay import replay
from cbteach.run import Run
from cbteach.summary import summarize

PATIENCE = 2
CURVES = {
    # never improves after epoch 1: a cut every patience + max(cooldown - 1, 0) epochs
    "flat": [1.0] + [1.2] * 14,
    # improves right after the first cut, inside the cooldown, then stays flat
    "improves_in_cooldown": [1.0, 1.2, 1.2, 0.9] + [1.0] * 12,
    # improves twice, once inside a cooldown and once after it
    "two_improvements": [1.0, 1.1, 1.1, 1.1, 0.8, 1.0, 1.0, 0.7] + [0.9] * 10,
}

# what a line says about the epoch, and the first epoch it says will be counted again
NOT_COUNTED = {"en": "not counted", "ko": "세지 않습니다"}
COUNTS_AGAIN = {
    "en": [
        (re.compile(r"counts? again from epoch (\d+)"), "epoch"),
        (re.compile(r"\((\d+) epochs? left\)"), "left"),  # what a line could say instead
    ],
    "ko": [
        (re.compile(r"에포크 (\d+)부터 다시"), "epoch"),
        (re.compile(r"쿨다운 (\d+) 에포크 남음"), "left"),
    ],
}
EPOCHS = r"(\d+(?:–\d+)?(?:, \d+(?:–\d+)?)*)"
SUMMARY_EPOCHS = {
    "en": re.compile(rf"at epochs? {EPOCHS}"),
    "ko": re.compile(rf"에포크 {EPOCHS}에서"),
}


def keras_epochs(curve: list[float], cooldown: int) -> dict[int, str]:
    """What plain Keras did at each 1-based epoch: ``improved``, ``cut``, ``counted``
    (wait went up) or ``skipped`` (a value that did not improve, and wait was not counted)."""
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(1e-3), loss="mse")
    plain = keras.callbacks.ReduceLROnPlateau(
        monitor="val_loss", mode="min", patience=PATIENCE, cooldown=cooldown, factor=0.5
    )
    plain.set_model(model)
    plain.on_train_begin({})
    done = {}
    for epoch, value in enumerate(curve):
        best, lr = plain.best, float(model.optimizer.learning_rate)
        cooling = plain.cooldown_counter > 0
        plain.on_epoch_end(epoch, {"val_loss": value})
        if plain.best != best:
            done[epoch + 1] = "improved"
        elif float(model.optimizer.learning_rate) < lr:
            done[epoch + 1] = "cut"
        elif plain.wait == 0:
            assert cooling  # only a cooldown leaves wait at 0 after a value that did not improve
            done[epoch + 1] = "skipped"
        else:
            done[epoch + 1] = "counted"
    return done


def keras_not_counted(curve: list[float], cooldown: int) -> list[int]:
    """The 1-based epochs where plain Keras did not count a value that did not improve."""
    return [epoch for epoch, done in keras_epochs(curve, cooldown).items() if done == "skipped"]


def replayed(curve: list[float], cooldown: int) -> Run:
    recording = Run(
        history={"val_loss": list(curve)},
        events=EventLog(),
        lrs=[1e-3] * len(curve),
        name="hand-made",
    )
    reducer = cbteach.ReduceLROnPlateau(
        monitor="val_loss", patience=PATIENCE, cooldown=cooldown, factor=0.5
    )
    return replay(recording, [reducer])


def claimed_resume(line: str, epoch: int, lang: str) -> int | None:
    """The first epoch that ``line`` (the explain line of ``epoch``) says is counted again."""
    for pattern, kind in COUNTS_AGAIN[lang]:
        found = pattern.search(line)
        if found:
            number = int(found.group(1))
            return number if kind == "epoch" else epoch + number + 1
    return None


def expand(epochs: str) -> list[int]:
    """``"4–6, 9"`` as ``[4, 5, 6, 9]``."""
    out: list[int] = []
    for part in epochs.split(", "):
        first, _, last = part.partition("–")
        out.extend(range(int(first), int(last or first) + 1))
    return out


CASES = [(name, cooldown) for name in CURVES for cooldown in range(5)]


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(("curve_name", "cooldown"), CASES)
def test_each_explain_line_names_the_epochs_keras_did_not_count(curve_name, cooldown, lang):
    curve = CURVES[curve_name]
    done = keras_epochs(curve, cooldown)
    run = replayed(curve, cooldown)
    assert run.epochs == len(curve)
    for event in run.events:
        line = event.explain(lang)
        says_skipped = NOT_COUNTED[lang] in line
        assert says_skipped == (done[event.epoch] == "skipped"), line
        if not says_skipped:
            continue
        resume = claimed_resume(line, event.epoch, lang)
        assert resume is not None, f"the line does not say when counting resumes: {line}"
        inside = range(event.epoch + 1, min(resume, len(curve) + 1))  # the curve may end first
        counted = [e for e in inside if done[e] != "skipped"]
        # an epoch that improves inside the cooldown is no counting either way
        assert all(done.get(e) == "improved" for e in counted), f"{line}: Keras counted {counted}"
        if resume <= len(curve):
            assert done[resume] != "skipped", f"{line}: Keras did not count epoch {resume} either"


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(("curve_name", "cooldown"), CASES)
def test_the_summary_names_exactly_the_epochs_keras_did_not_count(curve_name, cooldown, lang):
    curve = CURVES[curve_name]
    skipped = keras_not_counted(curve, cooldown)
    lines = [line for line in summarize(replayed(curve, cooldown), lang) if "cooldown" in line]
    if cooldown == 0:
        assert lines == []
        return
    assert len(lines) == 1, lines
    named = SUMMARY_EPOCHS[lang].search(lines[0])
    assert (expand(named.group(1)) if named else []) == skipped, lines[0]
    assert f"cooldown={cooldown}" in lines[0]


def test_cooldown_one_leaves_nothing_uncounted_and_two_leaves_one_epoch():
    flat = CURVES["flat"]
    assert keras_not_counted(flat, 0) == keras_not_counted(flat, 1) == []
    assert keras_not_counted(flat, 2) == [4, 7, 10, 13]  # cuts after epochs 3, 6, 9, 12, 15
    gaps = np.diff(keras_not_counted(flat, 4))
    assert keras_not_counted(flat, 4)[:3] == [4, 5, 6] and set(gaps) <= {1, 3}
