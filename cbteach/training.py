"""One real training run with the callbacks a lesson chose, kept as a :class:`Run`."""

from __future__ import annotations

import inspect
import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import keras

from cbteach import device, i18n, models
from cbteach.atomic import write_text
from cbteach.callbacks import describe
from cbteach.checkpoints import BackupAndRestore, epochs_done
from cbteach.data import load_mnist
from cbteach.events import EventLog
from cbteach.models import build_model, compile_model
from cbteach.run import Run
from cbteach.validation import check_labels, check_train_arguments

__all__ = [
    "STEPS_PER_EXECUTION",
    "EpochRecorder",
    "Retrainer",
    "Run",
    "StopWhen",
    "batches_per_call",
    "needs_every_batch",
    "train",
]

STEPS_PER_EXECUTION = 32
"""Batches per call into the compiled training step when no callback acts on single batches
(TensorFlow and JAX; :func:`batches_per_call` says which number a model gets).

On the lessons' MLP (batch 32, 125 batches an epoch) this makes a TensorFlow epoch on a CPU
about 1.4-1.7 times as fast (benchmarks/RESULTS.md). Every number trained stays the same, bit
for bit (tests/test_retrainer.py compares), and the epoch hooks are called as before; only the
batch hooks would be called once per 32 batches, so a callback that has batch hooks (an
integer ``save_freq``, a ``HookTrace``) gets a model that runs one batch per call.
"""

BATCH_HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
)


class EpochRecorder(keras.callbacks.Callback):
    """Records the learning rate in effect during each epoch and each epoch's wall time.

    Args:
        None.

    Example:

    >>> import numpy as np
    >>> model, x = compile_model(build_model("mlp")), np.zeros((8, 28, 28, 1))
    >>> recorder = EpochRecorder()
    >>> _ = model.fit(x, np.zeros(8), epochs=2, callbacks=[recorder], verbose=0)
    >>> len(recorder.epoch_times), round(recorder.lrs[0], 6)
    (2, 0.001)
    """

    def __init__(self) -> None:
        super().__init__()
        self.lrs: list[float] = []
        self.epoch_times: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self.lrs.append(models.learning_rate(self.model))
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_times.append(time.perf_counter() - self._start)


class StopWhen(keras.callbacks.Callback):
    """Stops training cleanly at the end of the epoch once ``flag`` is set (a Cancel button).

    Args:
        flag: a ``threading.Event``, set from another thread (or before training).

    Example:

    >>> import numpy as np
    >>> model, x = compile_model(build_model("mlp")), np.zeros((8, 28, 28, 1))
    >>> flag = threading.Event()
    >>> flag.set()
    >>> history = model.fit(x, np.zeros(8), epochs=5, callbacks=[StopWhen(flag)], verbose=0)
    >>> len(history.history["loss"])
    1
    """

    def __init__(self, flag: threading.Event) -> None:
        super().__init__()
        self.flag = flag

    def on_epoch_end(self, epoch, logs=None):
        if self.flag.is_set():
            self.model.stop_training = True


_LOG_STARTS = "cbteach-eventlogs.json"  # in the backup folder: where each log's run began


def resume_logs(backup_dir: str | Path, callbacks: Sequence[keras.callbacks.Callback]) -> int:
    """Make the EventLog files of ``callbacks`` continue the run backed up in ``backup_dir``.

    Returns how many epochs the backup holds (0: a fresh start). On a fresh start it
    notes in the backup folder where each log file ends, i.e. where this run's events
    begin. On a resume it cuts each file back to the backup's last epoch
    (:meth:`EventLog.resume`): the events of the epoch that was interrupted are dropped,
    because Keras trains that epoch again. Logs without a file are left as they are.

    Args:
        backup_dir: the ``backup_dir`` of ``train``; created if missing.
        callbacks: the callbacks of the run; those with an EventLog file are resumed.

    Example:

    >>> import tempfile
    >>> resume_logs(tempfile.mkdtemp(), [])
    0
    """
    backup_dir = Path(backup_dir)
    done = epochs_done(backup_dir)
    logs = {str(log.path.resolve()): log for log in _event_logs(callbacks) if log.path}
    record = backup_dir / _LOG_STARTS
    starts = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    for key, log in logs.items():
        if key in starts:
            log.resume(done, starts[key])
        else:
            starts[key] = log.end_offset()
    backup_dir.mkdir(parents=True, exist_ok=True)
    write_text(record, json.dumps(starts, ensure_ascii=False))
    return done


