"""The Timeline's layers below and beside the curves, one ``_build_`` and ``_show_`` pair each.

:class:`cbteach.timeline.Timeline` is made of the layers its ``_LAYERS`` table lists. The
curves, the best-so-far lines and the saves are in :mod:`cbteach.timeline`; the rest are
here, in :class:`Layers`, which the Timeline inherits: the recorded epochs after a replay's
stop (faded), the learning-rate cuts, the stop, the learning-rate panel, the wait counters and
the "Why did it stop?" panel. Each ``_build_<layer>`` makes its artists once; each
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
    side_transforms,
    to_float,
    vlines,
)

__all__ = ["CURVES", "CURVE_COLORS", "OUTCOME_INCHES", "Layers", "span"]

_CHECKPOINT, _REDUCE_LR, _EARLY_STOP = NAMES  # the names events carry in ``callback``
_WAITING = (_EARLY_STOP, _REDUCE_LR)  # the callbacks with a wait counter
CURVES = ("loss", "val_loss", "metric", "val_metric")
CURVE_COLORS = ("#1f77b4", "#ff7f0e", "#17becf", "#8c564b")  # training, validation, metric ×2
OUTCOME_INCHES = 1.1  # the "Why did it stop?" panel under the panels
_WRAP = {"ko": 115, "en": 165}  # characters a panel line holds at 9 points across 11 inches


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


class Layers:
    """The Timeline's later layers (a mix-in: the Timeline holds ``figure``, ``axes``, ``artists``)."""

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
        self._lr_note_transforms = side_transforms(curves)

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
        plain_log_axis(lr)
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
        for cb in _WAITING:
            color, counter = COLORS[cb], {"drawstyle": "steps-mid", "marker": "o", "ms": 4}
            self._line(f"wait:{cb}", wait, color=color, lw=1.8, **counter)
            limit = {"ls": "--", "alpha": 0.8, "transform": wait.get_yaxis_transform()}
            self._line(f"patience:{cb}", wait, color=color, lw=1.2, **limit)
        self._centered_note("no_wait", wait)

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
        found = outcome.missed(view.run) if view.run is not None else None
        better = found is not None and found.better and found.monitor in ("loss", "val_loss")
        mark = self.artists["later_best"]
        mark.set_data(*(([found.later_epoch], [found.later_value]) if better else ([], [])))
        mark.set_label(i18n.t("outcome.later_best_legend", view.lang))
        mark.set_visible(better)

    def _show_outcome(self, view: RunView) -> None:
        """ "Why did it stop?": the title, then one sentence a line."""
        lines = outcome.why_it_stopped(view.run, view.lang, running=self.running)
        width = _WRAP.get(view.lang, 150)
        wrapped = [textwrap.fill(line, width, subsequent_indent="  ") for line in lines]
        title = "outcome.title_running" if self.running else "outcome.title"
        self.artists["outcome_title"].set_text(i18n.t(title, view.lang))
        self.artists["outcome"].set_text("\n".join(wrapped))
        for name in ("outcome_title", "outcome"):
            self.artists[name].set_visible(bool(lines))

    def _show_lr_cuts(self, view: RunView) -> None:
        """Learning-rate cuts: dashed verticals with the new LR written along them."""
        cuts, line = view.cuts, self.artists["lr_cuts"]
        line.set_data(*vlines([e.epoch for e in cuts]))
        line.set_label(view.t("lr_cut_legend"))
        line.set_visible(bool(cuts))
        marks = self.artists["lr_cut_marks"]
        marks.set_data([e.epoch for e in cuts], [1.0] * len(cuts))
        marks.set_visible(bool(cuts))
        while len(self.lr_cut_notes) < len(cuts):
            note = self.axes["curves"].text(
                0,
                0.97,
                "",
                transform=self._lr_note_transforms["left"],
                va="top",
                fontsize=8,
                color=COLORS[_REDUCE_LR],
                fontfamily=SYMBOL_FONT,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
                zorder=6,
            )
            note.set_gid("lr_cut_note")
            self.lr_cut_notes.append(note)
        for i, note in enumerate(self.lr_cut_notes):
            if i < len(cuts):
                note.set_x(cuts[i].epoch)
                note.set_text(view.t("lr_cut_note", lr=i18n.lr(cuts[i].lr_after)))
            note.set_visible(i < len(cuts))

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
            note.set_ha("right" if stop.epoch > (span(view) + 1) / 2 else "left")
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
        """Wait counters climbing to their patience; uncounted (cooldown) epochs shaded."""
        a, top = self.artists, 1.0
        for cb in _WAITING:
            events = [e for e in view.per_callback[cb] if e.wait_after is not None]
            line, limit = a[f"wait:{cb}"], a[f"patience:{cb}"]
            patience = next((e.patience for e in events if e.patience is not None), None)
            line.set_data([e.epoch for e in events], [e.wait_after for e in events])
            line.set_label(view.t("wait_legend", callback=cb))
            line.set_visible(bool(events))
            if patience is not None:
                limit.set_data([0, 1], [patience, patience])
                limit.set_label(view.t("patience_legend", callback=cb, patience=patience))
                top = max(top, patience)
            limit.set_visible(bool(events) and patience is not None)
            top = max([top, *(e.wait_after for e in events)])
        a["cooldown"].set_verts(
            [[(e - 0.5, 0), (e + 0.5, 0), (e + 0.5, 1), (e - 0.5, 1)] for e in view.cooling]
        )
        a["cooldown"].set_label(view.t("cooldown_legend"))
        a["cooldown"].set_visible(bool(view.cooling))
        a["no_wait"].set_text(view.t("no_wait"))
        a["no_wait"].set_visible(not any(view.per_callback[cb] for cb in _WAITING))
        self.axes["wait"].set_ylim(-0.4, top + 0.6)
