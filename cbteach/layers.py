"""The Timeline's layers below and beside the curves, one ``_build_`` and ``_show_`` pair each.

:class:`cbteach.timeline.Timeline` is made of the layers its ``_LAYERS`` table lists. The
curves, the best-so-far lines and the saves are in :mod:`cbteach.timeline`; the rest are
here, in :class:`Layers`, which the Timeline inherits: the recorded epochs after a replay's
stop (faded, cut short), the learning-rate cuts, the stop, the learning-rate panel, the wait
counters and the "Why did it stop?" panel; and what decides the panels and the epoch axis
(:func:`has_lr`, :func:`waits`, :meth:`Layers._x_end`). Each ``_build_<layer>`` makes its artists once; each
``_show_<layer>`` sets their data, text and visibility from a
:class:`~cbteach.figures.RunView` on every update.

Example:

>>> from cbteach import recorded
>>> from cbteach.timeline import Timeline
>>> Timeline(recorded.load("plateau")).artists["outcome_title"].get_text()
'Why did it stop?'
"""

from __future__ import annotations

import math
import os
import textwrap

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.ticker import MaxNLocator

from cbteach import i18n, outcome
from cbteach.callbacks import NAMES
from cbteach.events import Action, first
from cbteach.figures import (
    COLORS,
    LR_COLOR,
    SYMBOL_FONT,
    RunView,
    metric_pair,
    plain_log_axis,
    to_float,
    vlines,
)

__all__ = [
    "CURVES",
    "CURVE_COLORS",
    "OUTCOME_INCHES",
    "Layers",
    "has_lr",
    "on_disk_label",
    "span",
    "wait_points",
    "waits",
]

_CHECKPOINT, _REDUCE_LR, _EARLY_STOP = NAMES  # the names events carry in ``callback``
_WAITING = (_EARLY_STOP, _REDUCE_LR)  # the callbacks with a wait counter
CURVES = ("loss", "val_loss", "metric", "val_metric")
CURVE_COLORS = ("#1f77b4", "#ff7f0e", "#17becf", "#8c564b")  # training, validation, metric ×2
OUTCOME_INCHES = 1.1  # the "Why did it stop?" panel under the panels
_WRAP = {"ko": 115, "en": 165}  # characters a panel line holds at 9 points across 11 inches
# The wait axis ends at the first of these above every patience: a patience slider moves the
# dashed line, not the axis, most of the time.
_WAIT_TOPS = (3, 4, 6, 8, 11, 16, 21, 26, 31, 41, 51, 76, 101)


def span(view: RunView) -> int:
    """The epochs the x axis spans: the run's, and a replay's recorded epochs after its stop.

    Args:
        view: what the figure shows.

    Example:

    >>> span(RunView.of(None, "en", None))
    0
    """
    after = getattr(view.run, "after_stop", None) or {}
    return view.epochs + max((len(v) for v in after.values()), default=0)


def has_lr(view: RunView) -> bool:
    """Whether the learning-rate panel has something to show: a ReduceLROnPlateau, or a
    learning rate that changed during the run.

    Args:
        view: what the figure shows.

    Example:

    >>> has_lr(RunView.of(None, "en", None))
    False
    """
    if view.per_callback[_REDUCE_LR]:
        return True
    lrs = {float(x) for x in (view.run.lrs if view.run is not None else []) if x is not None}
    return len({x for x in lrs if math.isfinite(x)}) > 1


def waits(view: RunView) -> bool:
    """Whether the wait panel has something to show: an EarlyStopping or a
    ReduceLROnPlateau that decided at least once.

    Args:
        view: what the figure shows.

    Example:

    >>> waits(RunView.of(None, "en", None))
    False
    """
    return any(view.per_callback[cb] for cb in _WAITING)


