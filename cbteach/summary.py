"""A few translated sentences on what each callback did over a whole :class:`Run`.

The sentences are read off the run alone: its events (``STOPPED``, ``RESTORED``,
``REDUCED_LR``, ``SAVED`` ...), its history length, the settings each callback was built
with, the epochs asked for, and its caveats. It works the same on a
live run from :func:`cbteach.training.train` and on a replay from
:func:`cbteach.replay.replay`:

>>> from cbteach import EarlyStopping, recorded
>>> from cbteach.replay import replay
>>> run = replay(recorded.load("overfit"), [EarlyStopping(patience=5)])
>>> summarize(run, lang="en")[1]
'EarlyStopping stops training at epoch 12 of 100: val_loss has not improved for 5 epochs ...'
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cbteach import i18n, outcome
from cbteach.events import Action, Event, first

if TYPE_CHECKING:
    from cbteach.run import Run

__all__ = ["summarize", "to_html"]

#: The order in which the callbacks are summarised.
ORDER = ("EarlyStopping", "ReduceLROnPlateau", "ModelCheckpoint")


def summarize(
    run: Run, lang: str | None = None, *, test_accuracy: float | None = None
) -> list[str]:
    """Short translated sentences on what each callback in ``run`` did, in ``lang``.

    One or two sentences per callback present (EarlyStopping, ReduceLROnPlateau,
    ModelCheckpoint, in that order), after one saying what they watch; then a translated
    sentence for each of ``run.caveats`` (e.g. the replay's learning-rate caveat) and, when
    ``test_accuracy`` is given, the test accuracy of the final model.

    Args:
        run: the :class:`~cbteach.run.Run` of a training or a replay.
        lang: ``"ko"`` or ``"en"``. Defaults to `None` (the language in use).
        test_accuracy: the final model's accuracy on the test images, for a last sentence.
            Defaults to `None` (no such sentence).

    Example:

    >>> from cbteach import EarlyStopping, recorded
    >>> from cbteach.replay import replay
    >>> run = replay(recorded.load("overfit"), [EarlyStopping(patience=5)])
    >>> summarize(run, "en", test_accuracy=0.97)[-1]
    'Test accuracy of the final model: 0.9700.'
    """
    lang = i18n.resolve(lang)

    def t(key: str, **values: object) -> str:
        return i18n.t(f"summary.{key}", lang, **values)

    events = list(run.events)
    arguments = _arguments(run)
    present = [cb for cb in ORDER if any(e.callback == cb for e in events)]
    planned = _planned_epochs(run)
    lines: list[str] = []
    if not present:
        lines.append(t("no_callbacks", epochs=run.epochs))
    lines += _watch_lines(present, events, arguments, t)
    if "EarlyStopping" in present:
        lines += _early_stopping(run, events, arguments.get("EarlyStopping", {}), planned, t)
        found = outcome.missed(run)  # a replay: did an epoch after the stop do better?
        if found is not None:
            lines.append(outcome.missed_sentence(found, lang))
    elif present:
        key = "epochs_ran_all" if run.epochs == planned else "epochs_ran"
        lines.append(t(key, epochs=run.epochs, planned=planned))
    if "ReduceLROnPlateau" in present:
        lines += _reduce_lr(run, events, arguments.get("ReduceLROnPlateau", {}), t)
    if "ModelCheckpoint" in present:
        lines += _checkpoint(run, events, t)
    catalog = i18n.catalog(lang)
    for caveat in run.caveats:
        lines.append(i18n.t(caveat, lang) if caveat in catalog else str(caveat))
    if test_accuracy is not None:
        lines.append(t("test_accuracy", accuracy=float(test_accuracy)))
    return lines


def to_html(run: Run | None, lang: str | None = None, error: str | None = None) -> str:
    """The summary as an HTML box: the sentences as a list, the caveats set apart.

    Args:
        run: the run to summarise; None shows the title alone.
        lang: "ko" or "en" (default: the language in use).
        error: a sentence to show instead (settings Keras refused), in red.

    Example:

    >>> ipywidgets.HTML(to_html(run, "ko"))  # doctest: +SKIP
    """
    title = html.escape(i18n.t("widgets.summary_title", lang))
    if error is not None:
        body = f'<p style="color:#b00020"><b>⚠</b> {html.escape(error)}</p>'
        return f"<div><b>{title}</b>{body}</div>"
    if run is None:
        return f"<div><b>{title}</b></div>"
    caveats = {i18n.t(c, lang) for c in run.caveats if c in i18n.catalog(i18n.resolve(lang))}
    lines = summarize(run, lang)
    items = "".join(f"<li>{html.escape(x)}</li>" for x in lines if x not in caveats)
    notes = "".join(
        '<p style="background:#fff4e0;border-left:4px solid #f0a000;padding:4px 8px">'
        f"{html.escape(x)}</p>"
        for x in lines
        if x in caveats
    )
    return f"<div><b>{title}</b><ul>{items}</ul>{notes}</div>"


# ---------------------------------------------------------------------- reading the run
def _arguments(run: Run) -> dict[str, dict]:
    """The arguments each callback was built with, by class name."""
    found: dict[str, dict] = {}
    for described in run.callback_settings or []:
        if isinstance(described, dict) and "class" in described:
            found.setdefault(described["class"], described)
    return found


def _planned_epochs(run: Run) -> int:
    """The epochs the run could have had: asked of ``train`` or, in a replay, recorded."""
    for value in (run.planned_epochs, (run.provenance or {}).get("epochs")):
        if isinstance(value, int) and value >= run.epochs:
            return value
    return run.epochs


def _of(events: Sequence[Event], callback: str) -> list[Event]:
    return [e for e in events if e.callback == callback]


def _plural(t, key: str, count: int, **values: object) -> str:
    """``1 epoch`` / ``5 epochs``: the catalog holds both forms (Korean needs only one)."""
    return t(f"{key}_one" if count == 1 else f"{key}_many", count=count, **values)


# ---------------------------------------------------------------------- the sentences
def _watch_lines(present: list[str], events: list[Event], arguments: dict, t) -> list[str]:
    """Which quantity each callback watches and which way is better, with a warning when the
    direction contradicts the name (a loss maximised, an accuracy minimised)."""
    groups: dict[tuple[str, str | None, str], list[str]] = {}
    for cb in present:
        mine = _of(events, cb)
        monitor = mine[-1].monitor
        resolved = next((e.mode for e in reversed(mine) if e.mode), None)
        asked = str(arguments.get(cb, {}).get("mode", resolved or "auto"))
        groups.setdefault((monitor, resolved, asked), []).append(cb)
    lines = []
    for (monitor, resolved, asked), callbacks in groups.items():
        if resolved is None:
            continue
        mode = f"{asked} → {resolved}" if asked == "auto" else asked
        key = "watch_min" if resolved == "min" else "watch_max"
        lines.append(t(key, callbacks=", ".join(callbacks), monitor=monitor, mode=mode))
        name = monitor.removeprefix("val_")
        if resolved == "max" and "loss" in name:
            lines.append(t("watch_loss_maximised", monitor=monitor, mode=asked))
        elif resolved == "min" and name in ("accuracy", "acc"):
            lines.append(t("watch_accuracy_minimised", monitor=monitor, mode=asked))
    return lines


def _early_stopping(run: Run, events: list[Event], arguments: dict, planned: int, t) -> list[str]:
    mine = _of(events, "EarlyStopping")
    decided = [e for e in mine if e.action not in (Action.MISSING, Action.RESTORED)]
    if mine and not decided and first(mine, Action.MISSING):
        return [t("es_missing", monitor=mine[0].monitor)]
    lines = []
    warmup = [e.epoch for e in mine if e.action is Action.WARMUP]
    if warmup:
        start = arguments.get("start_from_epoch", len(warmup))
        lines.append(t("es_warmup", last=max(warmup), start=start))
    stop = first(mine, Action.STOPPED)
    restored = first(mine, Action.RESTORED)
    if stop is not None:
        best_epoch = stop.best_epoch
        best_event = next((e for e in mine if e.epoch == best_epoch and e is not stop), None)
        values = {
            "epoch": stop.epoch,
            "planned": planned,
            "monitor": stop.monitor,
            "patience": stop.patience,
            "best_epoch": best_epoch,
        }
        below_baseline = (
            best_event is not None
            and best_event.wait_after not in (None, 0)
            and arguments.get("baseline") is not None
        )
        if stop.best_after is not None and math.isnan(stop.best_after):
            sentence = t("es_stopped_nan_best", **values)
        elif below_baseline:
            sentence = t("es_stopped_baseline", baseline=arguments["baseline"], **values)
        else:
            span = _plural(t, "n_epochs", stop.epoch - (best_epoch or 0))
            sentence = t("es_stopped", span=span, **values)
        if restored is not None:
            sentence += " " + t("es_restored_at_stop", best_epoch=restored.best_epoch)
        elif (
            best_epoch is not None
            and best_epoch != stop.epoch
            and arguments.get("restore_best_weights") is False
        ):
            sentence += " " + t("es_kept_last", epoch=stop.epoch, best_epoch=best_epoch)
        lines.append(sentence)
        return lines
    if run.epochs < planned:
        lines.append(t("es_cut_short", epochs=run.epochs, planned=planned))
    else:
        lines.append(t("es_never", epochs=run.epochs))
    if restored is not None:
        lines.append(t("es_restored_at_end", best_epoch=restored.best_epoch))
    return lines


def _reduce_lr(run: Run, events: list[Event], arguments: dict, t) -> list[str]:
    mine = _of(events, "ReduceLROnPlateau")
    decided = [e for e in mine if e.action is not Action.MISSING]
    if not decided:
        return [t("rlr_missing", monitor=mine[0].monitor)]
    cuts = [e for e in mine if e.action is Action.REDUCED_LR]
    start = next((x for x in run.lrs if x is not None), None)
    if start is None:
        start = cuts[0].lr_before if cuts else decided[0].lr_after
    patience = next((e.patience for e in mine if e.patience is not None), None)
    at_min = [e for e in mine if e.action is Action.AT_MIN_LR]
    at_min_where = _plural(
        t, "at_epochs", len(at_min), epochs=i18n.epoch_list(e.epoch for e in at_min)
    )
    lr = i18n.lr
    lines = []
    if cuts:
        where = _plural(t, "at_epochs", len(cuts), epochs=i18n.epoch_list(e.epoch for e in cuts))
        lines.append(t("rlr_cuts", where=where, start=lr(start), last=lr(cuts[-1].lr_after)))
        if at_min:
            lines.append(t("rlr_at_min_lr", where=at_min_where, min_lr=lr(at_min[0].lr_after)))
    elif at_min:
        min_lr = arguments.get("min_lr", at_min[0].lr_after)
        lines.append(t("rlr_at_min_lr_only", where=at_min_where, lr=lr(start), min_lr=lr(min_lr)))
    else:
        last = decided[-1].lr_after
        lines.append(
            t(
                "rlr_none",
                monitor=decided[0].monitor,
                patience=patience,
                lr=lr(last if last is not None else start),
            )
        )
    lines += _cooldown(mine, cuts, arguments, t)
    return lines


def _cooldown(mine: list[Event], cuts: list[Event], arguments: dict, t) -> list[str]:
    """The rest after each cut, told the way Keras counts it.

    Keras takes one off its cooldown counter at the end of each epoch *before* it asks
    whether it is cooling down, so ``cooldown=c`` leaves c - 1 epochs after a cut uncounted
    (``cooldown=1`` none). The sentence names the epochs that were actually not counted:
    those of ``Action.COOLDOWN``, where the value did not improve and wait stayed put.
    """
    cooldown = arguments.get("cooldown")
    if cooldown is None and cuts:
        cooldown = cuts[0].cooldown_counter  # Keras sets the counter to cooldown at a cut
    if not cuts or not cooldown:
        return []
    if cooldown == 1:
        return [t("rlr_cooldown_one")]
    resting = [e.epoch for e in mine if e.action is Action.COOLDOWN]
    rest = _plural(t, "n_epochs", cooldown - 1)
    if not resting:
        return [t("rlr_cooldown_unused", cooldown=cooldown, rest=rest)]
    where = _plural(t, "at_epochs", len(resting), epochs=i18n.epoch_ranges(resting))
    return [t("rlr_cooldown", cooldown=cooldown, rest=rest, where=where)]


def _checkpoint(run: Run, events: list[Event], t) -> list[str]:
    mine = _of(events, "ModelCheckpoint")
    saves = [e for e in mine if e.action is Action.SAVED]
    replayed = run.replay_of is not None
    if not saves:
        if mine and all(e.action is Action.MISSING for e in mine):
            return [t("mc_missing", monitor=mine[0].monitor)]
        return [t("mc_none_replay" if replayed else "mc_none")]
    files = _plural(t, "n_files", len(saves))
    last = saves[-1]
    every = all(e.reason == "events.mc_saved_every" for e in saves)
    # a path without {placeholders} ("best.keras"): each save overwrites the one file
    same = len(saves) > 1 and len({e.saved_path for e in saves}) == 1
    key = "mc_every" if every else "mc_saved"
    key += ("_same" if same else "") + ("_replay" if replayed else "")
    return [t(key, files=files, count=len(saves), epoch=last.epoch, path=last.saved_path)]
