"""`python -m cbteach demo|runs|record` as a newcomer runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import keras
import pytest

from cbteach import EventLog, recorded
from cbteach.__main__ import main


def test_demo_writes_the_four_outputs_and_explains_each_epoch(tmp_path, capsys):
    out = tmp_path / "demo"
    assert (
        main(["demo", "--epochs", "3", "--data", "sample", "--out", str(out), "--lang", "en"]) == 0
    )
    printed = capsys.readouterr().out
    assert "epoch 3 · EarlyStopping" in printed
    assert "Test accuracy of the final model" in printed  # the closing summary
    assert "MNIST sample" in printed  # says which data it used
    events = EventLog.load(out / "events.jsonl")
    assert {e.callback for e in events} == {"ModelCheckpoint", "ReduceLROnPlateau", "EarlyStopping"}
    assert (out / "history.csv").read_text().splitlines()[0].startswith("epoch,")
    assert list((out / "checkpoints").glob("weights.*.weights.h5"))
    assert (out / "timeline.png").read_bytes()[:4] == b"\x89PNG"
    meta = json.loads((out / "run.json").read_text())
    assert meta["data"]["source"] == "sample" and meta["config"]["epochs"] == 3


def test_demo_in_korean(tmp_path, capsys):
    main(["demo", "--epochs", "1", "--data", "sample", "--out", str(tmp_path), "--lang", "ko"])
    printed = capsys.readouterr().out
    assert "에포크 1 · EarlyStopping" in printed and "테스트 정확도" in printed


def test_a_second_demo_replaces_the_event_log_instead_of_appending(tmp_path, capsys):
    for _ in range(2):
        main(["demo", "--epochs", "1", "--data", "sample", "--out", str(tmp_path)])
    # one epoch: one event per callback, plus EarlyStopping restoring the best weights at the
    # end (Keras 3 restores even when it did not stop early)
    assert len(EventLog.load(tmp_path / "events.jsonl")) == 4


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_bad_epochs_say_what_to_write(lang, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["demo", "--epochs", "0", "--lang", lang, "--out", str(tmp_path)])
    assert "--epochs 10" in str(info.value)


def test_runs_lists_the_shipped_runs_with_their_backend_and_command(capsys):
    main(["runs"])
    printed = capsys.readouterr().out
    for name in recorded.names():
        made_on = recorded.load(name).provenance
        assert f"{name}: " in printed
        assert f" · {made_on['backend']} {made_on['backend_version']} · " in printed
    assert "python -m cbteach record overfit" in printed


def test_record_writes_a_valid_replayable_run(tmp_path):
    path = tmp_path / "tiny.json"
    main(["record", "tiny", "--epochs", "2", "--model", "mlp", "--out", str(path)])
    run = recorded.load(path)
    assert run.epochs == 2 and run.provenance["command"].startswith(
        "python -m cbteach record tiny "
    )
    # each backend draws its own random numbers: a record says which one made it
    assert run.provenance["backend"] == keras.backend.backend() == run.device["backend"]
    assert run.provenance["backend_version"] not in ("", "unknown")


def test_module_entry_point_help_runs():
    done = subprocess.run(
        [sys.executable, "-m", "cbteach", "--help"], capture_output=True, text=True, check=True
    )
    assert "demo" in done.stdout and "record" in done.stdout