def wait_points(events) -> tuple[list[int], list[int]]:
    """The wait counter as drawn: one point per epoch, and at a cut two, the count that
    reached ``patience`` and then the reset.

    Keras adds 1 to ``wait`` and compares it with ``patience`` before it cuts and sets it
    back to 0, so ``wait_after`` alone (0) never shows the count that made it cut.

    Args:
        events: one callback's decisions (:meth:`~cbteach.events.EventLog.decisions`).

    Returns:
        The epochs and the wait values, for one line.

    Example:

    >>> from cbteach.events import Event
    >>> cut = Event(3, "ReduceLROnPlateau", "reduced_lr", "", "val_loss", wait_before=1,
    ...             wait_after=0, patience=2)
    >>> wait_points([cut])
    ([3, 3], [2, 0])
    """
    xs: list[int] = []
    ys: list[int] = []
    for e in events:
        if e.wait_after is None:
            continue
        if e.action is Action.REDUCED_LR and e.wait_before is not None:
            xs.append(e.epoch)
            ys.append(e.wait_before + 1)
        xs.append(e.epoch)
        ys.append(e.wait_after)
    return xs, ys


def on_disk_label(saves, view: RunView) -> str | None:
    """The legend entry of ModelCheckpoint's last save: its epoch and its file.

    Args:
        saves: ModelCheckpoint's SAVED events, in order.
        view: what the figure shows (its language).

    Example:

    >>> from cbteach.events import Event
    >>> saved = Event(8, "ModelCheckpoint", "saved", "", "val_loss", saved_path="ck/best.keras")
    >>> on_disk_label([saved], RunView.of(None, "en", None))
    "ModelCheckpoint's last save: epoch 8 (best.keras)"
    """
    if not saves:
        return None
    newest = saves[-1]
    name = os.path.basename(newest.saved_path or "") or "?"
    return view.t("on_disk_legend", epoch=newest.epoch, file=name)


def _on_disk_line(view: RunView) -> str | None:
    """The sentence under the figure: which epoch the file on disk holds."""
    saves = [e for e in view.events if e.action is Action.SAVED and e.callback == _CHECKPOINT]
    if not saves or view.run is None:
        return None
    newest = saves[-1]
    files = {e.saved_path for e in saves}
    key = "on_disk_line" if len(files) == 1 else "on_disk_files"
    key += "_replay" if not view.run.epoch_times else ""
    return view.t(
        key,
        file=os.path.basename(newest.saved_path or "") or "?",
        epoch=newest.epoch,
        count=len(files),
        monitor=newest.monitor,
        value=i18n.number(newest.value),
    )


