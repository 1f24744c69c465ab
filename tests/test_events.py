"""EventLog: a DataFrame, a JSONL stream that survives a crash, explanations in ko and en."""

from __future__ import annotations

import json
import subprocess
import sys

from cbteach import Action, Event, EventLog


def event(epoch, action=Action.WAITED, reason="events.es_waited", **kw):
    base = {
        "epoch": epoch,
        "callback": "EarlyStopping",
        "action": action,
        "reason": reason,
        "monitor": "val_loss",
        "value": 0.3120,
        "best_before": 0.3050,
        "best_after": 0.3050,
        "best_epoch": 5,
        "wait_before": 1,
        "wait_after": 2,
        "patience": 3,
    }
    return Event(**{**base, **kw})


def test_explain_reads_like_the_issue_example():
    e = event(7)
    assert e.explain("en") == (
        "epoch 7 · EarlyStopping · val_loss 0.3120 did not improve on best 0.3050 (epoch 5)"
        " → wait 2/3"
    )
    assert e.explain("ko").startswith("에포크 7 · EarlyStopping · val_loss 0.3120")


def test_jsonl_is_written_and_flushed_per_event(tmp_path):
    path = tmp_path / "run" / "events.jsonl"
    log = EventLog(path)
    log.append(event(1))
    # readable by another reader before close: flushed
    assert json.loads(path.read_text(encoding="utf-8"))["epoch"] == 1
    log.append(event(2))
    log.close()
    again = EventLog.load(path)
    assert [e.epoch for e in again] == [1, 2]
    assert again[0] == event(1)


def test_a_killed_writer_leaves_every_finished_event(tmp_path):
    path = tmp_path / "events.jsonl"
    code = (
        "import os; from cbteach.events import Event, EventLog\n"
        f"log = EventLog({str(path)!r})\n"
        "for i in range(1, 6):\n"
        "    log.append(Event(epoch=i, callback='EarlyStopping', action='waited',"
        " reason='events.es_waited', monitor='val_loss'))\n"
        "os._exit(9)  # dies without closing anything\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False)
    assert [e.epoch for e in EventLog.load(path)] == [1, 2, 3, 4, 5]


def test_a_half_written_last_line_is_ignored(tmp_path):
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    log.append(event(1))
    log.close()
    with path.open("a", encoding="utf-8") as f:
        f.write('{"epoch": 2, "callb')
    assert len(EventLog.load(path)) == 1


def test_frame_and_explain_table():
    log = EventLog()
    log.append(event(1, action=Action.IMPROVED, reason="events.es_first", wait_after=0))
    log.append(event(2))
    log.append(event(2, callback="ReduceLROnPlateau", reason="events.rlr_waited", lr_after=1e-3))
    frame = log.to_frame()
    assert list(frame["action"]) == ["improved", "waited", "waited"]
    table = log.explain_table("ko", every_epoch=True)
    assert list(table.index) == [1, 2] and table.index.name == "에포크"
    assert set(table.columns) == {"val_loss", "EarlyStopping", "ReduceLROnPlateau"}


def test_explain_table_shows_the_decisions_whole():
    """Only the epochs where something happened; each callback's decision in a few words,
    the count that reached patience at a cut; nothing cut short in a notebook."""
    from cbteach import EarlyStopping, ReduceLROnPlateau, recorded
    from cbteach.replay import replay

    callbacks = [ReduceLROnPlateau(factor=0.3, patience=10), EarlyStopping(patience=20)]
    run = replay(recorded.load("overfit"), callbacks)
    table = run.events.explain_table("en")
    assert list(table.columns) == ["val_loss", "ReduceLROnPlateau", "EarlyStopping"]
    assert list(table.index) == [1, 2, 3, 4, 6, 7, 17, 27]  # the quiet waits are left out
    assert table.loc[17, "ReduceLROnPlateau"] == "wait 10/10 → LR 3.0e-03 → 9.0e-04"
    assert table.loc[27, "EarlyStopping"] == "wait 20/20 → stop"
    assert table.loc[17, "EarlyStopping"] == "wait 10/20"
    assert "..." not in table._repr_html_() and "..." not in repr(table)
    korean = run.events.explain_table("ko")
    assert korean.loc[27, "EarlyStopping"] == "대기 20/20 → 학습 중단"


def test_merge_orders_by_epoch_and_keeps_each_log_once():
    a, b = EventLog(), EventLog()
    a.append(event(2))
    b.append(event(1))
    merged = EventLog.merge([a, b, a])
    assert [e.epoch for e in merged] == [1, 2]


def rlr(epoch, action, **kw):
    return event(epoch, action, reason="events.rlr_waited", callback="ReduceLROnPlateau", **kw)


def test_decisions_keep_one_event_per_epoch_in_epoch_order():
    log = EventLog()
    log.append(event(2, wait_after=1))
    log.append(event(1, action=Action.IMPROVED, reason="events.es_first", wait_after=0))
    log.append(event(2, action=Action.STOPPED, reason="events.es_stopped"))  # epoch 2's last
    log.append(event(3, callback="ReduceLROnPlateau", reason="events.rlr_waited"))
    log.append(event(3, action=Action.RESTORED, reason="events.es_restored"))
    mine = log.decisions("EarlyStopping")
    assert [(e.epoch, e.action) for e in mine] == [(1, Action.IMPROVED), (2, Action.STOPPED)]
    assert [e.epoch for e in log.decisions("ReduceLROnPlateau")] == [3]
    assert log.decisions("ModelCheckpoint") == []


def test_decisions_leave_out_saves_within_an_epoch():
    log = EventLog()
    mc = {"callback": "ModelCheckpoint", "action": Action.SAVED}
    log.append(event(1, reason="events.mc_saved", **mc))
    log.append(event(2, reason="events.mc_saved", **mc))
    log.append(event(2, reason="events.mc_saved_batch", **mc))  # a batch save, after epoch 2's
    decided = [(e.epoch, e.reason) for e in log.decisions("ModelCheckpoint")]
    assert decided == [(1, "events.mc_saved"), (2, "events.mc_saved")]


def test_cooldown_epochs_are_the_epochs_decided_as_cooldown():
    log = EventLog()
    for epoch, action in enumerate(
        [Action.WAITED, Action.REDUCED_LR, Action.COOLDOWN, Action.WAITED, Action.REDUCED_LR],
        start=1,
    ):
        log.append(rlr(epoch, action))
    log.append(rlr(7, Action.COOLDOWN))
    log.append(rlr(6, Action.COOLDOWN))
    log.append(event(6))  # another callback's event at a cooldown epoch changes nothing
    assert log.cooldown_epochs("ReduceLROnPlateau") == [3, 6, 7]
    assert log.cooldown_epochs() == [3, 6, 7]
    assert log.cooldown_epochs("EarlyStopping") == []
    assert EventLog().cooldown_epochs() == []


def test_cooldown_epochs_read_each_epochs_decision():
    log = EventLog()
    log.append(rlr(4, Action.COOLDOWN))
    log.append(rlr(4, Action.IMPROVED))  # the epoch's last event is its decision
    log.append(rlr(5, Action.COOLDOWN))
    assert log.cooldown_epochs("ReduceLROnPlateau") == [5]
