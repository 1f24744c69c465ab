"""The review sheet: every message renders in both languages; docs/MESSAGES.md is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cbteach import i18n, messages

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
    assert messages.render("events.rlr_cooldown", "en").startswith(
        "epoch 9 · ReduceLROnPlateau · val_loss 0.2264 not counted"
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