def _event_logs(callbacks: Sequence[keras.callbacks.Callback]) -> list[EventLog]:
    logs = [cb.log for cb in callbacks if isinstance(getattr(cb, "log", None), EventLog)]
    return list({id(log): log for log in logs}.values())


def needs_every_batch(callbacks: Sequence[keras.callbacks.Callback]) -> bool:
    """Does one of ``callbacks`` act on single batches (so each batch must be its own call)?

    A callback does when it overrides one of Keras' batch hooks (:data:`BATCH_HOOKS`; Keras
    marks the base class' empty hooks with ``_is_default``), except a checkpoint or backup
    that saves per epoch (``save_freq="epoch"``), whose batch hook does nothing.

    Args:
        callbacks: the callbacks of a run.

    Example:

    >>> from cbteach.hooks import HookTrace
    >>> needs_every_batch([HookTrace()]), needs_every_batch([EpochRecorder()])
    (True, False)
    """
    for callback in callbacks:
        if getattr(callback, "save_freq", None) == "epoch":
            continue
        for name in BATCH_HOOKS:
            hook = getattr(callback, name, None)
            if hook is not None and not getattr(hook, "_is_default", False):
                return True
    return False


def batches_per_call(every_batch: bool = False, backend: str | None = None) -> int:
    """Batches per call (``steps_per_execution``) for a model cbteach compiles to train.

    :data:`STEPS_PER_EXECUTION` on TensorFlow and JAX, so that what they train stays what
    it was; 1 where a callback acts on single batches (``every_batch``, see
    :func:`needs_every_batch`), and 1 on PyTorch: Keras 3.15 refuses more there when ``fit``
    starts ("steps_per_execution must be 1 with the PyTorch backend").

    Args:
        every_batch: a callback of the run has batch hooks. Defaults to False.
        backend: a Keras backend name. Defaults to the one in use,
            ``keras.backend.backend()``.

    Example:

    >>> batches_per_call(backend="jax"), batches_per_call(backend="torch")
    (32, 1)
    >>> batches_per_call(every_batch=True, backend="tensorflow")
    1
    """
    backend = backend or keras.backend.backend()
    return 1 if every_batch or backend == "torch" else STEPS_PER_EXECUTION


def _build_before_seeding(model: keras.Model, data, batch_size: int) -> None:
    """Let Keras finish building a new model before the seed is set.

    On a model's first ``fit`` Keras builds the compiled metrics from one batch of the
    training data; on JAX that batch costs one extra shuffle drawn after the seed was set,
    so a new model's first run and every later run of it would see the batches in another
    order. Evaluating a few validation images (never shuffled) builds them first.
    """
    if all(getattr(metric, "built", True) for metric in model.metrics):
        return
    n = max(1, min(batch_size, len(data.y_val)))
    model.evaluate(data.x_val[:n], data.y_val[:n], batch_size=n, verbose=0)


def _compiled(model, callbacks, learning_rate: float, seed: int) -> tuple[keras.Model, str]:
    """The model to train and its name: a learner's compiled model as it is, or a new one."""
    if not isinstance(model, str):
        return model, model.name
    compiled = compile_model(
        build_model(model, seed=seed),
        learning_rate=learning_rate,
        steps_per_execution=batches_per_call(needs_every_batch(callbacks)),
    )
    return compiled, model


def _helpers(stop, backup_dir, callbacks) -> tuple[list[keras.callbacks.Callback], dict]:
    """The callbacks ``train`` adds after the learner's, and the Run fields of a resume."""
    helpers: list[keras.callbacks.Callback] = [StopWhen(stop)] if stop is not None else []
    if backup_dir is None:
        return helpers, {}
    # last, so that an epoch is backed up only after every event of it is written
    helpers.append(BackupAndRestore(str(backup_dir)))
    return helpers, {
        "backup_dir": str(backup_dir),
        "resumed_from": resume_logs(backup_dir, callbacks),
    }


