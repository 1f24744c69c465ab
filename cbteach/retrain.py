"""The Playground's Retrain, without a widget: one real training run at a time per kernel.

A press of Retrain is a :class:`RetrainJob`: the settings, model and epochs of that moment,
a stop flag and a background thread. A playground's :class:`RetrainSlot` starts its jobs,
cancels them, waits for them and closes; the module holds the kernel's one slot for a
running job, so that two playgrounds of a notebook never train at once (two threads on two
CPU cores would fight for an epoch, and a workshop laptop has two).

The slot never touches a widget. It tells the playground that owns a job what happens
through six methods, each called on the training thread under :data:`LOCK`:
``retrain_status(job, key, **values)`` (a status line, by catalog key),
``retrain_progress(job, epoch, logs)``, ``retrain_frame(job, png)`` (the live Timeline, on
the drawing thread), ``retrain_finished(job, run, seconds)``,
``retrain_ended(job)`` (always the last word) and ``retrain_superseded(job)``.

Example:

>>> slot = RetrainSlot(view, data=sample)                        # doctest: +SKIP
>>> folder = slot.new_folder()                                   # doctest: +SKIP
>>> job = slot.prepare(settings, setup, 5, folder, callbacks)    # doctest: +SKIP
>>> slot.claim(job); job.thread.start(); slot.wait(None, print)  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence

import keras

from cbteach import training
from cbteach.data import load_mnist
from cbteach.figures import DRAWING
from cbteach.live import WATCHED_SHARE, Live
from cbteach.run import Run

__all__ = ["LOCK", "ProgressCallback", "RetrainJob", "RetrainSlot", "short_error", "supersede"]

#: One lock for every playground of the kernel: a retrain's thread and the notebook's own
#: thread never update widgets or draw (matplotlib is not thread-safe) at the same time.
LOCK = DRAWING  # the same lock: a live timeline draws under it too
_ERROR_CHARS = 300  # a status line shows at most this much of an error message
_WAIT_STEP_S = 0.25  # waits go in short steps, so an interrupt reaches them on every OS


@dataclasses.dataclass
class RetrainJob:
    """One press of Retrain: what it trains with, its stop flag, its thread, how it ended.

    Args:
        owner: the playground that started it (told what happens; see the module).
        index: 1 for a playground's first retrain, 2 for its second, ...
        settings: the playground settings it trains with.
        setup: ``model``, ``learning_rate`` and ``batch_size`` (see
            :meth:`cbteach.playground.RunList.training_setup`).
        epochs: the epochs asked for.
        folder: where its ModelCheckpoint saves.

    Example:

    >>> job = RetrainJob(None, 1, {}, {"model": "mlp"}, epochs=5, folder="ckpt")
    >>> job.model_name, job.done
    ('mlp', False)
    """

    owner: object
    index: int
    settings: dict
    setup: dict
    epochs: int
    folder: str
    stop: threading.Event = dataclasses.field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    detached: bool = False  # superseded or closed: its thread writes into no widget any more
    ended: threading.Event = dataclasses.field(default_factory=threading.Event)

    @property
    def done(self) -> bool:
        """Its thread has written its last word (or never started)."""
        return self.ended.is_set()

    @property
    def model_name(self) -> str:
        """The model's name: ``"mlp"``, or a learner's model's ``name``."""
        model = self.setup["model"]
        return str(getattr(model, "name", model))


#: The last retrain started in this kernel, over all playgrounds (``done`` once it ended).
_active: RetrainJob | None = None
# Compiled models that retrains reuse, by (model name, learning rate): a retrain resets one
# instead of building, compiling and tracing a new model (benchmarks/RESULTS.md: a loop of
# retrains 1.7-1.9x as fast on TensorFlow, 1.8-2.7x on JAX). Only one retrain runs at a time
# in a kernel (_active), so no two threads ever train one of them at once.
_RETRAINERS: dict[tuple[str, float], training.Retrainer] = {}


class ProgressCallback(keras.callbacks.Callback):
    """Calls ``report(epoch, logs)`` at the end of each epoch (1-based epoch).

    Args:
        report: called with the 1-based epoch and a copy of the epoch's logs.

    Example:

    >>> model.fit(x, y, callbacks=[ProgressCallback(print)])  # doctest: +SKIP
    """

    def __init__(self, report: Callable[[int, dict], None]) -> None:
        super().__init__()
        self.report = report

    def on_epoch_end(self, epoch, logs=None):
        self.report(epoch + 1, dict(logs or {}))


