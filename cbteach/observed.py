"""What the three instrumented callbacks share: strict arguments, the event log, the guard.

:class:`Observed` is the mix-in base of cbteach's ModelCheckpoint, ReduceLROnPlateau and
EarlyStopping (:mod:`cbteach.callbacks`). It

- refuses a keyword Keras would not use (``fector=0.3``: "did you mean `factor`?") and a
  value Keras would misuse quietly (:mod:`cbteach.validation`);
- keeps the arguments of the construction (``callback.arguments``) for configs and replay;
- writes one :class:`~cbteach.events.Event` per epoch into an
  :class:`~cbteach.events.EventLog`, and prints its explanation when ``explain=True``;
- keeps an epoch whose monitored value is missing or not finite away from Keras' decision.

The helpers below read Keras' state without changing it: :func:`to_float` turns a tensor or
NumPy scalar into a float, :func:`spy` replaces one method of one instance for a block.

Example:

>>> class Quiet(Observed, keras.callbacks.EarlyStopping):  # doctest: +SKIP
...     _keras_class = keras.callbacks.EarlyStopping
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import keras
import numpy as np

from cbteach import validation
from cbteach.arguments import check_names
from cbteach.events import Action, Event, EventLog

__all__ = [
    "Observed",
    "bound_arguments",
    "check_arguments",
    "keras_parameters",
    "same",
    "spy",
    "to_float",
]


# Arguments of Keras 2 that Keras 3 no longer has, and the catalog key that says what to do.
REMOVED = {
    "period": "callbacks.removed_period",
    "epsilon": "callbacks.removed_epsilon",
}


def keras_parameters(keras_class: type) -> list[str]:
    """The names of the arguments a Keras class takes (no ``self``, no ``**kwargs``).

    Args:
        keras_class: a Keras callback class.

    Example:

    >>> keras_parameters(keras.callbacks.EarlyStopping)[:3]
    ['monitor', 'min_delta', 'patience']
    """
    params = inspect.signature(keras_class.__init__).parameters.values()
    return [p.name for p in params if p.name != "self" and p.kind is not p.VAR_KEYWORD]


def check_arguments(keras_class: type, arguments: dict, own: tuple = ("log", "explain")) -> None:
    """Raise TypeError, in the learner's language, for any keyword Keras would not use.

    A Keras 2 argument that Keras 3 no longer has (``period``, ``epsilon``) gets a
    sentence saying what to write instead.

    Args:
        keras_class: the Keras class the keywords are for.
        arguments: the keywords the learner wrote, by name.
        own: cbteach's own keyword names, suggested too. Defaults to `("log", "explain")`.

    Example:

    >>> check_arguments(keras.callbacks.ReduceLROnPlateau, {"fector": 0.3})
    Traceback (most recent call last):
        ...
    TypeError: ReduceLROnPlateau has no argument `fector` — did you mean `factor`?
    """
    check_names(
        keras_class.__name__,
        keras_parameters(keras_class),
        arguments,
        own=own,
        removed=REMOVED,
    )


def bound_arguments(keras_class: type, args: tuple, kwargs: dict) -> dict:
    """Every Keras argument of a construction, defaults filled in (for configs and replay).

    Args:
        keras_class: the Keras class constructed.
        args: the positional arguments given.
        kwargs: the keyword arguments given.

    Example:

    >>> bound_arguments(keras.callbacks.EarlyStopping, (), {"patience": 3})["patience"]
    3
    """
    sig = inspect.signature(keras_class.__init__)
    bound = sig.bind_partial(None, *args, **kwargs)
    bound.apply_defaults()
    return {k: v for k, v in bound.arguments.items() if k not in ("self", "kwargs")}


def signature_with(keras_class: type, **own: object) -> inspect.Signature:
    """Keras' signature plus cbteach's keyword-only arguments, for help() and inspect.

    Args:
        keras_class: the Keras class whose signature to extend.
        **own: more keyword-only arguments and their defaults, after ``log`` and ``explain``.

    Example:

    >>> sig = signature_with(keras.callbacks.ModelCheckpoint, write=True)
    >>> list(sig.parameters)[-3:]
    ['log', 'explain', 'write']
    """
    sig = inspect.signature(keras_class)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    own = {"log": None, "explain": False, **own}
    params += [
        inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=d) for n, d in own.items()
    ]
    return sig.replace(parameters=params)


def to_float(value) -> float | None:
    """A tensor, NumPy or Python number as a float; None for None or a non-number.

    Args:
        value: a tensor, a NumPy scalar, a Python number or None.

    Example:

    >>> to_float(np.float32(0.5)), to_float(keras.ops.convert_to_tensor(0.25)), to_float(None)
    (0.5, 0.25, None)
    """
    if value is None:
        return None
    if isinstance(value, (float, int, np.floating, np.integer)):
        return float(value)
    try:
        return float(keras.ops.convert_to_numpy(value))
    except (TypeError, ValueError):
        return None


def same(a, b) -> bool:
    """Equal, with NaN equal to NaN (a NaN best stays the best: nothing compares below it).

    Args:
        a: a value, or a dict of values.
        b: the value (or dict) to compare with.

    Example:

    >>> same({"best": float("nan")}, {"best": float("nan")}), same(0.3, 0.31)
    (True, False)
    """
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


@contextmanager
def spy(obj, name: str, replacement: Callable) -> Iterator[None]:
    """Replace the method ``obj.name`` on this one instance while the block runs.

    Args:
        obj: the instance.
        name: the method's name.
        replacement: the callable that stands in for it.

    Example:

    >>> model = keras.Sequential()
    >>> with spy(model, "summary", lambda: "spied"):
    ...     model.summary()
    'spied'
    """
    object.__setattr__(obj, name, replacement)
    try:
        yield
    finally:
        object.__delattr__(obj, name)


class Observed:
    """What the three callbacks share: strict arguments, the event log, explanations.

    It also guards Keras' decision at the end of each epoch (:meth:`on_epoch_end`): an
    epoch whose logs lack a value the callback needs, or whose monitored value is NaN or
    infinite, is not handed to Keras. Keras would crown a NaN first value the best for
    ever (nothing compares below NaN), and a missing value only makes it warn, every epoch.

    Args:
        *args: the Keras class' positional arguments.
        log: the :class:`~cbteach.events.EventLog` to write to. Defaults to a new one.
        explain: whether to print each event's explanation. Defaults to `False`.
        **kwargs: the Keras class' keyword arguments, checked by :func:`check_arguments`.

    Example:

    >>> from cbteach.callbacks import EarlyStopping
    >>> EarlyStopping(patience=3).arguments["patience"]
    3
    """

    _keras_class: type
    _own: tuple[str, ...] = ("log", "explain")
    # the reason keys of an epoch not handed to Keras (ModelCheckpoint's; the others override)
    _not_finite_reason = "events.mc_not_finite"
    _missing_reason = "events.mc_stopped_missing"

    def __init__(self, *args, log: EventLog | None = None, explain: bool = False, **kwargs):
        check_arguments(self._keras_class, kwargs, own=self._own)
        arguments = bound_arguments(self._keras_class, args, kwargs)
        validation.check_callback(self._keras_class, arguments)
        super().__init__(*args, **kwargs)
        validation.warn_callback(self._keras_class, arguments)
        self._observe(log, explain, arguments)

    def _observe(self, log: EventLog | None, explain: bool, arguments: dict) -> None:
        self.arguments = arguments
        self.log = log if log is not None else EventLog()
        self.explain = bool(explain)
        self._best_epoch: int | None = None
        self._validation: bool | None = None  # will fit have validation data? (None: unknown)
        self._withheld: tuple[int, Action, str] | None = None  # an epoch not handed to Keras

    @property
    def events(self) -> EventLog:
        """The EventLog this callback writes to."""
        return self.log

    def _record(self, event: Event) -> None:
        self.log.append(event)
        if self.explain:
            print(event.explain(), flush=True)

    def _value(self, logs: dict | None) -> float | None:
        return to_float((logs or {}).get(self.monitor))

    def _mode(self) -> str | None:
        op = getattr(self, "monitor_op", None)
        if op is None:
            return None
        return "min" if op is keras.ops.less else "max"

    def _track_best(self, epoch: int, best_before, best_after) -> None:
        if best_after is not None and not same(best_after, best_before):
            self._best_epoch = epoch + 1

    def _event(self, epoch: int, action: Action, reason: str, logs, before: dict, **extra) -> Event:
        if self._withheld is not None and self._withheld[0] == epoch:
            _, action, reason = self._withheld  # Keras did not decide: say why
        best_after = to_float(self.best)
        self._track_best(epoch, before["best"], best_after)
        return Event(
            epoch=epoch + 1,
            callback=type(self).__name__,
            action=action,
            reason=reason,
            monitor=self.monitor,
            mode=self._mode(),
            value=self._value(logs),
            best_before=before["best"],
            best_after=best_after,
            best_epoch=self._best_epoch,
            **extra,
        )

    def _record_wait(self, epoch, action, reason, logs, before, after, **extra) -> None:
        """Record an event of a callback that counts epochs without improvement."""
        wait = {"wait_before": before["wait"], "wait_after": after["wait"]}
        self._record(
            self._event(
                epoch, action, reason, logs, before, **wait, patience=self.patience, **extra
            )
        )

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        if self.best is None:  # Keras reset its best: so do we
            self._best_epoch = None
        validation.check_train_begin(self)

    def _compares(self) -> bool:
        """Whether the monitored value decides anything (a checkpoint saving every epoch: no)."""
        return bool(getattr(self, "save_best_only", True))

    def on_epoch_end(self, epoch, logs=None):
        """Hand the epoch to Keras, unless a value it needs is missing or not finite.

        Missing: warn, say what to write, record the event and stop training cleanly.
        Not finite: record the event; the epoch counts neither as an improvement nor as
        a miss (EarlyStopping stops, see :meth:`EarlyStopping._withhold`).
        """
        self._withheld = None
        logs = logs if logs is not None else {}
        missing = validation.missing_names(self, epoch, logs, self._compares())
        if missing is not None:
            validation.warn(missing)
            self.model.stop_training = True
            self._withhold(epoch, logs, Action.MISSING, self._missing_reason)
        elif self._compares() and validation.not_finite(self._value(logs)):
            self._withhold(epoch, logs, Action.NOT_FINITE, self._not_finite_reason)
        else:
            validation.resolve_mode(self)
            super().on_epoch_end(epoch, logs)

    def _withhold(self, epoch: int, logs: dict, action: Action, reason: str) -> None:
        """Keep the epoch from Keras' decision, and note why for the epoch's event."""
        self._withheld = (epoch, action, reason)