def train(
    callbacks: Sequence[keras.callbacks.Callback] = (),
    *,
    data=None,
    model: str | keras.Model = "cnn",
    epochs: int = 20,
    batch_size: int = 128,
    learning_rate: float = 1e-3,
    seed: int = 0,
    verbose: int = 0,
    name: str = "",
    stop: threading.Event | None = None,
    extra_callbacks: Sequence[keras.callbacks.Callback] = (),
    backup_dir: str | Path | None = None,
    live: object = False,
    **misspelled: object,
) -> Run:
    """Train a real MNIST model with ``callbacks`` and return the :class:`Run`.

    Args:
        callbacks: the callbacks the lesson studies (cbteach's record their decisions).
        data: a :class:`cbteach.data.MnistData`. Defaults to ``load_mnist()``.
        model: a name from :data:`cbteach.models.MODELS` (built and compiled with ``seed``
            and ``learning_rate``) or an already compiled Keras model. Defaults to ``"cnn"``.
        epochs: the most epochs to train. Defaults to 20.
        batch_size: images per batch. Defaults to 128.
        learning_rate: the Adam learning rate of a model built by name. Defaults to 1e-3.
        seed: the seed of the weights, shuffles and dropout masks. Defaults to 0.
        verbose: Keras' progress output (0, 1 or 2). Defaults to 0.
        name: a label for plots and the Playground.
        stop: a ``threading.Event``; set from another thread, training ends after the
            current epoch.
        extra_callbacks: progress bars and printers that run before ``callbacks`` at each
            hook and are not part of the run's settings.
        backup_dir: at the end of every epoch, back up the weights, the optimizer's state
            and the number of finished epochs into this folder
            (:class:`cbteach.checkpoints.BackupAndRestore`, with atomic writes). After an
            interruption (a killed process, a restarted kernel, an interrupted cell),
            calling ``train`` again with the same arguments resumes after the last finished
            epoch, and each callback's EventLog file continues where it stopped. Give it a
            folder of its own: Keras deletes it when training ends. The callbacks' own
            counters and the random generators start afresh (docs/FAULTS.md).

        live: redraw the Timeline after every epoch while it trains (:mod:`cbteach.live`):
            True in a notebook (one output, updated in place), a PNG file name (rewritten
            after each drawing), or a function given each PNG. Drawing happens on its own
            thread, at most every half second; the last drawing shows the finished run.
            ``cbteach.live.Live(target, every=..., share=...)`` sets the pace. Defaults to
            False.

    Raises:
        TypeError: a misspelled argument ("did you mean `epochs`?"), in the learner's
            language; ValueError for an impossible value or labels outside the ten digits.

    Example:

    >>> import cbteach
    >>> run = train([cbteach.EarlyStopping(patience=3)], model="mlp", epochs=30)  # doctest: +SKIP
    >>> run.stopped_epoch  # doctest: +SKIP
    23
    """
    check_train_arguments(  # a typo or an impossible value, in the learner's language
        misspelled,
        valid=_TRAIN_PARAMETERS,
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        callbacks=callbacks,
    )
    if data is None:
        data = load_mnist(verbose=verbose > 0)
    check_labels(data)
    model, model_name = _compiled(model, [*extra_callbacks, *callbacks], learning_rate, seed)
    _build_before_seeding(model, data, batch_size)
    keras.utils.set_random_seed(seed)  # the shuffles, dropout masks: the same for every run
    recorder = EpochRecorder()
    helpers, resumed = _helpers(stop, backup_dir, callbacks)
    on_device = device.describe()

    def record(history: dict) -> Run:
        """The Run of the epochs so far (a live snapshot), or of all of them (the result)."""
        return Run(
            history={k: [float(x) for x in v] for k, v in history.items()},
            events=EventLog.merge(_event_logs(callbacks)),
            lrs=list(recorder.lrs),
            epoch_times=list(recorder.epoch_times),
            device=on_device,
            data=data.summary,
            name=name,
            model_name=model_name,
            planned_epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            seed=seed,
            steps_per_execution=getattr(model, "steps_per_execution", 1),
            callback_settings=[describe(cb) for cb in callbacks],
            **resumed,
            model=model,
        )

    watcher = _live(live, record)
    try:
        history = model.fit(
            data.x_train,
            data.y_train,
            validation_data=(data.x_val, data.y_val),
            epochs=epochs,
            batch_size=batch_size,
            callbacks=[recorder, *extra_callbacks, *callbacks, *helpers, *watcher],
            verbose=verbose,
        )
    finally:
        for each in watcher:
            each.close()  # an interrupted fit leaves no drawing thread behind
    run = record(history.history)
    for each in watcher:
        each.finish(run)
    return run


def _live(live: object, record) -> list:
    """The LiveTimeline ``train(live=...)`` asks for, in a list (empty: no live drawing)."""
    from cbteach.live import Live, LiveTimeline, sink_for  # drawing is imported only when asked

    pace = live if isinstance(live, Live) else Live(live)
    sink = sink_for(pace.target)
    return [] if sink is None else [LiveTimeline(record, sink, every=pace.every, share=pace.share)]