class RetrainSlot:
    """One playground's retrains: made one at a time, trained on a thread, never lost.

    Args:
        owner: the playground; its ``retrain_*`` methods hear what happens.
        data: what to train on (default: ``load_mnist(verbose=False)``, at the first retrain).
        checkpoint_dir: where each retrain's checkpoint folder goes (default: a temporary one).

    Example:

    >>> slot = RetrainSlot(owner=None)
    >>> slot.busy, slot.cancel()
    (False, None)
    """

    def __init__(self, owner: object, data=None, checkpoint_dir: str | os.PathLike | None = None):
        self.owner = owner
        self.data = data
        self.checkpoint_dir = checkpoint_dir
        self.job: RetrainJob | None = None
        self.count = 0  # retrains prepared so far

    @property
    def busy(self) -> bool:
        """True while this slot's retrain runs.

        Not ``thread.is_alive()``: on Python 3.11 a ``join`` that an interrupt breaks off marks
        the still running thread as stopped (bpo-45274), and ``is_alive()`` says False.
        """
        return self.job is not None and not self.job.done

    def busy_status(self) -> tuple[str, dict] | None:
        """Why a retrain cannot start now (a status key and its values), or None if it can."""
        job = _active
        if job is None or job.done:
            return None
        if job.stop.is_set() or job.detached:
            return "status_busy_stopping", {}
        if job.owner is self.owner:
            return "status_busy", {"index": job.index}
        return "status_busy_other", {}

    def new_folder(self) -> str:
        """A new folder for the next retrain's checkpoints (under ``checkpoint_dir``)."""
        if self.checkpoint_dir is not None:
            os.makedirs(self.checkpoint_dir, exist_ok=True)
        return tempfile.mkdtemp(prefix="cbteach-retrain-", dir=self.checkpoint_dir)

    def prepare(
        self,
        settings: Mapping[str, object],
        setup: dict,
        epochs: int,
        folder: str,
        callbacks: Sequence[keras.callbacks.Callback],
    ) -> RetrainJob:
        """The next retrain, ``callbacks`` saving into ``folder``: its thread made, not started.

        Args:
            settings: the playground settings it trains with.
            setup: ``model``, ``learning_rate`` and ``batch_size``.
            epochs: the epochs to train.
            folder: where its ModelCheckpoint saves (from :meth:`new_folder`).
            callbacks: the callbacks built from ``settings``.

        Example:

        >>> job = RetrainSlot(owner=None).prepare({}, {"model": "mlp"}, 5, "ckpt", [])
        >>> job.index, job.thread.is_alive()
        (1, False)
        """
        if _active is not None and _active.done:
            let_return(_active)  # one thread at a time: let the last one return first
        self.count += 1
        job = RetrainJob(self.owner, self.count, dict(settings), setup, int(epochs), folder)
        job.thread = threading.Thread(
            target=self._train,
            args=(job, list(callbacks)),
            name=f"cbteach-retrain-{job.index}",
            daemon=True,
        )
        return job

    def claim(self, job: RetrainJob) -> None:
        """``job`` is the kernel's running retrain from now (call before its thread starts).

        Args:
            job: the retrain from :meth:`prepare`.

        Example:

        >>> slot = RetrainSlot(owner=None)
        >>> slot.claim(slot.prepare({}, {"model": "mlp"}, 5, "ckpt", []))  # doctest: +SKIP
        """
        global _active
        _active = self.job = job

    @staticmethod
    def abandon(job: RetrainJob) -> bool:
        """Starting ``job`` was interrupted: stop it; True if it never ran (it is then done).

        Args:
            job: the retrain whose start was interrupted.

        Example:

        >>> job = RetrainSlot(owner=None).prepare({}, {"model": "mlp"}, 5, "ckpt", [])
        >>> RetrainSlot.abandon(job), job.done
        (True, True)
        """
        job.stop.set()  # should it run after all, it stops after one epoch, unheard
        if job.thread is not None and job.thread.ident is not None:
            return False  # it did start: the stop flag ends it, and its end frees the buttons
        job.detached = True
        job.ended.set()
        return True

    def cancel(self) -> RetrainJob | None:
        """Ask the running retrain to stop after its current epoch; None when none runs."""
        job = self.job
        if job is None or job.done:
            return None
        job.stop.set()
        return job

    def wait(self, timeout: float | None, on_interrupt: Callable[[], object]) -> bool:
        """Block until the retrain (if any) ends; True when none is left running.

        An interrupt calls ``on_interrupt`` (which cancels), waits for the end of the
        current epoch, then raises; a second interrupt stops waiting at once.

        Args:
            timeout: the most seconds to wait, or None for no limit.
            on_interrupt: called at the first interrupt (the playground cancels there).

        Example:

        >>> RetrainSlot(owner=None).wait(None, print)  # nothing to wait for
        True
        """
        job = self.job
        if job is None:
            return True
        try:
            wait_for(job, timeout)
        except KeyboardInterrupt:
            on_interrupt()
            try:
                wait_for(job, timeout)
            except KeyboardInterrupt:
                pass  # asked twice: give the notebook back now; the flag still stops training
            raise
        return not self.busy

    # ------------------------------------------------------------------ the training thread
    def _fit(self, job: RetrainJob, callbacks) -> Run:
        setup = dict(job.setup)
        if isinstance(setup["model"], str):  # a name: the shared, reset model
            fit = shared_retrainer(setup.pop("model"), setup.pop("learning_rate")).train
        else:  # a model the learner compiled: trained on from its current weights
            fit = training.train  # looked up at call time: tests stand in for train
        progress = ProgressCallback(lambda e, logs: job.owner.retrain_progress(job, e, logs))
        return fit(
            callbacks,
            data=self.data,
            epochs=job.epochs,
            **setup,
            stop=job.stop,
            extra_callbacks=[progress],
            live=Live(lambda png: job.owner.retrain_frame(job, png), share=WATCHED_SHARE),
        )

    def _train(self, job: RetrainJob, callbacks) -> None:
        """The thread: train, keep the run, and always say the last word."""
        owner = job.owner
        started = time.perf_counter()
        try:
            if self.data is None:
                owner.retrain_status(job, "status_loading_data")
                self.data = load_mnist(verbose=False)
            owner.retrain_status(
                job, "status_training", index=job.index, model=job.model_name, epochs=job.epochs
            )
            run = self._fit(job, callbacks)
        except BaseException as exc:  # noqa: BLE001 - even an interrupt here ends only the retrain
            with LOCK:
                try:
                    error = short_error(exc)
                    owner.retrain_status(job, "status_failed_retry", index=job.index, error=error)
                finally:
                    _end(job)
            return
        with LOCK:
            try:
                owner.retrain_finished(job, run, time.perf_counter() - started)
            except BaseException as exc:  # noqa: BLE001 - the run is kept; only drawing it failed
                error = short_error(exc)
                owner.retrain_status(job, "status_draw_failed", index=job.index, error=error)
            finally:
                _end(job)


