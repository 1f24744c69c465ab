"""Shared test settings: no downloads, a headless plot backend, English unless a test says."""

from __future__ import annotations

import os

os.environ.setdefault("CBTEACH_DATA", "sample")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest

from cbteach import i18n


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    """Each test starts in English and may switch; the switch does not leak."""
    monkeypatch.setattr(i18n, "_current", "en")