_TRAIN_PARAMETERS = tuple(
    p.name for p in inspect.signature(train).parameters.values() if p.kind is not p.VAR_KEYWORD
)
"""The names ``train()`` takes: what "did you mean ...?" compares a misspelled name with."""


class Retrainer:
    """Train one compiled model again and again, each run from the same starting point.

    :func:`train` builds and compiles a new model for every run, and Keras traces its
    training and evaluation steps again on the first ``fit``. A ``Retrainer`` does that
    once: it builds and compiles ``model`` (a name from :data:`cbteach.models.MODELS`),
    keeps the starting state (the weights, the dropout layers' random state, and the
    optimizer's step count, learning rate and moments) and puts it back before every run.
    So a learner's tenth retrain with other callback settings trains exactly as a fresh
    ``train(callbacks, model=model, learning_rate=..., seed=...)`` would: the same
    numbers, value for value (tests/test_retrainer.py compares), only sooner.

    All its runs share one model: ``run.model`` holds the weights of the latest run.
    Callbacks that act on single batches (:func:`needs_every_batch`) get a fresh model
    from :func:`train` instead when this one runs several batches per call (TensorFlow
    and JAX; on PyTorch it runs one, see :func:`batches_per_call`).

    Args:
        model: ``"cnn"`` or ``"mlp"``. Defaults to `"cnn"`.
        learning_rate: Adam's learning rate. Defaults to `1e-3`.
        seed: the seed of the weights, shuffles and dropout masks. Defaults to `0`.
        steps_per_execution: batches per call into the compiled step. Defaults to
            :func:`batches_per_call` (32 on TensorFlow and JAX, 1 on PyTorch).

    Example:

    >>> from cbteach import EarlyStopping
    >>> retrainer = Retrainer("mlp", learning_rate=3e-3)  # doctest: +SKIP
    >>> runs = [retrainer.train([EarlyStopping(patience=p)]) for p in (2, 5)]  # doctest: +SKIP
    """

    def __init__(
        self,
        model: str = "cnn",
        *,
        learning_rate: float = 1e-3,
        seed: int = 0,
        steps_per_execution: int | None = None,
    ) -> None:
        self.name = model
        self.learning_rate = learning_rate
        self.seed = seed
        self.model = compile_model(
            build_model(model, seed=seed),
            learning_rate=learning_rate,
            steps_per_execution=(
                batches_per_call() if steps_per_execution is None else steps_per_execution
            ),
        )
        optimizer = self.model.optimizer
        optimizer.build(self.model.trainable_variables)  # its moments exist from now on
        self._variables = [*self.model.variables, *optimizer.variables]
        self._start = [keras.ops.convert_to_numpy(v.value) for v in self._variables]
        self.runs = 0

    def reset(self) -> keras.Model:
        """Put the model back in its starting state and return it."""
        for variable, value in zip(self._variables, self._start, strict=True):
            variable.assign(value)
        self.model.stop_training = False
        return self.model

    def train(self, callbacks: Sequence[keras.callbacks.Callback] = (), **kwargs) -> Run:
        """:func:`train` ``callbacks`` on the reset model; ``kwargs`` as :func:`train` takes them.

        ``model``, ``learning_rate`` and ``seed`` belong to the retrainer and cannot be given.

        Args:
            callbacks: the callbacks the lesson studies. Defaults to none.
            **kwargs: the other arguments of :func:`train` (``epochs``, ``data``, ...).

        Raises:
            TypeError: ``model``, ``learning_rate`` or ``seed`` among ``kwargs``.

        Example:

        >>> import cbteach
        >>> run = retrainer.train([cbteach.EarlyStopping(patience=3)], epochs=30)  # doctest: +SKIP
        """
        own = sorted(set(kwargs) & {"model", "learning_rate", "seed"})
        if own:
            raise TypeError(i18n.t("training.retrainer_fixed", names=", ".join(own)))
        settings = {"learning_rate": self.learning_rate, "seed": self.seed}
        every_batch = needs_every_batch([*kwargs.get("extra_callbacks", ()), *callbacks])
        if every_batch and self.model.steps_per_execution > 1:
            return train(callbacks, model=self.name, **settings, **kwargs)
        self.runs += 1
        return train(callbacks, model=self.reset(), **settings, **kwargs)
