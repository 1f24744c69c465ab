"""Import Keras (and TensorFlow) without TensorFlow's native start-up lines on stderr.

TensorFlow's C++ core writes lines such as ``I0000 ... oneDNN custom operations are on``,
``Could not find cuda drivers`` and ``failed call to cuInit`` straight to file descriptor 2
when it is imported and when it first looks for a GPU, before ``TF_CPP_MIN_LOG_LEVEL`` can
take effect. In Jupyter they show as red text in a learner's first cell and look like errors.
cbteach says which device it uses in its own words (``cbteach.device.describe()``), so it
sends those lines to the null device for the length of those two steps only. Python
exceptions are not affected. ``CBTEACH_TF_LOGS=1`` lets them through.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

SHOW_ENV = "CBTEACH_TF_LOGS"

#: Set (unless already set) before TensorFlow or JAX is imported, so that several learners'
#: kernels can share one GPU: TensorFlow and JAX otherwise take (nearly) all of its memory
#: for the first process that touches it, and the second learner's kernel fails with
#: "out of memory". PyTorch allocates as it goes and needs nothing.
GPU_SHARING = {
    "TF_FORCE_GPU_ALLOW_GROWTH": "true",  # TensorFlow: grow the memory it holds as needed
    "XLA_PYTHON_CLIENT_PREALLOCATE": "false",  # JAX: no 75 % block taken up front
}


def share_the_gpu(environ: dict | None = None) -> dict[str, str]:
    """Let several kernels share one GPU: memory growth, no preallocation (:data:`GPU_SHARING`).

    A value the learner or the server already set is kept. Call it before TensorFlow or
    JAX is imported (``import cbteach`` does).

    Args:
        environ: the environment to change. Defaults to ``os.environ``.

    Returns:
        The settings now in force, ``{name: value}``.

    Example:

    >>> share_the_gpu({})
    {'TF_FORCE_GPU_ALLOW_GROWTH': 'true', 'XLA_PYTHON_CLIENT_PREALLOCATE': 'false'}
    """
    environ = os.environ if environ is None else environ
    for name, value in GPU_SHARING.items():
        environ.setdefault(name, value)
    return {name: environ[name] for name in GPU_SHARING}


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Point file descriptor 2 at the null device inside the block, then restore it.

    With ``CBTEACH_TF_LOGS=1`` in the environment the block runs with stderr as it was.

    Args:
        None.

    Example:

    >>> with native_stderr_silenced():
    ...     print("stdout is untouched")
    stdout is untouched
    """
    if os.environ.get(SHOW_ENV, "").strip() not in ("", "0"):
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real descriptor 2 (some embedded interpreters)
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def import_keras():
    """``import keras`` with TensorFlow's native start-up lines silenced (see the module doc).

    On Google Colab it first lets :func:`cbteach.colab.setup` install the Keras cbteach needs
    (the lesson's first cell installed cbteach alone); that may raise
    :class:`cbteach.colab.SetupError`, which stops the cell with one sentence.

    Args:
        None.

    Returns:
        The ``keras`` module (the one already imported, if any).

    Example:

    >>> keras = import_keras()
    >>> keras.__name__
    'keras'
    """
    from cbteach import colab

    colab.setup()  # off Colab: nothing
    if "keras" in sys.modules:
        return sys.modules["keras"]
    share_the_gpu()  # before the backend is imported: it reads these once
    with native_stderr_silenced():
        import keras
    return keras