def _end(job: RetrainJob) -> None:
    """The thread's last word: the owner frees its buttons, the kernel's slot is free."""
    try:
        job.owner.retrain_ended(job)
    finally:
        job.ended.set()


def shared_retrainer(model: str, learning_rate: float) -> training.Retrainer:
    """The kernel's shared :class:`~cbteach.training.Retrainer` of a model and learning rate.

    Args:
        model: a model name of :mod:`cbteach.training` (``"mlp"``, ``"cnn"``).
        learning_rate: the learning rate it is compiled with.

    Example:

    >>> shared_retrainer("mlp", 3e-3) is shared_retrainer("mlp", 0.003)  # doctest: +SKIP
    True
    """
    key = (model, float(learning_rate))
    if key not in _RETRAINERS:
        _RETRAINERS[key] = training.Retrainer(model, learning_rate=learning_rate)
    return _RETRAINERS[key]


def wait_for(job: RetrainJob, timeout: float | None) -> None:
    """Wait up to ``timeout`` seconds (None: no limit) for ``job``'s thread to end.

    It waits on the job's own Event, in short steps, so that an interrupt reaches the caller
    at once and leaves the thread alone: on Python 3.11 an interrupted ``Thread.join`` marks
    the still running thread as stopped (bpo-45274).

    Args:
        job: the retrain to wait for.
        timeout: the most seconds to wait, or None for no limit.

    Example:

    >>> job = RetrainJob(None, 1, {}, {"model": "mlp"}, epochs=5, folder="ckpt")
    >>> job.ended.set()
    >>> wait_for(job, timeout=1.0)  # it has ended: returns at once
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while not job.ended.is_set():
        step = _WAIT_STEP_S if deadline is None else min(_WAIT_STEP_S, deadline - time.monotonic())
        if step <= 0:
            return
        job.ended.wait(step)
    let_return(job)


def let_return(job: RetrainJob) -> None:
    """``job`` has ended: its thread is past its last word; let it return (a moment).

    Args:
        job: a retrain whose ``ended`` is set; one whose thread never started is left alone.

    Example:

    >>> let_return(RetrainJob(None, 1, {}, {"model": "mlp"}, epochs=5, folder="ckpt"))
    """
    if job.thread is not None and job.thread.ident is not None:  # never started: nothing to do
        job.thread.join(timeout=10)


def supersede(newcomer: object) -> None:
    """A playground was made: the retrain of an older one (if any runs) is cancelled.

    Usually the learner ran the same cell again: the older widgets are gone from the page,
    with the Cancel button that could stop it.

    Args:
        newcomer: the playground just made; its own retrain is never cancelled.

    Example:

    >>> supersede(playground)  # doctest: +SKIP
    """
    with LOCK:
        job = _active
        if job is not None and not job.done and job.owner is not newcomer:
            job.owner.retrain_superseded(job)


def short_error(exc: BaseException, limit: int = _ERROR_CHARS) -> str:
    """``KeyError: 'val_auc'``: the error's name and its message, without a stack, on one line.

    TensorFlow puts the Python stack of the failing operation into its messages ("Detected at
    node ... defined at (most recent call last): File ..."); a status line shows none of that,
    only the lines that say what went wrong, cut to ``limit`` characters.

    Args:
        exc: the error.
        limit: the most characters, "…" included. Defaults to 300.

    Example:

    >>> short_error(KeyError("val_auc"))
    "KeyError: 'val_auc'"
    """
    kept = []
    for line in str(exc).splitlines():
        text = line.strip()
        if not text or line[:1].isspace() or text.startswith("[[") or text.endswith(":"):
            continue  # stack lines are indented; "Graph execution error:" introduces them
        if "(most recent call last)" in text:
            continue
        kept.append(text)
    message = " ".join(" ".join(kept).split())
    brief = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return brief if len(brief) <= limit else brief[: limit - 1].rstrip() + "…"
