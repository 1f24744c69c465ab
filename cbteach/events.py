"""The event: one callback's decision at one epoch, and the log that holds a run's events.

Callbacks only write events; plots, explanations, widgets and tests only read them. This
module knows nothing about Keras.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from enum import Enum
from pathlib import Path
from typing import IO

from cbteach import i18n
from cbteach.atomic import write_atomically


class Action(str, Enum):
    """What a callback did at an epoch.

    Args:
        value: the action's string value, as event files hold it (e.g. ``"saved"``).

    Example:

    >>> Action("saved") is Action.SAVED, Action.REDUCED_LR.value
    (True, 'reduced_lr')
    """

    IMPROVED = "improved"  # the monitored value beat the best so far
    WAITED = "waited"  # no improvement: the wait counter went up
    STOPPED = "stopped"  # EarlyStopping set model.stop_training
    RESTORED = "restored"  # EarlyStopping put the best epoch's weights back
    REDUCED_LR = "reduced_lr"  # ReduceLROnPlateau multiplied the LR by factor
    COOLDOWN = "cooldown"  # ReduceLROnPlateau ignored the epoch: cooling down
    AT_MIN_LR = "at_min_lr"  # patience ran out but the LR was already at min_lr
    SAVED = "saved"  # ModelCheckpoint wrote a file
    SKIPPED = "skipped"  # ModelCheckpoint wrote nothing
    MISSING = "missing"  # the monitored value was not in the logs: Keras decided nothing
    WARMUP = "warmup"  # EarlyStopping ignores epochs before start_from_epoch


@dataclass
class Event:
    """One decision. ``epoch`` is 1-based, as Keras prints it ("Epoch 3/10").

    Args:
        epoch: the epoch, 1-based.
        callback: the callback's class name, e.g. ``"EarlyStopping"``.
        action: what it did: an :class:`Action` or its string value.
        reason: the catalog key of the sentence that explains it (``"events.es_waited"``).
        monitor: the quantity the callback watches.
        mode: ``"min"`` or ``"max"`` as Keras resolved it. Defaults to `None`.
        value: the monitored value this epoch. Defaults to `None`.
        best_before: the best value before this epoch. Defaults to `None`.
        best_after: the best value after this epoch. Defaults to `None`.
        best_epoch: the epoch (1-based) of the best value. Defaults to `None`.
        wait_before: the wait counter before this epoch. Defaults to `None`.
        wait_after: the wait counter after this epoch. Defaults to `None`.
        patience: the callback's ``patience``. Defaults to `None`.
        cooldown_counter: ReduceLROnPlateau's cooldown counter after this epoch.
            Defaults to `None`.
        lr_before: the learning rate before this epoch's decision. Defaults to `None`.
        lr_after: the learning rate after it. Defaults to `None`.
        saved_path: the file ModelCheckpoint wrote. Defaults to `None`.
        note: the catalog key of a second sentence on what Keras did with a NaN or
            infinite value, and what to write instead (``"events.note_nan_best"``).
            Defaults to `None`.

    Example:

    >>> event = Event(3, "EarlyStopping", "waited", "events.es_waited", "val_loss")
    >>> event.action, event.to_dict()["action"]
    (<Action.WAITED: 'waited'>, 'waited')
    """

    epoch: int
    callback: str
    action: Action
    reason: str
    monitor: str
    mode: str | None = None
    value: float | None = None
    best_before: float | None = None
    best_after: float | None = None
    best_epoch: int | None = None
    wait_before: int | None = None
    wait_after: int | None = None
    patience: int | None = None
    cooldown_counter: int | None = None
    lr_before: float | None = None
    lr_after: float | None = None
    saved_path: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        self.action = Action(self.action)

    def to_dict(self) -> dict:
        """A plain, JSON-ready dict (the action as its string value)."""
        data = asdict(self)
        data["action"] = self.action.value
        return data

    def explain(self, lang: str | None = None) -> str:
        """One translated line: "epoch 7 · EarlyStopping · val_loss 0.3120 ... → wait 2/3".

        Args:
            lang: ``"ko"`` or ``"en"``. Defaults to `None` (the language in use).

        Example:

        >>> event = Event(2, "ModelCheckpoint", "saved", "events.mc_saved_improved", "val_loss",
        ...               value=0.31, best_before=0.35, saved_path="best.keras")
        >>> event.explain("en")
        'epoch 2 · ModelCheckpoint · val_loss 0.3100 improved on best 0.3500 → saved best.keras'
        """
        head = i18n.t("events.head", lang, epoch=self.epoch, callback=self.callback)
        values = _explain_values(self)
        line = f"{head} · {i18n.t(self.reason, lang, **values)}"
        if self.note is not None:
            line += f" ({i18n.t(self.note, lang, **values)})"
        return line


def first(events: Iterable[Event], action: Action | str, callback: str | None = None):
    """The first event with ``action`` (of ``callback``, when given), or None.

    Args:
        events: any events in order, e.g. an :class:`EventLog`.
        action: an :class:`Action` or its string value.
        callback: only events of this callback class name. Defaults to `None` (any).

    Example:

    >>> events = [Event(4, "EarlyStopping", "stopped", "events.es_stopped", "val_loss")]
    >>> first(events, Action.STOPPED).epoch, first(events, "restored")
    (4, None)
    """
    action = Action(action)
    for e in events:
        if e.action is action and (callback is None or e.callback == callback):
            return e
    return None


def _event(line: bytes) -> Event:
    return Event(**json.loads(line))


def _is_event(line: bytes) -> bool:
    try:
        _event(line)
    except (ValueError, TypeError):
        return False
    return True


def _events(data: bytes, path: Path, first: int = 1) -> Iterator[tuple[bytes, Event]]:
    """Each complete line of a JSONL file and its event; a cut last line is skipped.

    A line that is not an event raises ValueError when more lines follow it (something
    else edited the file); as the last line, without its newline, it is what a kill
    mid-write leaves, and is ignored. ``first`` is the number of the first line in ``data``.
    """
    *lines, last = data.split(b"\n")
    for number, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            event = _event(line)
        except (ValueError, TypeError) as error:
            message = i18n.t("events.event_line_broken", path=str(path), line=number)
            raise ValueError(message) from error
        yield line, event
    if last.strip() and _is_event(last):  # a whole event whose newline is missing
        yield last, _event(last)


def _end_cleanly(path: Path) -> None:
    """Make the file end with a newline, dropping a last line that a kill cut short."""
    with path.open("rb+") as stream:
        size = stream.seek(0, os.SEEK_END)
        if size == 0:
            return
        stream.seek(size - 1)
        if stream.read(1) == b"\n":
            return
        stream.seek(0)
        data = stream.read()
        cut = data.rfind(b"\n") + 1
        if _is_event(data[cut:]):
            stream.write(b"\n")
        else:
            stream.truncate(cut)


class EventLog:
    """The events of a run, in order; optionally streamed to a JSONL file as they happen.

    With ``path``, each event is written as one JSON line and flushed at once, so a crash
    mid-run leaves every finished epoch on disk. The file is appended to, never truncated;
    a last line that a kill cut short is dropped before the next event is appended.
    :meth:`resume` trims the events of an interrupted run back to its last backed-up epoch.

    Args:
        path: the JSONL file to append each event to. Defaults to `None` (memory only).

    Example:

    >>> log = EventLog()
    >>> log.append(Event(1, "EarlyStopping", "improved", "events.es_first", "val_loss"))
    >>> len(log), log[0].callback
    (1, 'EarlyStopping')
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.events: list[Event] = []
        self.path = Path(path) if path is not None else None
        self._stream: IO[str] | None = None
        self.listeners: list = []  # callables called with each new event

    def append(self, event: Event) -> None:
        """Add an event, write it to the stream, and tell every listener.

        Args:
            event: the :class:`Event` to add.

        Example:

        >>> log = EventLog()
        >>> log.listeners.append(lambda e: print(e.epoch, e.action.value))
        >>> log.append(Event(1, "EarlyStopping", "improved", "events.es_first", "val_loss"))
        1 improved
        """
        self.events.append(event)
        if self.path is not None:
            if self._stream is None:
                self._stream = self._open()
            self._stream.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            self._stream.flush()
        for listener in self.listeners:
            listener(event)

    def _open(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            _end_cleanly(self.path)
        return self.path.open("a", encoding="utf-8")

    def end_offset(self) -> int:
        """Where this log's next event will start in its file: the file's size in bytes.

        A last line that a kill cut short is dropped first. 0 without a file.
        """
        self.close()
        if self.path is None or not self.path.exists():
            return 0
        _end_cleanly(self.path)
        return self.path.stat().st_size

    def resume(self, epochs_done: int, start: int = 0) -> int:
        """Prepare the log to continue a run that was interrupted after ``epochs_done`` epochs.

        Of the events written from byte ``start`` of the file on (the interrupted run's;
        what comes before belongs to earlier runs and is kept as it is), the events of
        epochs 1..``epochs_done`` are kept and later ones dropped (the resumed run does
        those epochs again), and so is a last line cut short. The file is rewritten into
        a temporary file and renamed over the old one, so a kill meanwhile leaves the old
        file whole. The log then holds the kept events; new ones are appended after them.
        A log without a file drops its events of later epochs. Returns how many events
        were dropped.

        Args:
            epochs_done: the epochs the backup holds; events of later epochs are dropped.
            start: the byte of the file where the interrupted run's events begin.
                Defaults to `0`.

        Example:

        >>> log = EventLog()
        >>> for epoch in (1, 2, 3):
        ...     log.append(Event(epoch, "EarlyStopping", "waited", "events.es_waited", "val_loss"))
        >>> log.resume(2), len(log)
        (1, 2)
        """
        self.close()
        if self.path is None or not self.path.exists():
            kept = [e for e in self.events if e.epoch <= epochs_done]
            dropped, self.events = len(self.events) - len(kept), kept
            return dropped
        data = self.path.read_bytes()
        lines, events, dropped = [], [], 0
        first = data[:start].count(b"\n") + 1
        for line, event in _events(data[start:], self.path, first):
            if event.epoch <= epochs_done:
                lines.append(line + b"\n")
                events.append(event)
            else:
                dropped += 1
        kept = data[:start] + b"".join(lines)
        write_atomically(str(self.path), lambda temporary: Path(temporary).write_bytes(kept))
        self.events = events
        return dropped

    def close(self) -> None:
        """Close the JSONL stream (a later append reopens it)."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def __getitem__(self, index: int) -> Event:
        return self.events[index]

    def of(self, callback: str) -> list[Event]:
        """The events of one callback, by its class name.

        Args:
            callback: the callback's class name, e.g. ``"ModelCheckpoint"``.

        Example:

        >>> log = EventLog()
        >>> log.append(Event(2, "ModelCheckpoint", "saved", "events.mc_saved_first", "val_loss"))
        >>> [e.epoch for e in log.of("ModelCheckpoint")], log.of("EarlyStopping")
        ([2], [])
        """
        return [e for e in self.events if e.callback == callback]

    def with_action(self, action: Action | str) -> list[Event]:
        """The events where something in particular happened.

        Args:
            action: an :class:`Action` or its string value.

        Example:

        >>> log = EventLog()
        >>> log.append(Event(2, "ModelCheckpoint", "saved", "events.mc_saved_first", "val_loss"))
        >>> [e.epoch for e in log.with_action("saved")]
        [2]
        """
        action = Action(action)
        return [e for e in self.events if e.action is action]

    def decisions(self, callback: str) -> list[Event]:
        """One callback's end-of-epoch decisions: one event per epoch, in epoch order.

        When an epoch has several events of ``callback``, the last one is its decision.
        EarlyStopping's RESTORED (at the end of training) and ModelCheckpoint's saves
        within an epoch (``save_freq`` in batches) are not decisions and are left out.

        Args:
            callback: the callback's class name, e.g. ``"ReduceLROnPlateau"``.

        Returns:
            The events, one per epoch at which the callback decided.

        Example:

        ```python
        waits = [e.wait_after for e in run.events.decisions("EarlyStopping")]
        ```
        """
        by_epoch: dict[int, Event] = {}
        for e in self.events:
            if e.callback != callback or e.action is Action.RESTORED:
                continue
            if e.reason == "events.mc_saved_batch":
                continue
            by_epoch[e.epoch] = e
        return [by_epoch[epoch] for epoch in sorted(by_epoch)]

    def cooldown_epochs(self, callback: str | None = None) -> list[int]:
        """The epochs a callback did not count because it was cooling down, in order.

        Keras' ReduceLROnPlateau counts ``cooldown_counter`` down at the start of each
        epoch's decision and skips the epoch while the counter is still above 0, so
        ``cooldown=c`` leaves ``c - 1`` epochs uncounted after a cut (``cooldown=1``:
        none). Those epochs are the ones whose decision is :attr:`Action.COOLDOWN`.

        Args:
            callback: the callback's class name; None looks at every callback.

        Returns:
            The epochs, each once, in increasing order.

        Example:

        ```python
        run.events.cooldown_epochs("ReduceLROnPlateau")  # e.g. [4, 7, 10] for cooldown=2
        ```
        """
        names = [callback] if callback is not None else {e.callback for e in self.events}
        decided = (e for name in names for e in self.decisions(name))
        return sorted({e.epoch for e in decided if e.action is Action.COOLDOWN})

    def to_frame(self):
        """A pandas DataFrame, one row per event, columns named as in :class:`Event`."""
        import pandas as pd

        columns = [f.name for f in fields(Event)]
        return pd.DataFrame([e.to_dict() for e in self.events], columns=columns)

    def explain_table(self, lang: str | None = None, *, every_epoch: bool = False):
        """Each callback's decision on the epochs where something happened, one row an epoch.

        A row is an epoch where some callback did more than wait: a new best, a save, a
        learning-rate cut, the first epoch at ``min_lr``, a stop, a restore, a missing or
        non-finite value. The first columns hold the monitored values; then one short column
        per callback says what it decided ("wait 10/10 → LR 3.0e-03 → 9.0e-04",
        "wait 20/20 → stop"). Shown in a notebook, no cell is cut short. ``explain()``
        has the whole sentence behind each cell.

        Args:
            lang: ``"ko"`` or ``"en"``. Defaults to `None` (the language in use).
            every_epoch: a row for every epoch, quiet ones too. Defaults to `False`.

        Returns:
            A pandas DataFrame indexed by epoch.

        Example:

        >>> log = EventLog()
        >>> log.append(Event(2, "ModelCheckpoint", "saved", "events.mc_saved_first", "val_loss",
        ...                  value=0.31, saved_path="ckpt/best.keras"))
        >>> log.explain_table("en").to_dict("records")
        [{'val_loss': '0.3100', 'ModelCheckpoint': 'saved best.keras'}]
        """
        import pandas as pd

        rows: dict[int, dict[str, str]] = {}
        happened: set[int] = set()
        previous: dict[str, str] = {}
        for e in self.events:
            row = rows.setdefault(e.epoch, {})
            if e.value is not None and e.monitor not in row:
                row[e.monitor] = i18n.number(e.value)
            cell = _decision_cell(e, lang)
            row[e.callback] = f"{row[e.callback]} · {cell}" if e.callback in row else cell
            quiet = e.action.value in _QUIET or (
                e.action.value == "at_min_lr" and previous.get(e.callback) == "at_min_lr"
            )  # the first epoch at min_lr is news; the next ones are not
            if every_epoch or not quiet:
                happened.add(e.epoch)
            previous[e.callback] = e.action.value
        monitors = list(dict.fromkeys(e.monitor for e in self.events if e.value is not None))
        callbacks = list(dict.fromkeys(e.callback for e in self.events))
        records = {epoch: rows[epoch] for epoch in sorted(happened)}
        frame = pd.DataFrame.from_dict(records, orient="index", columns=monitors + callbacks)
        frame = _whole_cells(frame.fillna(""))
        frame.index.name = i18n.t("common.epoch_column", lang)
        return frame

    def explain(self, lang: str | None = None) -> str:
        """Every event's explanation, one per line.

        Args:
            lang: ``"ko"`` or ``"en"``. Defaults to `None` (the language in use).

        Example:

        >>> log = EventLog()
        >>> log.append(Event(1, "EarlyStopping", "improved", "events.es_first", "val_loss"))
        >>> print(log.explain("en"))
        epoch 1 · EarlyStopping · ...
        """
        return "\n".join(e.explain(lang) for e in self.events)

    @classmethod
    def load(cls, path: str | Path) -> EventLog:
        """Read a JSONL event file back, up to its last complete line.

        A last line cut off by a kill is ignored; a broken line with more lines after it
        raises ValueError (the file was edited by something else) rather than losing them.

        Args:
            path: the JSONL file an ``EventLog(path)`` wrote.

        Example:

        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "events.jsonl"
        >>> log = EventLog(path)
        >>> log.append(Event(1, "EarlyStopping", "improved", "events.es_first", "val_loss"))
        >>> log.close()
        >>> len(EventLog.load(path))
        1
        """
        log = cls()
        log.events = [event for _, event in _events(Path(path).read_bytes(), Path(path))]
        return log

    @classmethod
    def merge(cls, logs: Iterable[EventLog]) -> EventLog:
        """One log holding the events of several, ordered by epoch (stable within an epoch).

        Args:
            logs: the logs to merge.

        Example:

        >>> a, b = EventLog(), EventLog()
        >>> a.append(Event(2, "EarlyStopping", "waited", "events.es_waited", "val_loss"))
        >>> b.append(Event(1, "ModelCheckpoint", "saved", "events.mc_saved_first", "val_loss"))
        >>> [e.epoch for e in EventLog.merge([a, b, a])]
        [1, 2]
        """
        merged = cls()
        seen: set[int] = set()
        for log in logs:
            if id(log) not in seen:
                seen.add(id(log))
                merged.events.extend(log.events)
        merged.events.sort(key=lambda e: e.epoch)
        return merged


def _explain_values(event: Event) -> dict:
    """The event's fields as its sentence shows them, and what the sentence works out.

    ``resume_epoch`` is the first epoch a cooling-down ReduceLROnPlateau counts again. Keras
    takes one off ``cooldown_counter`` at the start of each later epoch and counts that epoch
    once the counter is 0, so with ``cooldown_counter`` k after epoch N, epochs N+1 … N+k-1
    are not counted and epoch N+k is (``cooldown=1`` leaves no epoch uncounted).
    """
    values = {f.name: getattr(event, f.name) for f in fields(event)}
    for name in ("value", "best_before", "best_after"):
        values[name] = i18n.number(values[name])
    for name in ("lr_before", "lr_after"):
        values[name] = i18n.lr(values[name])
    values["resume_epoch"] = event.epoch + (event.cooldown_counter or 0)
    return values


# ------------------------------------------------------------------ explain_table's cells
#: Actions (by value) that leave no row in explain_table on their own: the callback waited.
_QUIET = {"waited", "cooldown", "skipped", "warmup"}
#: The short form of each action (by value) in the ``plots`` catalog: ``plots.table_<form>``.
_CELLS = {
    "improved": "improved",
    "waited": "waited",
    "stopped": "stopped",
    "restored": "restored",
    "reduced_lr": "cut",
    "cooldown": "cooldown",
    "at_min_lr": "at_min_lr",
    "saved": "saved",
    "skipped": "skipped",
    "missing": "missing",
    "warmup": "warmup",
}


def _decision_cell(event: Event, lang: str | None) -> str:
    """What ``event`` decided, in a few words ("wait 3/3 → stop"), from the plots catalog."""
    values = _explain_values(event)
    wait = event.wait_after
    if event.action.value == "reduced_lr" and event.wait_before is not None:
        wait = event.wait_before + 1  # the count that reached patience, before the reset
    values["wait"] = wait
    values["file"] = os.path.basename(event.saved_path or "")
    form = _CELLS.get(event.action.value)
    if form is None:  # an action without a short form: the whole sentence
        return i18n.t(event.reason, lang, **values)
    return i18n.t(f"plots.table_{form}", lang, **values)


def _whole_cells(frame):
    """``frame`` as a DataFrame whose notebook display never cuts a cell short."""
    import pandas as pd

    class DecisionTable(pd.DataFrame):
        """A DataFrame shown whole: ``display.max_colwidth`` and ``max_rows`` lifted."""

        @property
        def _constructor(self):
            return DecisionTable

        def _repr_html_(self):
            with pd.option_context("display.max_colwidth", None, "display.max_rows", None):
                return super()._repr_html_()

        def __repr__(self) -> str:
            whole = ("display.max_colwidth", None, "display.max_rows", None)
            with pd.option_context(*whole, "display.max_columns", None, "display.width", 10_000):
                return super().__repr__()

    return DecisionTable(frame)
