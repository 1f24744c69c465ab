"""What the three instrumented callbacks share: strict arguments, the event log, the notes.

:class:`Observed` is the mix-in base of cbteach's ModelCheckpoint, ReduceLROnPlateau and
EarlyStopping (:mod:`cbteach.callbacks`). It

- refuses a keyword Keras would not use (``fector=0.3``: "did you mean `factor`?") and a
  value Keras would misuse quietly (:mod:`cbteach.validation`);
- keeps the arguments of the construction (``callback.arguments``) for configs and replay;
- writes one :class:`~cbteach.events.Event` per epoch into an
  :class:`~cbteach.events.EventLog`, and prints its explanation when ``explain=True``;
- hands every epoch to Keras, whatever its logs hold, and explains what Keras did with a
  missing, NaN or infinite value (a warning, a note on Keras' own exception, an event note).

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


def check_arguments(
    keras_class: type, arguments: dict, own: tuple = ("log", "explain", "strict")
) -> None:
    """Raise TypeError, in the learner's language, for any keyword Keras would not use.

    A Keras 2 argument that Keras 3 no longer has (``period``, ``epsilon``) gets a
    sentence saying what to write instead.

    Args:
        keras_class: the Keras class the keywords are for.
        arguments: the keywords the learner wrote, by name.
        own: cbteach's own keyword names, suggested too. Defaults to
            `("log", "explain", "strict")`.

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
        **own: more keyword-only arguments and their defaults, after ``log``, ``explain``
            and ``strict``.

    Example:

    >>> sig = signature_with(keras.callbacks.ModelCheckpoint, write=True)
    >>> list(sig.parameters)[-4:]
    ['log', 'explain', 'strict', 'write']
    """
    sig = inspect.signature(keras_class)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    own = {"log": None, "explain": False, "strict": True, **own}
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


_NOTHING = object()


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
    previous = vars(obj).get(name, _NOTHING)  # a spy already in place (nested spies)
    object.__setattr__(obj, name, replacement)
    try:
        yield
    finally:
        if previous is _NOTHING:
            object.__delattr__(obj, name)
        else:
            object.__setattr__(obj, name, previous)


@contextmanager
def _checking(strict: bool) -> Iterator[None]:
    """Let a refusal raise (``strict``), or show it as an InputWarning and let Keras decide."""
    if strict:
        yield
        return
    try:
        yield
    except (TypeError, ValueError) as error:
        validation.warn(str(error))


class Observed:
    """What the three callbacks share: strict arguments, the event log, explanations.

    During training Keras decides everything: every epoch is handed to Keras' own
    ``on_epoch_end``, whatever its logs hold (a missing monitor, NaN, ±inf), and cbteach
    only reads Keras' state before and after. Where Keras raises (``mode="auto"`` on a name
    it cannot resolve, a file name the logs cannot fill), Keras' own exception goes on with
    a note in the learner's language; where Keras only warns (a missing monitor), cbteach
    warns too, in the learner's language, and records that Keras decided nothing.

    Before training (construction, ``on_train_begin``) cbteach is stricter than Keras: it
    refuses what Keras would accept and then misuse or silently drop (docs/STRICTER.md lists
    each case). ``strict=False`` turns those refusals into warnings and lets Keras decide.

    Args:
        *args: the Keras class' positional arguments.
        log: the :class:`~cbteach.events.EventLog` to write to. Defaults to a new one.
        explain: whether to print each event's explanation. Defaults to `False`.
        strict: whether to refuse, before training, inputs Keras would misuse. Defaults to
            `True`; `False` only warns.
        **kwargs: the Keras class' keyword arguments, checked by :func:`check_arguments`.

    Example:

    >>> from cbteach.callbacks import EarlyStopping
    >>> EarlyStopping(patience=3).arguments["patience"]
    3
    """

    _keras_class: type
    _own: tuple[str, ...] = ("log", "explain", "strict")

    def __init__(
        self,
        *args,
        log: EventLog | None = None,
        explain: bool = False,
        strict: bool = True,
        **kwargs,
    ):
        with _checking(strict):
            check_arguments(self._keras_class, kwargs, own=self._own)
        arguments = bound_arguments(self._keras_class, args, kwargs)
        with _checking(strict):
            validation.check_callback(self._keras_class, arguments)
        super().__init__(*args, **kwargs)
        validation.warn_callback(self._keras_class, arguments)
        self.strict = bool(strict)
        self._observe(log, explain, arguments)

    def _observe(self, log: EventLog | None, explain: bool, arguments: dict) -> None:
        self.arguments = arguments
        self.log = log if log is not None else EventLog()
        self.explain = bool(explain)
        self._best_epoch: int | None = None
        self._validation: bool | None = None  # will fit have validation data? (None: unknown)

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
        best_after = to_float(self.best)
        self._track_best(epoch, before["best"], best_after)
        value = self._value(logs)
        mode = self._mode()
        compares = self._compares()
        note = validation.not_finite_note(value, best_after, mode, logs) if compares else None
        return Event(
            epoch=epoch + 1,
            callback=type(self).__name__,
            action=action,
            reason=reason,
            monitor=self.monitor,
            mode=mode,
            value=value,
            best_before=before["best"],
            best_after=best_after,
            best_epoch=self._best_epoch,
            note=note,
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
        with _checking(self.strict):
            validation.check_train_begin(self)

    def _compares(self) -> bool:
        """Whether this epoch's monitored value decides anything (a checkpoint saving every
        epoch, or after batches: no)."""
        return bool(getattr(self, "save_best_only", True)) and (
            getattr(self, "save_freq", "epoch") == "epoch"
        )

    def on_epoch_end(self, epoch, logs=None):
        """Hand the epoch to Keras, always; explain what Keras did with a missing value.

        Keras' own exceptions (``mode="auto"`` on a name it cannot resolve, a file name the
        logs cannot fill) go on as they are, with a note saying what to write instead.
        """
        logs = logs if logs is not None else {}
        try:
            super().on_epoch_end(epoch, logs)
        except (KeyError, ValueError) as error:
            validation.add_note(error, validation.error_note(self, logs))
            raise
        if self._compares() and self.monitor not in logs:  # Keras warned and decided nothing
            validation.warn(validation.missing_monitor(self, logs))
