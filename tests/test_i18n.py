"""Both languages hold the same messages with the same placeholders."""

from __future__ import annotations

import re

import pytest

from cbteach import i18n


def test_both_catalogs_have_the_same_keys():
    ko, en = i18n.catalog("ko"), i18n.catalog("en")
    assert sorted(ko) == sorted(en)
    assert len(en) > 20


@pytest.mark.parametrize("key", sorted(i18n.catalog("en")))
def test_each_message_has_the_same_placeholders_in_both_languages(key):
    assert i18n.placeholders(i18n.catalog("ko")[key]) == i18n.placeholders(i18n.catalog("en")[key])


@pytest.mark.parametrize("key", sorted(i18n.catalog("ko")))
def test_korean_messages_are_written_in_korean(key):
    text = i18n.catalog("ko")[key]
    stripped = re.sub(r"\{[^}]*\}", "", text)
    if re.search(r"[A-Za-z]{3}", stripped) and not re.search(r"[가-힣]", stripped):
        # a label that is only a Keras name (e.g. "EarlyStopping") stays in English
        assert " " not in stripped.strip(), f"{key} looks untranslated: {text!r}"


def test_set_language_switches_every_message():
    i18n.set_language("ko")
    assert i18n.t("common.epoch", epoch=3) == "에포크 3"
    i18n.set_language("en")
    assert i18n.t("common.epoch", epoch=3) == "epoch 3"


def test_explicit_language_wins_over_the_current_one():
    i18n.set_language("en")
    assert i18n.t("common.epoch", "ko", epoch=1) == "에포크 1"


def test_environment_variable_sets_the_default(monkeypatch):
    monkeypatch.setattr(i18n, "_current", None)
    monkeypatch.setenv("CBTEACH_LANG", "ko")
    assert i18n.get_language() == "ko"
    monkeypatch.setenv("CBTEACH_LANG", "fr")
    assert i18n.get_language() == "en"


def test_unknown_language_says_what_to_write():
    with pytest.raises(ValueError, match="'ko' or 'en'"):
        i18n.set_language("kr")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.001, "1.0e-03"),
        (0.003 * 0.3, "9.0e-04"),
        (0.0125, "1.25e-02"),
        (0.003 * 0.3**4, "2.43e-05"),
        (1e-9, "1.0e-09"),
        (0.0, "0"),
        (None, "—"),
        (float("nan"), "—"),
    ],
)
def test_a_learning_rate_reads_the_same_way_everywhere(value, shown):
    """One form for every learning rate a learner reads (the Korean review, §5.3.8)."""
    assert i18n.lr(value) == shown


def test_explain_lines_and_summaries_print_the_same_learning_rate():
    from cbteach.events import Action, Event

    cut = Event(
        epoch=4,
        callback="ReduceLROnPlateau",
        action=Action.REDUCED_LR,
        reason="events.rlr_reduced",
        best_epoch=2,
        monitor="val_loss",
        mode="min",
        value=0.5,
        best_before=0.4,
        best_after=0.4,
        lr_before=0.001,
        lr_after=0.0005,
        wait_before=1,
        wait_after=0,
        patience=2,
    )
    assert "1.0e-03" in cut.explain("en") and "5.0e-04" in cut.explain("en")
