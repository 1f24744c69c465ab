"""The Timeline redrawn while a model trains: watch each callback fire, epoch by epoch.

:class:`LiveTimeline` is a Keras callback that :func:`cbteach.training.train` adds last
when ``live`` is given, so at the end of each epoch the events of the lesson's callbacks are
already in their :class:`~cbteach.events.EventLog`. It takes a snapshot of the run so far (a
:class:`~cbteach.run.Run`, the same record ``train`` returns at the end) and hands it to a
drawing thread, which moves one :class:`~cbteach.timeline.Timeline` and passes the PNG to a
*sink*. Nothing is decided here: every marker comes from the events Keras' decisions left.

Drawing never holds training up:

- it runs on its own thread, at most once every ``every`` seconds, and never more than
  :data:`SHARE` of the time (a drawing of 0.1 s waits 2.5 s for the next); epochs that end
  faster than that are coalesced into the next drawing (the newest snapshot wins);
- the training thread only copies a few lists per epoch;
- the last drawing, :meth:`LiveTimeline.finish`, shows the finished run, so the final figure
  is the one ``plot_run`` draws for the same run.

Where the PNG goes (:func:`sink_for`):

- in a notebook (JupyterLab, classic Notebook, VS Code): one output, updated in place
  (``display_id``), not a new image per epoch;
- a path: the file, rewritten atomically at each drawing (a script, or a second window);
- a callable: called with the PNG bytes (the Playground puts them in its image widget).

``live=Live(target, every=..., share=...)`` gives any of these its own pace: the Playground's
Retrain, which a learner sits and watches, draws with :data:`WATCHED_SHARE`.

Example:

>>> run = train([cbteach.EarlyStopping(patience=3)], model="mlp", live=True)  # doctest: +SKIP
>>> run = train(callbacks, live="timeline.png")                               # doctest: +SKIP
>>> run = train(callbacks, live=Live(True, share=0.15))                       # doctest: +SKIP
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keras

from cbteach import i18n
from cbteach.atomic import write_atomically
from cbteach.figures import DRAWING
from cbteach.run import Run
from cbteach.timeline import Timeline

__all__ = ["EVERY_S", "SHARE", "WATCHED_SHARE", "Live", "LiveTimeline", "NotebookSink", "sink_for"]

#: The shortest time between two drawings, in seconds: faster epochs are coalesced.
EVERY_S = 0.5
#: The most of the wall time drawing may take: after a drawing of c seconds the next waits
#: at least c / SHARE, so drawing takes at most this share of the run's two CPU cores.
SHARE = 0.04
#: The share for a run someone sits and watches (the Playground's Retrain). Measured in
#: ``make bench`` ("live" section): a 15-epoch CNN retrain on the sample gets 4 drawings
#: instead of 2, and its time stays within the noise of live drawing off.
WATCHED_SHARE = 0.10
#: The resolution of the drawings while it trains (the last one has the figure's own).
LIVE_DPI = 72


@dataclass(frozen=True)
class Live:
    """``train(live=Live(...))``: where the drawings go, and how often they may come.

    Args:
        target: what ``live=`` takes on its own: True, a PNG file name or a callable.
        every: the shortest time between two drawings, in seconds.
        share: the most of the wall time drawing may take.

    Example:

    >>> Live("timeline.png", share=WATCHED_SHARE).share
    0.15
    """

    target: object = True
    every: float = EVERY_S
    share: float = SHARE


class NotebookSink:
    """Shows each PNG in one notebook output, updated in place (``display_id``).

    Example:

    >>> sink = NotebookSink()          # doctest: +SKIP
    >>> sink(timeline.to_png())        # the first call displays, later ones update
    """

    def __init__(self) -> None:
        self.handle = None

    def __call__(self, png: bytes) -> None:
        from IPython.display import Image, display

        if self.handle is None:
            self.handle = display(Image(data=png, format="png"), display_id=True)
        else:
            self.handle.update(Image(data=png, format="png"))


def _in_a_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _file_sink(path: str | os.PathLike) -> Callable[[bytes], None]:
    target = Path(path)

    def write(png: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(str(target), lambda temporary: Path(temporary).write_bytes(png))

    return write


def sink_for(live: object, lang: str | None = None) -> Callable[[bytes], None] | None:
    """Where the PNGs of ``train(live=...)`` go.

    Args:
        live: True (a notebook output), a path (a PNG file), a callable (given each PNG),
            or False/None (no live drawing).
        lang: the language of the message for ``True`` outside a notebook.

    Returns:
        The sink, or None for no live drawing.

    Raises:
        ValueError: ``live=True`` outside a notebook, in the learner's language: it says to
            pass a file name instead.

    Example:

    >>> sink_for(False) is None
    True
    """
    if live is None or live is False:
        return None
    if callable(live):
        return live
    if isinstance(live, (str, os.PathLike)):
        return _file_sink(live)
    if live is True:
        if _in_a_kernel():
            return NotebookSink()
        raise ValueError(i18n.t("live.needs_notebook", lang))
    raise TypeError(i18n.t("live.bad_live", lang, got=type(live).__name__))


class LiveTimeline(keras.callbacks.Callback):
    """Redraws a Timeline of the run so far after each epoch, off the training thread.

    Args:
        snapshot: builds the :class:`~cbteach.run.Run` of the epochs so far from the
            history so far (``{"loss": [...], ...}``); called on the training thread.
        sink: called with each drawing's PNG bytes (see :func:`sink_for`).
        lang: the language of the figure. Defaults to the language in use.
        every: the shortest time between two drawings, in seconds. Defaults to
            :data:`EVERY_S`.
        share: the most of the wall time drawing may take. Defaults to :data:`SHARE`.
        lock: held while drawing (matplotlib is not thread-safe). Defaults to
            :data:`cbteach.figures.DRAWING`, which the Playground holds too.

    Attributes:
        draws: how many drawings the sink has received.
        timeline: the :class:`~cbteach.timeline.Timeline` it moves (None before the first).

    Example:

    >>> live = LiveTimeline(snapshot, sink_for("timeline.png"))   # doctest: +SKIP
    >>> model.fit(x, y, validation_data=(xv, yv), callbacks=[*callbacks, live])  # doctest: +SKIP
    >>> live.finish(run)                                        # doctest: +SKIP
    """

    def __init__(
        self,
        snapshot: Callable[[dict], Run],
        sink: Callable[[bytes], None],
        *,
        lang: str | None = None,
        every: float = EVERY_S,
        share: float = SHARE,
        lock: threading.RLock | threading.Lock | None = None,
    ) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.sink = sink
        self.lang = lang
        self.every = float(every)
        self.share = float(share)
        self.lock = lock if lock is not None else DRAWING
        self.timeline: Timeline | None = None
        self.draws = 0
        self.history: dict[str, list[float]] = {}
        self.error: BaseException | None = None  # what stopped the drawing, if anything
        self._pending: Run | None = None
        self._wake = threading.Condition()
        self._closing = False
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ the training thread
    def on_train_begin(self, logs=None):
        self._closing = False
        self._thread = threading.Thread(target=self._draw_loop, name="cbteach-live", daemon=True)
        self._thread.start()

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        run = self.snapshot({k: list(v) for k, v in self.history.items()})
        with self._wake:
            self._pending = run
            self._wake.notify()

    def on_train_end(self, logs=None):
        self._stop_drawing()

    def close(self) -> None:
        """Stop the drawing thread without a last drawing (training failed or was interrupted)."""
        self._stop_drawing()

    def finish(self, run: Run) -> None:
        """Draw the finished ``run`` (on the calling thread): the last drawing, the final figure."""
        self._stop_drawing()
        if self.error is None:
            try:
                self._draw(run, running=False)
            except Exception as exc:  # noqa: BLE001 - the run is kept; only its picture failed
                self.error = exc
        if self.error is not None:
            error = f"{type(self.error).__name__}: {self.error}"
            warnings.warn(i18n.t("live.draw_failed", self.lang, error=error), stacklevel=2)

    # ------------------------------------------------------------------ the drawing thread
    def _stop_drawing(self) -> None:
        with self._wake:
            self._closing = True
            self._pending = None  # the finished run is drawn by finish()
            self._wake.notify()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self._thread = None

    def _draw_loop(self) -> None:
        ready = 0.0  # the earliest time of the next drawing
        while True:
            with self._wake:
                while self._pending is None and not self._closing:
                    self._wake.wait()
                if self._closing:
                    return
                while not self._closing and time.monotonic() < ready:
                    # too soon: what ends meanwhile is coalesced into one drawing
                    self._wake.wait(ready - time.monotonic())
                if self._closing:
                    return
                run, self._pending = self._pending, None
            if run is None:
                continue
            started = time.monotonic()
            try:
                self._draw(run)
            except Exception as exc:  # noqa: BLE001 - a drawing error never stops training
                self.error = exc
                return
            took = time.monotonic() - started
            rest = took / self.share - took if self.share > 0 else 0.0
            ready = time.monotonic() + max(self.every, rest)

    def _draw(self, run: Run, running: bool = True) -> None:
        with self.lock:
            if self.timeline is None:
                self.timeline = Timeline(None, lang=self.lang)
            self.timeline.update(run, self.lang, running=running)
            png = self.timeline.to_png(LIVE_DPI if running else None)
            self.sink(png)
            self.draws += 1