class Layers:
    """The Timeline's later layers (a mix-in: the Timeline holds ``figure``, ``axes``, ``artists``)."""

    def _missed(self, view: RunView):
        """What a replay's recorded epochs after its stop held (:func:`outcome.missed`)."""
        return outcome.missed(view.run) if view.run is not None else None

    def _x_end(self, view: RunView) -> int:
        """The last epoch on the x axis: every epoch the run trained, then a short stretch
        of a replay's recorded epochs after the stop (a quarter of the run, at least 3,
        ending on a multiple of 5, or of 10 past 30), reaching a later epoch that beat the best.
        """
        total = span(view)
        if total <= view.epochs:
            return max(total, 1)
        end = view.epochs + max(3, math.ceil(view.epochs / 4))
        step = 5 if end <= 30 else 10  # few distinct axes: a slider keeps the frame drawn
        end = step * math.ceil(end / step)
        if self._found is not None and self._found.better and "loss" in self._found.monitor:
            end = max(end, self._found.later_epoch + 2)
        return min(end, total)

    def _place_outcome(self, left: float, height: float) -> None:
        """The "Why did it stop?" panel under the panels, ``OUTCOME_INCHES`` high."""
        top = OUTCOME_INCHES / height
        self.artists["outcome_title"].set_position((left, top))
        self.artists["outcome"].set_position((left, top - 0.2 / height))

    def _build_after(self) -> None:
        """The recorded epochs a replay did not reach: the same curves, faded."""
        curves, twin = self.axes["curves"], self.axes["metric"]
        for name, color in zip(CURVES, CURVE_COLORS, strict=True):
            ax = curves if "loss" in name else twin
            self._line(f"after:{name}", ax, color=color, lw=1.4, ls=":", alpha=0.45)
        diamond = {"ms": 11, "mfc": "none", "mec": COLORS[_EARLY_STOP], "mew": 2.0, "zorder": 6}
        self._line("later_best", curves, ls="", marker="D", **diamond)

    def _build_outcome(self) -> None:
        """The "Why did it stop?" panel, under the panels: a bold title, then the sentences."""
        left, height = self.figure.subplotpars.left, self.figure.get_figheight()
        top = OUTCOME_INCHES / height
        style = {"va": "top", "ha": "left", "fontsize": 9, "linespacing": 1.45}
        self._add("outcome_title", self.figure.text(left, top, "", fontweight="bold", **style))
        self._add("outcome", self.figure.text(left, top - 0.2 / height, "", **style))

    def _build_lr_cuts(self) -> None:
        curves = self.axes["curves"]
        along = curves.get_xaxis_transform()
        self._line("lr_cuts", curves, color=COLORS[_REDUCE_LR], lw=1.3, ls="--", transform=along)
        cut = {"ls": "", "marker": "v", "ms": 8, "color": COLORS[_REDUCE_LR], "clip_on": False}
        self._line("lr_cut_marks", curves, transform=along, zorder=6, **cut)

    def _build_stop(self) -> None:
        color, curves = COLORS[_EARLY_STOP], self.axes["curves"]
        for name, ax in zip(self._stop_lines(), self._panels().values()):
            self._line(name, ax, color=color, lw=2.2, transform=ax.get_xaxis_transform(), zorder=4)
        mark = {"ls": "", "marker": "X", "ms": 10, "color": color, "clip_on": False, "zorder": 7}
        self._line("stop_mark", curves, transform=curves.get_xaxis_transform(), **mark)
        note = curves.text(
            0,
            1.015,
            "",
            transform=curves.get_xaxis_transform(),
            color=color,
            fontsize=9.5,
            fontweight="bold",
            va="bottom",
        )
        self._add("stop_note", note)

    def _build_lr(self) -> None:
        lr = self.axes["lr"]
        plain_log_axis(lr, minor_thresholds=(0, 0.4))  # a short panel: fewer minor labels
        self._line("lr", lr, color=LR_COLOR, lw=2.0, drawstyle="steps-pre", marker="o", ms=3.5)
        self._centered_note("no_lr", lr)

    def _build_wait(self) -> None:
        wait = self.axes["wait"]
        wait.yaxis.set_major_locator(MaxNLocator(integer=True))
        cooldown = PolyCollection(
            [],
            transform=wait.get_xaxis_transform(),
            facecolor=COLORS[_REDUCE_LR],
            alpha=0.15,
            edgecolor="none",
        )
        wait.add_collection(cooldown, autolim=False)
        self._add("cooldown", cooldown)
        # EarlyStopping's counter wide and pale underneath, so ReduceLROnPlateau's shows
        # where the two climb together
        styles = {
            _EARLY_STOP: {"lw": 4.0, "alpha": 0.45, "marker": "o", "ms": 6, "zorder": 2},
            _REDUCE_LR: {"lw": 1.6, "marker": "o", "ms": 3.5, "zorder": 3},
        }
        for cb in _WAITING:
            self._line(f"wait:{cb}", wait, color=COLORS[cb], **styles[cb])
            limit = {"ls": "--", "alpha": 0.8, "transform": wait.get_yaxis_transform()}
            self._line(f"patience:{cb}", wait, color=COLORS[cb], lw=1.2, **limit)
            note = wait.text(
                0.008, 0, "", transform=wait.get_yaxis_transform(), va="bottom", fontsize=8
            )
            note.set_color(COLORS[cb])
            self._add(f"patience_note:{cb}", note)
        beyond = {"ls": "", "marker": "^", "ms": 6, "color": COLORS[_REDUCE_LR], "clip_on": False}
        self._line("wait_beyond", wait, transform=wait.get_xaxis_transform(), **beyond)

    def _show_after(self, view: RunView) -> None:
        """The recorded epochs after a replay's stop, faded, and a better epoch among them."""
        after = getattr(view.run, "after_stop", None) or {}
        keys = dict(zip(CURVES, ("loss", "val_loss", *metric_pair(view.metric or "")), strict=True))
        for name, key in keys.items():
            line, values = self.artists[f"after:{name}"], after.get(key) if key else None
            # the validation curves only: what EarlyStopping watched, not what it trained on
            shown = bool(values) and name.startswith("val_") and self.artists[name].get_visible()
            if shown:  # joined to the last trained epoch, so the curve reads as one
                xs = np.arange(view.epochs, view.epochs + len(values) + 1)
                line.set_data(xs, [to_float(view.history[key][-1]), *map(to_float, values)])
            else:
                line.set_data([], [])
            line.set_label(i18n.t("outcome.after_stop_legend", view.lang))
            line.set_visible(shown)
        found = self._found
        better = found is not None and found.better and found.monitor in ("loss", "val_loss")
        mark = self.artists["later_best"]
        mark.set_data(*(([found.later_epoch], [found.later_value]) if better else ([], [])))
        mark.set_label(i18n.t("outcome.later_best_legend", view.lang))
        mark.set_visible(better)

    def _show_outcome(self, view: RunView) -> None:
        """ "Why did it stop?": the title, then one sentence a line."""
        lines = outcome.why_it_stopped(view.run, view.lang, running=self.running)
        on_disk = _on_disk_line(view) if lines else None
        if on_disk:
            lines = [*lines, on_disk]
        width = _WRAP.get(view.lang, 150)
        wrapped = [textwrap.fill(line, width, subsequent_indent="  ") for line in lines]
        title = "outcome.title_running" if self.running else "outcome.title"
        self.artists["outcome_title"].set_text(i18n.t(title, view.lang))
        self.artists["outcome"].set_text("\n".join(wrapped))
        for name in ("outcome_title", "outcome"):
            self.artists[name].set_visible(bool(lines))

    def _show_lr_cuts(self, view: RunView) -> None:
        """Learning-rate cuts: dashed verticals on the curves, the new LR written beside its
        step in the learning-rate panel (above the line, never over a curve)."""
        cuts, line = view.cuts, self.artists["lr_cuts"]
        line.set_data(*vlines([e.epoch for e in cuts]))
        line.set_label(view.t("lr_cut_legend"))
        line.set_visible(bool(cuts))
        marks = self.artists["lr_cut_marks"]
        marks.set_data([e.epoch for e in cuts], [1.0] * len(cuts))
        marks.set_visible(bool(cuts))
        while len(self.lr_cut_notes) < len(cuts):
            note = self.axes["lr"].annotate(
                "",
                xy=(1, 1),
                xytext=(3, 4),
                textcoords="offset points",
                va="bottom",
                fontsize=8,
                color=COLORS[_REDUCE_LR],
                fontfamily=SYMBOL_FONT,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
                zorder=6,
            )
            note.set_gid("lr_cut_note")
            self.lr_cut_notes.append(note)
        for i, note in enumerate(self.lr_cut_notes):
            shown = i < len(cuts) and cuts[i].lr_after is not None
            if shown:
                note.xy = (cuts[i].epoch, cuts[i].lr_after)
                right = cuts[i].epoch > 0.85 * self._end  # near the right edge: write it leftwards
                note.set_ha("right" if right else "left")
                note.set_position((-3 if right else 3, 4))
                note.set_text(view.t("lr_cut_note", lr=i18n.lr(cuts[i].lr_after)))
            note.set_visible(shown)

    def _show_stop(self, view: RunView) -> None:
        """EarlyStopping's stop: a red line through every panel."""
        stop = first(view.events, Action.STOPPED, _EARLY_STOP)
        for name in self._stop_lines():
            self.artists[name].set_data(*vlines([stop.epoch] if stop else []))
            self.artists[name].set_visible(stop is not None)
        self.artists["stop"].set_label(view.t("stop_legend"))
        self.artists["stop_mark"].set_data(*(([stop.epoch], [1.0]) if stop else ([], [])))
        self.artists["stop_mark"].set_visible(stop is not None)
        note = self.artists["stop_note"]
        if stop is not None:
            note.set_x(stop.epoch)
            note.set_ha("right" if stop.epoch > (self._end + 1) / 2 else "left")
            note.set_text(view.t("stop_note", epoch=stop.epoch))
        note.set_visible(stop is not None)

    def _show_lr(self, view: RunView) -> None:
        """The learning rate in effect during each epoch."""
        lrs = [to_float(x) for x in (view.run.lrs if view.run is not None else [])]
        has_lr = any(not math.isnan(x) and x > 0 for x in lrs)
        self.artists["lr"].set_data(np.arange(1, len(lrs) + 1), lrs)
        self.artists["lr"].set_visible(has_lr)
        self.artists["no_lr"].set_text(view.t("no_lr"))
        self.artists["no_lr"].set_visible(not has_lr)

    def _show_wait(self, view: RunView) -> None:
        """Wait counters climbing to their patience, touching it at a cut before the reset;
        uncounted (cooldown) epochs shaded; the axis ends just above the largest patience."""
        a, patiences, growing = self.artists, [], []
        for cb in _WAITING:
            events = [e for e in view.per_callback[cb] if e.wait_after is not None]
            line, limit = a[f"wait:{cb}"], a[f"patience:{cb}"]
            patience = next((e.patience for e in events if e.patience is not None), None)
            line.set_data(*wait_points(events))
            line.set_label(view.t("wait_legend", callback=cb))
            line.set_visible(bool(events))
            note = a[f"patience_note:{cb}"]
            if patience is not None:
                limit.set_data([0, 1], [patience, patience])
                limit.set_label(view.t("patience_legend", callback=cb))
                note.set_y(patience)
                note.set_text(view.t("patience_note", patience=patience))
                patiences.append(patience)
            limit.set_visible(bool(events) and patience is not None)
            note.set_visible(limit.get_visible())
            if not patiences:
                patiences.extend(e.wait_after for e in events)
            growing += [e for e in events if e.action is Action.AT_MIN_LR]
        highest = max([1, *patiences])
        top = next((t for t in _WAIT_TOPS if t > highest), highest + 1)
        for cb in _WAITING:  # just above its dashed line, clear of it
            note = a[f"patience_note:{cb}"]
            note.set_y(note.get_position()[1] + 0.03 * top)
        es, rlr = (a[f"patience_note:{cb}"] for cb in _WAITING)  # side by side when close
        close = es.get_visible() and abs(es.get_position()[1] - rlr.get_position()[1]) < top / 8
        rlr.set_x(0.16 if close else 0.008)
        beyond = [e for e in growing if e.wait_after > top]
        a["wait_beyond"].set_data([e.epoch for e in beyond], [1.0] * len(beyond))
        most = max((e.wait_after for e in beyond), default=0)
        if beyond:  # labelled only when shown: the label says how far the wait grew
            label = view.t("wait_beyond_legend", callback=_REDUCE_LR, wait=most)
            a["wait_beyond"].set_label(label)
        a["wait_beyond"].set_visible(bool(beyond))
        a["cooldown"].set_verts(
            [[(e - 0.5, 0), (e + 0.5, 0), (e + 0.5, 1), (e - 0.5, 1)] for e in view.cooling]
        )
        a["cooldown"].set_label(view.t("cooldown_legend"))
        a["cooldown"].set_visible(bool(view.cooling))
        self.axes["wait"].set_ylim(-0.4, top + 0.3)
