"""Which backend and which device Keras trains on: a GPU's name, or the CPU."""

from __future__ import annotations

import os
import platform

import keras

from cbteach.startup import native_stderr_silenced


def _gpu_names() -> list[str]:
    backend = keras.backend.backend()
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            with native_stderr_silenced():  # "failed call to cuInit" on a machine without one
                gpus = tf.config.list_physical_devices("GPU")
            _grow_as_needed(tf, gpus)
            return [
                tf.config.experimental.get_device_details(g).get("device_name", g.name)
                for g in gpus
            ]
        if backend == "jax":
            import jax

            return [d.device_kind for d in jax.devices() if d.platform == "gpu"]
        if backend == "torch":
            import torch

            count = torch.cuda.device_count() if torch.cuda.is_available() else 0
            return [torch.cuda.get_device_name(i) for i in range(count)]
    except Exception:  # noqa: BLE001 (a broken driver must not break a lesson: report the CPU)
        return []
    return []


def _grow_as_needed(tf, gpus) -> None:
    """TensorFlow holds only the GPU memory it uses, so learners' kernels can share a GPU.

    ``TF_FORCE_GPU_ALLOW_GROWTH`` (set by :func:`cbteach.startup.share_the_gpu`) already
    asks for it; this says so in TensorFlow's own configuration too, where
    ``tf.config.experimental.get_memory_growth`` reads it. After the GPU is in use the
    setting can no longer change, and TensorFlow raises RuntimeError: then it stays as it is.
    """
    if os.environ.get("TF_FORCE_GPU_ALLOW_GROWTH", "").lower() != "true":
        return  # the server chose otherwise
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # the GPU is initialized already: the env variable applied
            pass


def describe() -> dict:
    """``{"backend": ..., "gpu": bool, "name": ..., "keras": ...}`` for the device in use.

    Args:
        None.

    Returns:
        A JSON-ready dict: the Keras backend and version, whether a GPU is used, and the
        GPU's name or ``"CPU (<processor>)"``.

    Example:

    >>> sorted(describe())
    ['backend', 'gpu', 'keras', 'name']
    """
    gpus = _gpu_names()
    cpu = platform.processor() or platform.machine() or "CPU"
    return {
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "gpu": bool(gpus),
        "name": gpus[0] if gpus else f"CPU ({cpu})",
    }
