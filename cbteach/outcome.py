"""How a run ended, in sentences: "Why did it stop?" and "What you would have missed".

Both are read from the run's events, which Keras' own decisions left; nothing is decided
here. Epochs are 1-based, as Keras prints them ("Epoch 12: early stopping").

- :func:`why_it_stopped`: which callback stopped training (or that none did), its monitor,
  the best value and its epoch, the wait against patience, and whose weights the model
  holds now: the restored best epoch's or the last epoch's.
- :func:`missed`: in a replay that EarlyStopping stopped, the recorded epochs after the stop
  (``run.after_stop``): did the monitored value ever beat the best again, and where.

Example:

>>> from cbteach import EarlyStopping, recorded
>>> from cbteach.replay import replay
>>> run = replay(recorded.load("overfit"), [EarlyStopping(patience=5)])
>>> print(why_it_stopped(run, "en")[0])  # doctest: +ELLIPSIS
EarlyStopping stopped training after epoch 12: val_loss had not improved on ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cbteach import i18n
from cbteach.events import Action, Event, first

if TYPE_CHECKING:
    from cbteach.run import Run

__all__ = ["Missed", "missed", "why_it_stopped"]

_EARLY_STOP = "EarlyStopping"
_WAITING = ("EarlyStopping", "ReduceLROnPlateau")


def _t(key: str, lang: str | None, **values: object) -> str:
    return i18n.t(f"outcome.{key}", lang, **values)


@dataclass(frozen=True)
class Missed:
    """What the recorded epochs after an EarlyStopping stop held.

    Args:
        monitor: the quantity EarlyStopping watched.
        best: its best value up to the stop, and ``best_epoch`` the epoch of it.
        best_epoch: the 1-based epoch of ``best``.
        later: how many recorded epochs came after the stop.
        later_epoch: the best epoch after the stop when it beat ``best`` (else None).
        later_value: the value at ``later_epoch`` (else None).

    Example:

    >>> Missed("val_loss", 0.21, 7, 88, None, None).better
    False
    """

    monitor: str
    best: float
    best_epoch: int
    later: int
    later_epoch: int | None
    later_value: float | None

    @property
    def better(self) -> bool:
        """Whether an epoch after the stop beat the best one."""
        return self.later_epoch is not None


def missed(run: Run) -> Missed | None:
    """The recorded epochs after an EarlyStopping stop, judged as EarlyStopping judges.

    Args:
        run: a replay (its ``after_stop`` holds the recorded epochs it did not reach).

    Returns:
        A :class:`Missed`, or None when EarlyStopping did not stop, or no recorded epoch
        came after the stop.

    Example:

    >>> from cbteach import EarlyStopping, recorded
    >>> from cbteach.replay import replay
    >>> found = missed(replay(recorded.load("overfit"), [EarlyStopping(patience=5)]))
    >>> found.better, found.best_epoch
    (False, 7)
    """
    stop = first(run.events, Action.STOPPED, _EARLY_STOP)
    rest = getattr(run, "after_stop", {}).get(stop.monitor, []) if stop is not None else []
    if stop is None or not rest or stop.best_after is None or stop.best_epoch is None:
        return None
    better = min if stop.mode != "max" else max
    value = better(rest)
    beats = value < stop.best_after if stop.mode != "max" else value > stop.best_after
    epoch = run.epochs + rest.index(value) + 1 if beats else None
    return Missed(
        stop.monitor,
        stop.best_after,
        stop.best_epoch,
        len(rest),
        epoch,
        value if beats else None,
    )


def missed_sentence(found: Missed, lang: str | None = None) -> str:
    """One sentence on :func:`missed`'s answer, in ``lang``.

    Example:

    >>> missed_sentence(Missed("val_loss", 0.2102, 7, 88, None, None), "en")
    'val_loss never beat epoch 7 (0.2102) again in the 88 recorded epochs after the stop.'
    """
    number = i18n.number
    if found.better:
        return _t(
            "missed_better",
            lang,
            epoch=found.later_epoch,
            monitor=found.monitor,
            value=number(found.later_value),
            best=number(found.best),
            best_epoch=found.best_epoch,
        )
    return _t(
        "missed_never",
        lang,
        monitor=found.monitor,
        best=number(found.best),
        best_epoch=found.best_epoch,
        later=found.later,
    )


def _planned(run: Run) -> int:
    return run.planned_epochs or run.epochs


def _waiting_line(run: Run, callback: str, lang: str | None) -> str | None:
    decisions = run.events.decisions(callback) if hasattr(run.events, "decisions") else []
    last: Event | None = decisions[-1] if decisions else None
    if last is None or last.patience is None:
        return None
    return _t(
        "waiting",
        lang,
        callback=callback,
        monitor=last.monitor,
        wait=last.wait_after if last.wait_after is not None else 0,
        patience=last.patience,
        best=i18n.number(last.best_after),
        best_epoch=last.best_epoch if last.best_epoch is not None else "—",
    )


def _weights_line(run: Run, lang: str | None) -> str:
    restored = first(run.events, Action.RESTORED)
    if restored is not None and restored.best_epoch is not None:
        return _t("weights_restored", lang, epoch=restored.best_epoch)
    return _t("weights_last", lang, epoch=run.epochs)


def why_it_stopped(run: Run | None, lang: str | None = None, running: bool = False) -> list[str]:
    """ "Why did it stop?": one sentence each, in ``lang``.

    Args:
        run: the run (a real one, a replay, or a live snapshot).
        lang: "ko" or "en". Defaults to the language in use.
        running: the run is still training (a live timeline): say where it stands instead.

    Returns:
        The sentences, the stop first and the weights last; empty for no run.

    Example:

    >>> from cbteach import recorded
    >>> why_it_stopped(recorded.load("plateau"), "en")[0]
    'No callback stopped training: it ran all 60 planned epochs.'
    """
    if run is None or run.epochs == 0:
        return []
    if running:
        lines = [_t("running", lang, epoch=run.epochs, planned=_planned(run))]
        return lines + [x for cb in _WAITING if (x := _waiting_line(run, cb, lang))]
    stop = first(run.events, Action.STOPPED, _EARLY_STOP)
    if stop is not None:
        lines = [
            _t(
                "stopped",
                lang,
                epoch=stop.epoch,
                monitor=stop.monitor,
                best=i18n.number(stop.best_after),
                best_epoch=stop.best_epoch if stop.best_epoch is not None else "—",
                wait=stop.wait_after,
                patience=stop.patience,
            )
        ]
    elif run.epochs < _planned(run):
        lines = [_t("stopped_outside", lang, epoch=run.epochs, planned=_planned(run))]
    else:
        lines = [_t("ran_all", lang, epochs=run.epochs)]
    found = missed(run)
    if found is not None:
        lines.append(missed_sentence(found, lang))
    return [*lines, _weights_line(run, lang)]
