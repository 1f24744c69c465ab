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
