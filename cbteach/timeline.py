"""The Timeline: the story of one run, epoch by epoch, in panels that share the epoch axis.

The figure and its artists are built once; :meth:`Timeline.update` only moves them, so a
widget slider can redraw it many times a second:

>>> timeline = Timeline(run, lang="ko")      # doctest: +SKIP
>>> timeline.update(other_run)  # same figure, same axes, new data  # doctest: +SKIP
>>> png = timeline.to_png()  # bytes for an ipywidgets.Image        # doctest: +SKIP

The figure is drawn in layers, listed once in ``_LAYERS``: the curves, the best-so-far
lines, the saves and the restored epoch, the learning-rate cuts, the stop, the learning
rate and the wait counters. A layer is one row of that table (the artists it owns and its
legend entries, in order), one ``_build_<layer>`` method (its artists, made once) and one
``_show_<layer>`` method (their data, text and visibility, set on every update).

The look it shares with :mod:`cbteach.plots` (``COLORS``, the Korean font, figures without
pyplot) is in :mod:`cbteach.figures`; what each callback decided, epoch by epoch, it reads
from the run's :class:`~cbteach.events.EventLog` (``decisions``, ``cooldown_epochs``).
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from cbteach import i18n, outcome
from cbteach.callbacks import NAMES
from cbteach.events import Action, first
from cbteach.figures import (
    CALLBACKS,
    COLORS,
    LEGEND_STYLE,
    LR_COLOR,
    SYMBOL_FONT,
    RunView,
    best_groups,
    figure_png,
    metric_pair,
    new_figure,
    place_notes,
    plain_log_axis,
    side_of,
    side_transforms,
    to_float,
    use_korean_font,
    vlines,
)

if TYPE_CHECKING:
    from cbteach.run import Run

__all__ = ["Timeline"]

_CHECKPOINT, _REDUCE_LR, _EARLY_STOP = NAMES  # the names events carry in ``callback``
_WAITING = (_EARLY_STOP, _REDUCE_LR)  # the callbacks with a wait counter
_TRAIN_COLOR = "#1f77b4"
_VAL_COLOR = "#ff7f0e"
_METRIC_TRAIN_COLOR = "#17becf"
_METRIC_VAL_COLOR = "#8c564b"
_BEST_COLOR = "#333333"
_CURVE_COLORS = (_TRAIN_COLOR, _VAL_COLOR, _METRIC_TRAIN_COLOR, _METRIC_VAL_COLOR)
_LOSSES = ("loss", "val_loss", "after:loss", "after:val_loss")  # the curves on the loss axis
_SUFFIX = {"loss": "", "metric": "@metric"}  # the left y axis (losses) and its twin (metrics)
_CENTER = {"ha": "center", "va": "center", "color": "#777777", "fontsize": 10}


# ------------------------------------------------------------------ the layers, in one table
@dataclass(frozen=True)
class _Layer:
    """One layer of the Timeline, made by ``_build_<name>`` and moved by ``_show_<name>``."""

    name: str
    artists: tuple[str, ...]  # the keys of ``Timeline.artists`` it may own
    legend: tuple[str, ...] = ()  # those with a legend entry, in legend order
    panel: str = "curves"  # the panel whose legend lists them


def _both(key: str) -> tuple[str, ...]:
    """``key`` on the loss axis and on the metric's twin."""
    return tuple(f"{key}{suffix}" for suffix in _SUFFIX.values())


_BEST = tuple(f"best:{cb}{suffix}" for suffix in _SUFFIX.values() for cb in CALLBACKS)
_WAIT = tuple(f"{kind}:{cb}" for cb in _WAITING for kind in ("wait", "patience"))
_CURVES = ("loss", "val_loss", "metric", "val_metric")
_MARKS = (*_both("saves"), *_both("restored"))
_AFTER = tuple(f"after:{name}" for name in _CURVES)
_LAYERS = (
    _Layer("curves", (*_CURVES, "no_history"), _CURVES),
    _Layer("after", (*_AFTER, "later_best"), ("after:val_loss", "later_best")),
    _Layer("best", _BEST, _BEST),
    _Layer("marks", (*_MARKS, *_both("restored_note")), _MARKS),
    _Layer("lr_cuts", ("lr_cuts", "lr_cut_marks"), ("lr_cuts",)),
    _Layer("stop", ("stop", "stop@lr", "stop@wait", "stop_note", "stop_mark"), ("stop",)),
    _Layer("lr", ("lr", "no_lr")),
    _Layer("outcome", ("outcome_title", "outcome"), panel="figure"),
    _Layer("wait", (*_WAIT, "cooldown", "no_wait"), (*_WAIT, "cooldown"), panel="wait"),
)
_OUTCOME_INCHES = 1.1  # the "Why did it stop?" panel under the panels
_WRAP = {"ko": 115, "en": 165}  # characters a panel line holds at 9 points across 11 inches


