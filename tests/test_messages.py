"""The review sheet: every message renders in both languages; docs/MESSAGES.md is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cbteach import i18n, message_samples, messages

DOC = Path(__file__).resolve().parent.parent / "docs" / "MESSAGES.md"
HANGUL = re.compile(r"[가-힣]")


@pytest.mark.parametrize("key", sorted(i18n.catalog("en")))
def test_every_message_renders_in_both_languages(key):
    korean, english = messages.render(key, "ko"), messages.render(key, "en")
    for text in (korean, english):
        assert text
        leftover = re.findall(r"\{(\w+)\}", text)
        assert not set(leftover) & i18n.placeholders(i18n.catalog("en")[key]), text
    assert not HANGUL.search(english), english
    if HANGUL.search(i18n.catalog("ko")[key]):
        assert HANGUL.search(korean), korean


def test_overrides_name_real_keys_and_their_own_placeholders():
    catalog = i18n.catalog("en")
    for key, values in messages.OVERRIDES.items():
        assert key in catalog, f"{key} is not a catalog key"
        extra = set(values) - i18n.placeholders(catalog[key])
        assert not extra, f"{key} has no placeholder {sorted(extra)}"


def test_explain_lines_carry_the_head_a_learner_sees():
    assert re.match(
        r"epoch \d+ · ReduceLROnPlateau · val_loss \d\.\d{4} not counted",
        messages.render("events.rlr_cooldown", "en"),
    )
    assert messages.render("events.es_first", "ko").startswith("에포크 1 · EarlyStopping · ")
    assert not messages.render("events.event_line_broken", "en").startswith("epoch")


def test_the_sheet_lists_every_key_once_side_by_side():
    sheet = messages.render_sheet("both")
    rows = [line for line in sheet.splitlines() if line.startswith("| `")]
    assert len(rows) == len(i18n.catalog("en"))
    assert all(line.count(" | ") >= 2 for line in rows)
    assert "| key | 한국어 | English |" in sheet
    only_ko = messages.render_sheet("ko")
    assert "| key | 한국어 |" in only_ko and "English |" not in only_ko


def test_main_writes_the_sheet(tmp_path, capsys):
    out = tmp_path / "sheet.md"
    assert messages.main(["--lang", "en", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == messages.render_sheet("en")
    assert messages.main(["--lang", "ko"]) == 0
    assert capsys.readouterr().out == messages.render_sheet("ko")


def test_docs_messages_md_is_up_to_date():
    remake = "run `python -m cbteach.messages --out docs/MESSAGES.md`"
    assert DOC.exists(), f"docs/MESSAGES.md is missing: {remake}"
    assert DOC.read_text(encoding="utf-8") == messages.render_sheet("both"), (
        f"docs/MESSAGES.md is out of date: {remake}"
    )


ENGLISH_WORDS = re.compile(r"(?<![\w./{'`=-])[a-z]{2,} [a-z]{2,} [a-z]{2,}(?![\w}])")
#: Values that are the same in both languages because a learner sees them so: error texts
#: written by Python, urllib or h5py, and Keras' own (English) error messages.
NOT_TRANSLATED = {
    "data.fallback",
    "data.download_failed",
    "exercises.replay_failed",
    "exercises.trained_file_failed",
}


@pytest.mark.parametrize("key", sorted(i18n.catalog("ko")))
def test_no_english_sentence_sits_in_the_korean_column(key):
    if key in NOT_TRANSLATED:
        return
    for name, value in messages.sample_values(key, "ko").items():
        if isinstance(value, str) and not HANGUL.search(value):
            assert not ENGLISH_WORDS.search(value), f"{key}: {name}={value!r}"


def test_the_values_come_from_real_replays():
    """The explain lines, summaries and exercise lines a replay reaches carry its values."""
    seen = message_samples.observed("en")
    reached = {
        "events.es_first",
        "events.es_waited",
        "events.es_stopped",
        "events.es_restored",
        "events.rlr_reduced",
        "events.rlr_cooldown",
        "events.rlr_at_min_lr",
        "events.mc_saved_improved",
        "events.mc_skipped",
        "summary.es_stopped",
        "summary.rlr_cuts",
        "summary.es_warmup",
        "summary.es_stopped_baseline",
        "summary.epochs_ran",
        "outcome.stopped_outside",
        "exercises.order_wrong",
        "exercises.predict_late",
        "exercises.es_never_stops",
        "validation.pattern_spec",
        "validation.labels_bad",
    }
    assert reached <= set(seen), sorted(reached - set(seen))
    # the head of an explain line is the epoch the event happened at
    assert seen["events.es_stopped"]["__head__"] == {"epoch": 10, "callback": "EarlyStopping"}


def test_every_figure_label_comes_from_a_real_drawing():
    """Each ``plots`` key is filled by a Timeline, table or plot drawn from a real replay,
    with the numbers that replay has: ES(patience=3) on `overfit` stops at 10, keeps 7."""
    seen = message_samples.observed("en")
    plots = {key for key in i18n.catalog("en") if key.startswith("plots.")}
    assert plots <= set(seen), sorted(plots - set(seen))
    assert seen["plots.stop_note"]["epoch"] == seen["events.es_stopped"]["__head__"]["epoch"]
    assert seen["plots.restored_legend"]["epoch"] == seen["events.es_restored"]["best_epoch"]
    assert seen["plots.wait_beyond_legend"]["wait"] > 3  # only a wait off the axis is labelled
    assert "epoch 7 (" in messages.render("plots.on_disk_legend", "en")


def test_sample_values_agree_with_keras_on_the_recordings():
    """The audit's contradictions (M-54) cannot come back: each value is what Keras does."""
    en = {key: messages.sample_values(key, "en") for key in i18n.catalog("en")}
    order = en["exercises.order_wrong"]
    assert not int(order["es"]) > int(order["rlr"])
    assert en["exercises.es_never_stops"]["epochs"] == 100  # `overfit` has 100 epochs
    late = en["exercises.predict_late"]
    stop = {
        "EarlyStopping(patience=0)": 5,
        "EarlyStopping(patience=1)": 5,
        "EarlyStopping(patience=2)": 9,
    }[late["setting"]]
    assert late["guess"] > stop
    warmup = en["summary.es_warmup"]
    assert warmup["last"] == warmup["start"]  # start_from_epoch=k ignores epochs 1..k
    text = messages.render("summary.rlr_cuts", "en")
    cuts = re.search(r"at epochs? ([\d, ]+):", text).group(1).split(", ")
    start, last = (float(x) for x in re.findall(r"\d\.\de-\d\d", text))
    assert last == pytest.approx(start * 0.3 ** len(cuts), rel=0.05)
