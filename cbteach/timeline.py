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

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from cbteach import i18n
from cbteach.callbacks import NAMES
from cbteach.events import Action, first
from cbteach.figures import (
    CALLBACKS,
    COLORS,
    LEGEND_STYLE,
    RunView,
    best_groups,
    figure_png,
    metric_pair,
    new_figure,
    place_notes,
    plain_log_axis,
    side_of,
    to_float,
    use_korean_font,
)
from cbteach.layers import CURVE_COLORS, CURVES, OUTCOME_INCHES, Layers, span

if TYPE_CHECKING:
    from cbteach.run import Run

__all__ = ["Timeline"]

_CHECKPOINT, _REDUCE_LR, _EARLY_STOP = NAMES  # the names events carry in ``callback``
_WAITING = (_EARLY_STOP, _REDUCE_LR)  # the callbacks with a wait counter
_TRAIN_COLOR, _VAL_COLOR, _METRIC_TRAIN_COLOR, _METRIC_VAL_COLOR = CURVE_COLORS
_BEST_COLOR = "#333333"
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
_CURVES = CURVES
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


class Timeline(Layers):
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
            bottom=min((0.6 + OUTCOME_INCHES) / height, 0.3),
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

    def _show_axes(self, view: RunView) -> None:
        """Limits, the twin axis (only when it has a curve), the title and the axis labels."""
        curves, twin, lr = self.axes["curves"], self.axes["metric"], self.axes["lr"]
        curves.set_xlim(0.5, max(span(view), 1) + 0.5)
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