def _span(view: RunView) -> int:
    """The epochs the x axis spans: the run's, and a replay's recorded epochs after its stop."""
    after = getattr(view.run, "after_stop", None) or {}
    return view.epochs + max((len(v) for v in after.values()), default=0)


class Timeline:
    """The story of one run in two or three panels sharing the epoch axis.

    1. *curves*: ``loss``/``val_loss`` (and, on a twin y axis, the monitored metric when
       it is not a loss, or ``metric``), each callback's best-so-far line, ModelCheckpoint
       saves, ReduceLROnPlateau cuts, EarlyStopping's stop and the restored epoch;
    2. *lr*: the learning rate in effect during each epoch (``run.lrs``), log scale;
    3. *wait* (``show_wait``): EarlyStopping's and ReduceLROnPlateau's wait counters
       climbing to their patience, with the epochs ReduceLROnPlateau did not count
       (cooling down) shaded.

    The figure and its artists are made once; :meth:`update` and :meth:`set_language`
    only change their data, text and visibility. Artists are reachable by name in
    ``artists`` (e.g. ``artists["stop"]``, ``artists["saves"]``, ``artists["lr"]``).

    Args:
        run: the :class:`~cbteach.run.Run` to show; None draws an empty figure that a
            later :meth:`update` fills.
        lang: ``"ko"`` or ``"en"``. Defaults to the language in use (``set_language``).
        metric: the metric on the twin y axis (``"val_accuracy"``). Defaults to the first
            monitored quantity that is not a loss.
        show_wait: whether to add the wait-counter panel. Defaults to True.
        figsize: the size in inches. Defaults to ``(11, 8)``, or ``(11, 6)`` without the
            wait panel.
        pyplot: draw on a pyplot figure; None does as :func:`use_pyplot` says. Defaults
            to False, so the Playground's figure never pops up by itself.

    Example:

    ```python
    timeline = Timeline(run, lang="ko")
    timeline.update(replay(recorded.load("overfit"), [EarlyStopping(patience=5)]))
    image = ipywidgets.Image(value=timeline.to_png())
    ```
    """

    def __init__(
        self,
        run: Run | None = None,
        *,
        lang: str | None = None,
        metric: str | None = None,
        show_wait: bool = True,
        figsize: tuple[float, float] | None = None,
        pyplot: bool | None = False,
    ) -> None:
        use_korean_font()
        self.lang = None if lang is None else i18n.resolve(lang)
        self.metric = metric
        self.show_wait = bool(show_wait)
        self.run: Run | None = None
        self.running = False
        if figsize is None:
            figsize = (11.0, 9.1) if self.show_wait else (11.0, 7.1)
        self.figure = new_figure(figsize, pyplot)
        ratios = [3.0, 1.3, 1.3] if self.show_wait else [3.0, 1.3]
        panels = self.figure.subplots(
            len(ratios), 1, sharex=True, gridspec_kw={"height_ratios": ratios}
        )
        # Fixed margins, in inches (a layout engine would re-run on every redraw): room for
        # the y labels on the left, the twin axis and the legends on the right.
        width, height = figsize
        self.figure.subplots_adjust(
            left=min(0.95 / width, 0.2),
            right=max(1 - 3.2 / width, 0.55),
            top=1 - min(0.75 / height, 0.2),
            bottom=min((0.6 + _OUTCOME_INCHES) / height, 0.3),
            hspace=0.12,
        )
        self.axes = {"curves": panels[0], "metric": panels[0].twinx(), "lr": panels[1]}
        for ax in (*panels, self.axes["metric"]):
            ax.set_facecolor("white")  # readable in a dark JupyterLab theme too
        # The loss axes (with the notes and the legend) draw above the metric's twin.
        panels[0].set_zorder(self.axes["metric"].get_zorder() + 1)
        panels[0].patch.set_visible(False)
        if self.show_wait:
            self.axes["wait"] = panels[2]
        self.artists: dict[str, object] = {}
        self.lr_cut_notes: list = []
        self._build()
        self.update(run)

    @property
    def _layers(self) -> list[_Layer]:
        return [layer for layer in _LAYERS if layer.name != "wait" or self.show_wait]

    def _panels(self) -> dict:
        """The stacked panels, top to bottom (the metric's twin is not one)."""
        return {key: ax for key, ax in self.axes.items() if key != "metric"}

    def _side_axes(self, side: str):
        return self.axes["curves" if side == "loss" else "metric"]

    def _stop_lines(self) -> list[str]:
        return ["stop" if key == "curves" else f"stop@{key}" for key in self._panels()]

    # ------------------------------------------------------------------ building, once
    def _add(self, name: str, artist):
        artist.set_gid(name)
        self.artists[name] = artist
        return artist

    def _line(self, name: str, ax, **style) -> Line2D:
        (line,) = ax.plot([], [], **style)
        return self._add(name, line)

    def _centered_note(self, name: str, ax) -> None:
        self._add(name, ax.text(0.5, 0.5, "", transform=ax.transAxes, **_CENTER))

    def _build(self) -> None:
        panels = list(self._panels().values())
        panels[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
        for ax in panels:
            ax.grid(True, alpha=0.25)
        self.axes["metric"].grid(False)
        self._title = self.figure.suptitle("", fontsize=13)
        for layer in self._layers:
            getattr(self, f"_build_{layer.name}")()

    def _build_curves(self) -> None:
        curves, twin = self.axes["curves"], self.axes["metric"]
        self._line("loss", curves, color=_TRAIN_COLOR, lw=1.5, ls="--", alpha=0.85)
        self._line("val_loss", curves, color=_VAL_COLOR, lw=2.0, marker="o", ms=3.5)
        self._line("metric", twin, color=_METRIC_TRAIN_COLOR, lw=1.3, ls="--", alpha=0.85)
        self._line("val_metric", twin, color=_METRIC_VAL_COLOR, lw=1.8, marker="s", ms=3)
        self._centered_note("no_history", curves)

    def _build_after(self) -> None:
        """The recorded epochs a replay did not reach: the same curves, faded."""
        curves, twin = self.axes["curves"], self.axes["metric"]
        for name, color in zip(_CURVES, _CURVE_COLORS, strict=True):
            ax = curves if "loss" in name else twin
            self._line(f"after:{name}", ax, color=color, lw=1.4, ls=":", alpha=0.45)
        diamond = {"ms": 11, "mfc": "none", "mec": COLORS[_EARLY_STOP], "mew": 2.0, "zorder": 6}
        self._line("later_best", curves, ls="", marker="D", **diamond)

    def _build_outcome(self) -> None:
        """The "Why did it stop?" panel, under the panels: a bold title, then the sentences."""
        left, height = self.figure.subplotpars.left, self.figure.get_figheight()
        top = _OUTCOME_INCHES / height
        style = {"va": "top", "ha": "left", "fontsize": 9, "linespacing": 1.45}
        self._add("outcome_title", self.figure.text(left, top, "", fontweight="bold", **style))
        self._add("outcome", self.figure.text(left, top - 0.2 / height, "", **style))

    def _build_best(self) -> None:
        for side, suffix in _SUFFIX.items():
            for cb in CALLBACKS:
                style = {"lw": 1.6, "ls": ":", "drawstyle": "steps-post", "zorder": 3}
                self._line(f"best:{cb}{suffix}", self._side_axes(side), **style)

    def _build_marks(self) -> None:
        checkpoint, stopping = COLORS[_CHECKPOINT], COLORS[_EARLY_STOP]
        for side, suffix in _SUFFIX.items():
            ax = self._side_axes(side)
            ring = {"ms": 10, "mfc": "none", "mec": checkpoint, "mew": 2.0, "zorder": 5}
            self._line(f"saves{suffix}", ax, ls="", marker="o", **ring)
            star = {"ms": 18, "mfc": "#ffd700", "mec": stopping, "mew": 1.2, "zorder": 6}
            self._line(f"restored{suffix}", ax, ls="", marker="*", **star)
            note = ax.annotate(
                "",
                xy=(1, 0),
                xytext=(0, 13),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
                color=stopping,
                fontweight="bold",
                zorder=7,
            )
            self._add(f"restored_note{suffix}", note)

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

    # ------------------------------------------------------------------ updating, often
    def update(
        self, run: Run | None, lang: str | None = None, *, running: bool = False
    ) -> Timeline:
        """Show ``run`` in the same figure, moving the same artists.

        Args:
            run: the :class:`~cbteach.run.Run` to show, or None for an empty figure.
            lang: ``"ko"`` or ``"en"``, kept for later updates. Defaults to the
                Timeline's language.
            running: ``run`` is a live snapshot of a run still training: the panel says
                where it stands, not why it stopped. Defaults to False.

        Returns:
            The Timeline itself, so calls chain.

        Example:

        ```python
        timeline.update(replay(recorded.load("overfit"), [EarlyStopping(patience=2)]))
        ```
        """
        if lang is not None:
            self.lang = i18n.resolve(lang)
        self.run, self.running = run, bool(running)
        view = RunView.of(run, i18n.resolve(self.lang), self.metric)
        for layer in self._layers:
            getattr(self, f"_show_{layer.name}")(view)
        self._show_axes(view)
        self._show_legends()
        place_notes(
            self.axes["curves"], self.lr_cut_notes[: len(view.cuts)], self._lr_note_transforms
        )
        return self

    def _show_curves(self, view: RunView) -> None:
        """The loss pair on the left, the metric pair on the twin axis."""
        names = {"loss": ("loss", "val_loss"), "metric": ("metric", "val_metric")}
        keys = {"loss": names["loss"], "metric": (None, None)}
        if view.metric:
            keys["metric"] = metric_pair(view.metric)
        for side in _SUFFIX:
            for name, key, label in zip(names[side], keys[side], ("curve_train", "curve_val")):
                line = self.artists[name]
                values = view.history.get(key) if key else None
                if values:
                    line.set_data(np.arange(1, len(values) + 1), [to_float(v) for v in values])
                    line.set_label(view.t(label, name=key))
                    line.set_visible(True)
                else:
                    line.set_data([], [])
                    line.set_visible(False)
        self.artists["no_history"].set_text(view.t("no_history"))
        self.artists["no_history"].set_visible(view.epochs == 0)

    def _show_after(self, view: RunView) -> None:
        """The recorded epochs after a replay's stop, faded, and a better epoch among them."""
        after = getattr(view.run, "after_stop", None) or {}
        keys = dict(
            zip(_CURVES, ("loss", "val_loss", *metric_pair(view.metric or "")), strict=True)
        )
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

    def _show_best(self, view: RunView) -> None:
        """Best-so-far lines, one per group of callbacks that agree."""
        groups = best_groups(view.per_callback)
        lines_per_monitor = Counter(monitor for _, monitor, _, _ in groups)
        for key in _BEST:
            self.artists[key].set_visible(False)
        for members, monitor, xs, ys in groups:
            line = self.artists[f"best:{members[0]}{_SUFFIX[side_of(monitor)]}"]
            line.set_data(xs, ys)
            if lines_per_monitor[monitor] == 1:
                line.set_color(_BEST_COLOR)
                line.set_label(view.t("best_so_far", monitor=monitor))
            else:
                line.set_color(COLORS[members[0]])
                of = ", ".join(members)
                line.set_label(view.t("best_so_far_of", monitor=monitor, callbacks=of))
            line.set_visible(True)

    def _show_marks(self, view: RunView) -> None:
        """Saves and the restored epoch, on the curve each callback monitors."""
        saves = [e for e in view.events if e.action is Action.SAVED and e.callback == _CHECKPOINT]
        restored = first(view.events, Action.RESTORED, _EARLY_STOP)
        for side, suffix in _SUFFIX.items():
            mine = [e for e in saves if side_of(e.monitor) == side and e.value is not None]
            line = self.artists[f"saves{suffix}"]
            line.set_data([e.epoch for e in mine], [e.value for e in mine])
            line.set_label(view.t("saved_legend"))
            line.set_visible(bool(mine))
            star, note = self.artists[f"restored{suffix}"], self.artists[f"restored_note{suffix}"]
            here = (
                restored is not None
                and side_of(restored.monitor) == side
                and restored.best_epoch is not None
                and restored.best_after is not None
            )
            if here:
                xy = (restored.best_epoch, restored.best_after)
                star.set_data([xy[0]], [xy[1]])
                note.xy = xy
                note.set_text(view.t("restored_note", epoch=restored.best_epoch))
            star.set_label(view.t("restored_legend"))
            star.set_visible(here)
            note.set_visible(here)

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
            note.set_ha("right" if stop.epoch > (_span(view) + 1) / 2 else "left")
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

    def _show_axes(self, view: RunView) -> None:
        """Limits, the twin axis (only when it has a curve), the title and the axis labels."""
        curves, twin, lr = self.axes["curves"], self.axes["metric"], self.axes["lr"]
        curves.set_xlim(0.5, max(_span(view), 1) + 0.5)
        self._loss_scale(view)
        for ax in (curves, twin, lr):
            ax.set_autoscaley_on(True)  # an empty run's fixed limits must not stick
            ax.relim(visible_only=True)
            ax.autoscale_view(scalex=False)
        if view.epochs == 0:
            curves.set_ylim(0, 1)
        if not self.artists["lr"].get_visible():
            lr.set_ylim(1e-4, 1e-2)
        twin.set_visible(any(line.get_visible() for line in twin.get_lines()))
        twin.set_ylabel(view.metric or "")

        name = view.run.name if view.run is not None else ""
        self._title.set_text(view.t("title_named", name=name) if name else view.t("title"))
        curves.set_ylabel(view.t("loss_axis"))
        lr.set_ylabel(view.t("lr_axis"))
        list(self._panels().values())[-1].set_xlabel(view.t("epoch_axis"))
        if self.show_wait:
            self.axes["wait"].set_ylabel(view.t("wait_axis"))

    def _loss_scale(self, view: RunView) -> None:
        """A log loss axis when the first epochs' loss would squash the rest (max ≥ 3× min)."""
        curves = self.axes["curves"]
        values = [
            y
            for line in curves.get_lines()
            if line.get_visible() and line.get_gid() in _LOSSES
            for y in np.asarray(line.get_ydata(), dtype=float)
            if np.isfinite(y)
        ]
        wanted = (
            "log" if values and min(values) > 0 and max(values) >= 3 * min(values) else "linear"
        )
        if curves.get_yscale() != wanted:
            curves.set_yscale(wanted)
            if wanted == "log":
                plain_log_axis(curves)

    def _show_legends(self) -> None:
        """Legends are remade from the visible artists: absent callbacks leave no entry."""
        for panel in ("curves", "wait"):
            layers = [layer for layer in self._layers if layer.panel == panel]
            if not layers:
                continue
            keys = [key for layer in layers for key in layer.legend]
            handles = [self.artists[key] for key in keys if self.artists[key].get_visible()]
            handles = list({h.get_label(): h for h in handles}.values())  # one entry a label
            twin = panel == "curves" and self.axes["metric"].get_visible()
            self._legend(self.axes[panel], handles, 0.1 if twin else 0.02)

    @staticmethod
    def _legend(ax, handles: list, x_gap: float) -> None:
        if handles:
            ax.legend(handles=handles, bbox_to_anchor=(1 + x_gap, 1.0), **LEGEND_STYLE)
        elif ax.get_legend() is not None:
            ax.get_legend().remove()

    # ------------------------------------------------------------------ language and output
    def set_language(self, lang: str | None) -> Timeline:
        """Re-label every title, axis, legend entry and note.

        Args:
            lang: ``"ko"`` or ``"en"``; None follows the language in use.

        Example:

        ```python
        timeline.set_language("en").to_png()
        ```
        """
        self.lang = None if lang is None else i18n.resolve(lang)
        return self.update(self.run)

    def to_png(self, dpi: float | None = None) -> bytes:
        """The figure as PNG bytes (for ``ipywidgets.Image``), rendered with Agg.

        Args:
            dpi: the resolution. Defaults to the figure's (100).

        Example:

        ```python
        image = ipywidgets.Image(value=Timeline(run).to_png())
        ```
        """
        return figure_png(self.figure, dpi)

    def _repr_png_(self) -> bytes:
        return self.to_png()
