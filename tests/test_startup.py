"""cbteach.startup: TensorFlow's native start-up lines stay out of a learner's first cell."""

from __future__ import annotations

import os
import subprocess
import sys

import keras
import pytest

from cbteach import startup

NATIVE_MARKERS = ("I0000", "E0000", "cuInit", "cudart_stub", "absl::InitializeLog")
SCRIPT = (
    "import sys, cbteach\n"
    "from cbteach import device\n"
    "device.describe()\n"
    "print('python stderr still works', file=sys.stderr)\n"
)


def _run(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != startup.SHOW_ENV}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=300,
    )


def test_importing_cbteach_prints_no_native_tensorflow_lines():
    quiet = _run()
    assert not [m for m in NATIVE_MARKERS if m in quiet.stderr], quiet.stderr
    assert "python stderr still works" in quiet.stderr


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TensorFlow's own lines")
def test_the_lines_can_be_let_through():
    loud = _run(**{startup.SHOW_ENV: "1"})
    assert "python stderr still works" in loud.stderr
    assert any(m in loud.stderr for m in NATIVE_MARKERS), "nothing to silence any more?"


def test_descriptor_two_is_restored_after_the_block(capfd):
    with startup.native_stderr_silenced():
        os.write(2, b"hidden\n")
    os.write(2, b"shown\n")
    err = capfd.readouterr().err
    assert "hidden" not in err and "shown" in err


def test_import_cbteach_lets_learners_share_a_gpu_and_keeps_a_servers_own_choice():
    script = (
        "import os, cbteach; print(os.environ['TF_FORCE_GPU_ALLOW_GROWTH'], "
        "os.environ['XLA_PYTHON_CLIENT_PREALLOCATE'])"
    )
    environment = {k: v for k, v in os.environ.items() if k not in startup.GPU_SHARING}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=True
    )
    assert done.stdout.split() == ["true", "false"]
    chosen = {**environment, "XLA_PYTHON_CLIENT_PREALLOCATE": "true"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=chosen, check=True
    )
    assert done.stdout.split() == ["true", "true"]  # the server's setting wins


GPU_CHECK = """
import cbteach, keras
from cbteach import device
info = device.describe()
assert info["gpu"], info
if keras.backend.backend() == "tensorflow":
    import tensorflow as tf
    gpus = tf.config.list_physical_devices("GPU")
    assert all(tf.config.experimental.get_memory_growth(g) for g in gpus)
    keras.ops.ones((1000, 1000))  # the GPU in use: still only what it needs
    used = tf.config.experimental.get_memory_info("GPU:0")["current"]
    assert used < 2**30, used
elif keras.backend.backend() == "jax":
    import jax
    jax.numpy.ones((1000, 1000)).block_until_ready()
    stats = jax.devices()[0].memory_stats()
    assert stats["bytes_reserved"] < 0.5 * stats["bytes_limit"], stats
print("shared")
"""


def _has_gpu() -> bool:
    from cbteach import device

    return device.describe()["gpu"]


@pytest.mark.skipif(not _has_gpu(), reason="no GPU here: the sharing settings are checked on one")
def test_on_a_gpu_the_backend_takes_only_the_memory_it_uses():
    environment = {k: v for k, v in os.environ.items() if k not in startup.GPU_SHARING}
    done = subprocess.run(
        [sys.executable, "-c", GPU_CHECK],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 0 and "shared" in done.stdout, done.stderr[-3000:]
