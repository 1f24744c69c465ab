"""The Timeline: the story of one run, epoch by epoch, in panels that share the epoch axis.

The figure and its artists are built once; :meth:`Timeline.update` only moves them, and
:meth:`Timeline.to_png` redraws only the data over a kept frame (:class:`FrameCache`), so a
widget slider can redraw it many times a second:

>>> timeline = Timeline(run, lang="ko")      # doctest: +SKIP
>>> timeline.update(other_run)  # same figure, same axes, new data  # doctest: +SKIP
>>> png = timeline.to_png()  # bytes for an ipywidgets.Image        # doctest: +SKIP

The figure is drawn in layers, listed once in ``_LAYERS``: the curves, the best-so-far
lines, the saves and the restored epoch, the learning-rate cuts, the stop, the learning
rate and the wait counters. A panel shows only when the run has something for it: the
learning rate with a ReduceLROnPlateau (or a learning rate that changed), the wait counters
with an EarlyStopping or a ReduceLROnPlateau. A layer is one row of that table (the artists it owns and its
legend entries, in order), one ``_build_<layer>`` method (its artists, made once) and one
``_show_<layer>`` method (their data, text and visibility, set on every update).

The look it shares with :mod:`cbteach.plots` (``COLORS``, the Korean font, figures without
pyplot) is in :mod:`cbteach.figures`; what each callback decided, epoch by epoch, it reads
from the run's :class:`~cbteach.events.EventLog` (``decisions``, ``cooldown_epochs``).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from cbteach import i18n
from cbteach.callbacks import NAMES
from cbteach.events import Action, first
from cbteach.figures import (
    CALLBACKS,
    COLORS,
    LEGEND_STYLE,
    Band,
    FrameCache,
    RunView,
    best_groups,
    metric_pair,
    new_figure,
    plain_log_axis,
    side_of,
    to_float,
    use_korean_font,
)
from cbteach.layers import (
    CURVE_COLORS,
    CURVES,
    OUTCOME_INCHES,
    Layers,
    has_lr,
    on_disk_label,
    waits,
)

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
# The layout, in inches: each panel's height, the gap between panels, the margins (the title
# above; the epoch axis below, then the "Why did it stop?" panel; the legends on the right).
_WIDTH = 11.0
_INCHES = {"curves": 3.7, "lr": 1.3, "wait": 1.6}
_GAP, _TOP, _BOTTOM, _LEFT, _RIGHT = 0.25, 0.75, 0.6, 0.95, 3.2
_LEGEND_CHARS = 46  # Latin characters a legend line holds in _RIGHT inches
# How far right of its panel a legend starts, as a fraction of the panel's width: further
# with the metric's twin axis, whose tick labels and label stand between.
_LEGEND_GAP = {False: 0.02, True: 0.1}


def _wrap(text: str, width: float) -> str:
    """``text`` in lines of at most ``width`` Latin characters (a Hangul syllable counts 1.8)."""
    lines: list[str] = []
    for word in text.split(" "):
        wide = sum(1.8 if ord(ch) >= 0x1100 else 1.0 for ch in word)
        if lines and lines[-1][1] + 1 + wide <= width:
            lines[-1] = (f"{lines[-1][0]} {word}", lines[-1][1] + 1 + wide)
        else:
            lines.append((word, wide))
    return "\n".join(line for line, _ in lines)


def _height(panels) -> float:
    """The figure's height for ``panels``, in inches."""
    inner = sum(_INCHES[name] for name in panels) + _GAP * (len(panels) - 1)
    return _TOP + inner + _BOTTOM + OUTCOME_INCHES


def _frame_key(artist) -> tuple:
    """What the frame of an axes (or the title) looks like: a kept drawing of it is good
    while this stays the same."""
    if not isinstance(artist, Axes):
        return (artist.get_visible(), artist.get_text())
    return (
        artist.get_visible(),
        artist.get_position().bounds,
        artist.get_xlim(),
        artist.get_ylim(),
        artist.get_yscale(),
        artist.get_xlabel(),
        artist.get_ylabel(),
    )


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
_PATIENCE_NOTES = tuple(f"patience_note:{cb}" for cb in _WAITING)
_CURVES = CURVES
_MARKS = (*_both("saves"), *_both("on_disk"), *_both("restored"))
_AFTER = tuple(f"after:{name}" for name in _CURVES)
_LAYERS = (
    _Layer("curves", (*_CURVES, "no_history", "lowest"), (*_CURVES, "lowest")),
    _Layer("after", (*_AFTER, "later_best"), ("after:val_loss", "later_best")),
    _Layer("best", _BEST, _BEST),
    _Layer("marks", _MARKS, _MARKS),
    _Layer("lr_cuts", ("lr_cuts", "lr_cut_marks"), ("lr_cuts",)),
    _Layer("stop", ("stop", "stop@lr", "stop@wait", "stop_note", "stop_mark"), ("stop",)),
    _Layer("lr", ("lr", "no_lr")),
    _Layer("outcome", ("outcome_title", "outcome"), panel="figure"),
    _Layer(
        "wait",
        (*_WAIT, *_PATIENCE_NOTES, "wait_beyond", "cooldown"),
        (*_WAIT, "wait_beyond", "cooldown"),
        "wait",
    ),
)


class Timeline(Layers):
    """The story of one run in one to three panels sharing the epoch axis.

    1. *curves*: ``loss``/``val_loss`` (and, on a twin y axis, the monitored metric when
       it is not a loss, or ``metric``), each callback's best-so-far line, ModelCheckpoint
       saves and the epoch the file on disk holds, ReduceLROnPlateau cuts, EarlyStopping's
       stop and the restored epoch; without a callback watching ``val_loss``, its lowest
       epoch (the bottom of the U);
    2. *lr*, only with a ReduceLROnPlateau or a changing learning rate: the learning rate
       in effect during each epoch (``run.lrs``), log scale, each cut's new value beside it;
    3. *wait*, only with an EarlyStopping or a ReduceLROnPlateau (and ``show_wait``): each
       wait counter climbing to its patience, touching it at a cut or a stop before the
       reset, with the epochs ReduceLROnPlateau did not count (cooling down) shaded. The
       axis ends just above the largest patience; a wait that keeps growing at ``min_lr``
       leaves it, marked ▲ along the top.

    The epoch axis ends a few epochs after the last epoch the run trained: a replay's
    recorded epochs after its stop show faded, cut short. ``panels`` names the panels shown,
    top to bottom; the figure's height follows them unless ``figsize`` is given.

    The figure and its artists are made once; :meth:`update` and :meth:`set_language`
    only change their data, text and visibility, and :meth:`to_png` redraws only the data
    over the kept frame. Artists are reachable by name in ``artists`` (e.g.
    ``artists["stop"]``, ``artists["saves"]``, ``artists["lr"]``).

    Args:
        run: the :class:`~cbteach.run.Run` to show; None draws an empty figure that a
            later :meth:`update` fills.
        lang: ``"ko"`` or ``"en"``. Defaults to the language in use (``set_language``).
        metric: the metric on the twin y axis (``"val_accuracy"``). Defaults to the first
            monitored quantity that is not a loss.
        show_wait: whether to add the wait-counter panel. Defaults to True.
        figsize: the size in inches, kept whatever the panels. Defaults to 11 inches wide
            and as tall as the panels shown need (about 6 inches with one panel, 9.4
            with three).
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
        self.panels: tuple[str, ...] = ()  # the panels shown, top to bottom
        self._figsize = figsize  # None: the height follows the panels shown
        names = ("curves", "lr", "wait") if self.show_wait else ("curves", "lr")
        self.figure = new_figure(figsize or (_WIDTH, _height(names)), pyplot)
        panels = self.figure.subplots(len(names), 1, sharex=True)
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
        self._frames = FrameCache(self.figure)
        self._legend_keys: dict[str, tuple] = {}
        self._end = 1  # the last epoch on the x axis
        self._found = None  # what a replay's recorded epochs after the stop held
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
        lowest = {"ms": 13, "mfc": "none", "mec": _BEST_COLOR, "mew": 2.0, "zorder": 5}
        self._line("lowest", curves, ls="", marker="o", **lowest)

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
            disk = {"ms": 10, "mfc": checkpoint, "mec": "#145214", "mew": 1.5, "zorder": 5}
            self._line(f"on_disk{suffix}", ax, ls="", marker="o", **disk)
            star = {"ms": 18, "mfc": "#ffd700", "mec": stopping, "mew": 1.2, "zorder": 6}
            self._line(f"restored{suffix}", ax, ls="", marker="*", **star)

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
        self._arrange(view)
        self._found = self._missed(view)
        self._end = self._x_end(view)
        for layer in self._layers:
            getattr(self, f"_show_{layer.name}")(view)
        self._show_axes(view)
        self._show_legends()
        return self

    def _arrange(self, view: RunView) -> None:
        """Show the panels the run has something for; the figure's height follows them."""
        wanted = ("curves", *(("lr",) if has_lr(view) else ()))
        if self.show_wait and waits(view):
            wanted += ("wait",)
        if wanted == self.panels:
            return
        self.panels = wanted
        width, height = self._figsize or (_WIDTH, _height(wanted))
        scale = 1.0
        if self._figsize is None:
            self.figure.set_size_inches(width, height, forward=False)
        else:  # a size given: the panels share what the margins leave
            scale = max(height - _height(wanted) + sum(_INCHES[n] for n in wanted), 1.0)
            scale /= sum(_INCHES[n] for n in wanted)
        left, right = min(_LEFT / width, 0.2), max(1 - _RIGHT / width, 0.55)
        top = height - _TOP
        for name, ax in self._panels().items():
            ax.set_visible(name in wanted)
            if name not in wanted:
                continue
            inches = _INCHES[name] * scale
            top -= inches
            ax.set_position([left, top / height, right - left, inches / height])
            top -= _GAP
            last = name == wanted[-1]
            ax.tick_params(axis="x", labelbottom=last)
            # fixed label places: matplotlib need not measure every tick label to find them
            ax.yaxis.set_label_coords(-0.6 / (width * (right - left)), 0.5)
            ax.xaxis.set_label_coords(0.5, -0.32 / inches)
        self.axes["metric"].yaxis.set_label_coords(1 + 0.48 / (width * (right - left)), 0.5)
        self._place_outcome(left, height)

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
        self._show_lowest(view)

    def _show_lowest(self, view: RunView) -> None:
        """The lowest validation loss, marked on a run without callbacks (the U's bottom)."""
        values = [to_float(v) for v in view.history.get("val_loss") or []]
        lowest, shown = self.artists["lowest"], False
        if values and not view.events and not all(np.isnan(values)):
            epoch = int(np.nanargmin(values)) + 1
            lowest.set_data([epoch], [values[epoch - 1]])
            number = i18n.number(values[epoch - 1])
            lowest.set_label(view.t("lowest_legend", monitor="val_loss", value=number, epoch=epoch))
            shown = True
        lowest.set_visible(shown)

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
        """Saves, the epoch the file on disk holds, and the restored epoch, on the curve each
        callback monitors."""
        saves = [e for e in view.events if e.action is Action.SAVED and e.callback == _CHECKPOINT]
        on_disk = on_disk_label(saves, view)
        restored = first(view.events, Action.RESTORED, _EARLY_STOP)
        for side, suffix in _SUFFIX.items():
            mine = [e for e in saves if side_of(e.monitor) == side and e.value is not None]
            line = self.artists[f"saves{suffix}"]
            line.set_data([e.epoch for e in mine], [e.value for e in mine])
            line.set_label(view.t("saved_legend"))
            line.set_visible(bool(mine))
            disk = self.artists[f"on_disk{suffix}"]
            newest = mine[-1] if mine and mine[-1] is saves[-1] else None
            disk.set_data(*(([newest.epoch], [newest.value]) if newest else ([], [])))
            disk.set_label(on_disk or "")
            disk.set_visible(newest is not None and on_disk is not None)
            star = self.artists[f"restored{suffix}"]
            here = (
                restored is not None
                and side_of(restored.monitor) == side
                and restored.best_epoch is not None
                and restored.best_after is not None
            )
            if here:
                star.set_data([restored.best_epoch], [restored.best_after])
                star.set_label(view.t("restored_legend", epoch=restored.best_epoch))
            star.set_visible(here)

    def _show_axes(self, view: RunView) -> None:
        """Limits, the twin axis (only when it has a curve), the title and the axis labels."""
        curves, twin, lr = self.axes["curves"], self.axes["metric"], self.axes["lr"]
        curves.set_xlim(0.5, self._end + 0.5)
        self._loss_limits(view)
        twin.set_visible(any(line.get_visible() for line in twin.get_lines()))
        if twin.get_visible():
            twin.set_ylim(*self._padded(self._shown_values(twin, lambda gid: True), 0.06))
        self._lr_limits(view)
        twin.set_ylabel(view.metric or "")

        name = view.run.name if view.run is not None else ""
        plain = "title_curves" if view.run is not None and not view.events else "title"
        self._title.set_text(view.t(f"{plain}_named", name=name) if name else view.t(plain))
        curves.set_ylabel(view.t("loss_axis"))
        lr.set_ylabel(view.t("lr_axis"))
        for panel, ax in self._panels().items():
            ax.set_xlabel(view.t("epoch_axis") if panel == self.panels[-1] else "")
        if self.show_wait:
            self.axes["wait"].set_ylabel(view.t("wait_axis"))

    def _shown_values(self, ax, wanted) -> np.ndarray:
        """The finite y values of ``ax``'s visible lines whose gid ``wanted`` accepts, inside
        the x axis."""
        values = []
        for line in ax.get_lines():
            if not (line.get_visible() and wanted(line.get_gid())) or line.get_transform() != (
                line.axes.transData
            ):
                continue
            xs = np.asarray(line.get_xdata(), dtype=float)
            ys = np.asarray(line.get_ydata(), dtype=float)
            values.append(ys[(xs <= self._end + 0.5) & np.isfinite(ys)])
        return np.concatenate(values) if values else np.array([])

    @staticmethod
    def _padded(values: np.ndarray, pad: float, log: bool = False) -> tuple[float, float]:
        if not len(values):
            return (0.0, 1.0) if not log else (1e-4, 1e-2)
        low, high = float(values.min()), float(values.max())
        if log:
            return low / (1 + 4 * pad), high * (1 + 4 * pad)
        margin = (high - low) * pad or abs(high) * pad or 1.0
        return low - margin, high + margin

    def _loss_limits(self, view: RunView) -> None:
        """The loss axis: linear, from 0, unless the validation loss itself spans 3× or more.

        The validation curve is the one the callbacks judge: on a linear axis its U (down,
        then up again) shows; training loss falling far below it does not make the axis
        logarithmic. Training loss above the validation curve's top at epoch 1 may leave
        the top of the axis.
        """
        curves = self.axes["curves"]
        validation = self._shown_values(curves, lambda gid: gid in _LOSSES[1::2])
        every = self._shown_values(curves, lambda gid: gid in _LOSSES)
        judged = validation if len(validation) else every
        log = len(judged) > 0 and judged.min() > 0 and judged.max() >= 3 * judged.min()
        wanted = "log" if log else "linear"
        if curves.get_yscale() != wanted:
            curves.set_yscale(wanted)
            if log:
                plain_log_axis(curves)
        if log:
            curves.set_ylim(*self._padded(every[every > 0], 0.05, log=True))
        elif len(every):
            top = float(judged.max())
            if len(validation):  # epoch 1's training loss may stand above the axis
                top = max(top, *self._after_first_epoch(view))
            curves.set_ylim(min(0.0, float(every.min())), top * 1.08 if top > 0 else 1.0)
        else:
            curves.set_ylim(0, 1)

    def _after_first_epoch(self, view: RunView) -> list[float]:
        """The training loss from epoch 2 on, inside the x axis."""
        values = [to_float(v) for v in view.history.get("loss", [])[1 : self._end]]
        return [v for v in values if np.isfinite(v)] or [0.0]

    def _lr_limits(self, view: RunView) -> None:
        """The learning-rate axis: every LR in effect and every cut's new LR, log scale."""
        lrs = [to_float(x) for x in (view.run.lrs if view.run is not None else [])]
        lrs += [to_float(e.lr_after) for e in view.cuts]
        values = np.array([x for x in lrs if np.isfinite(x) and x > 0])
        if not len(values):
            self.axes["lr"].set_ylim(1e-4, 1e-2)
            return
        # in half decades, so a slider that adds a cut seldom moves the axis
        low = 10 ** (math.floor(2 * math.log10(values.min() / 1.2)) / 2)
        high = 10 ** (math.ceil(2 * math.log10(values.max() * 1.2)) / 2)
        self.axes["lr"].set_ylim(low, high)

    def _show_legends(self) -> None:
        """Legends are remade from the visible artists (absent callbacks leave no entry),
        only when their entries change."""
        for panel in ("curves", "wait"):
            layers = [layer for layer in self._layers if layer.panel == panel]
            if not layers:
                continue
            keys = [key for layer in layers for key in layer.legend]
            handles = [self.artists[key] for key in keys if self.artists[key].get_visible()]
            handles = list({h.get_label(): h for h in handles}.values())  # one entry a label
            twin = panel == "curves" and self.axes["metric"].get_visible()
            entries = (twin, self.lang, *((h.get_gid(), h.get_label()) for h in handles))
            if entries != self._legend_keys.get(panel):
                self._legend_keys[panel] = entries
                width = _LEGEND_CHARS - (8 if twin else 0)
                self._legend(self.axes[panel], handles, _LEGEND_GAP[twin], width)

    @staticmethod
    def _legend(ax, handles: list, x_gap: float, width: int) -> None:
        """The legend right of ``ax``, each entry wrapped to ``width`` characters."""
        if handles:
            labels = [_wrap(h.get_label(), width) for h in handles]
            ax.legend(handles, labels, bbox_to_anchor=(1 + x_gap, 1.0), **LEGEND_STYLE)
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

        At the figure's resolution only the data is drawn anew: each panel's frame (axes,
        ticks, title) and, apart, its legend are kept from the drawings before, for as long
        as their limits and labels stay the same or come back
        (:class:`~cbteach.figures.FrameCache`), and text is drawn from kept glyphs
        (:class:`~cbteach.figures.GlyphCachingCanvas`).

        Args:
            dpi: the resolution. Defaults to the figure's (100); another draws it all.

        Example:

        ```python
        image = ipywidgets.Image(value=Timeline(run).to_png())
        ```
        """
        return self._frames.png(self._bands(), self._data(), dpi)

    def _data(self) -> list:
        """The artists drawn on every PNG (the frame is kept), in drawing order."""
        shown = [
            a
            for a in (*self.artists.values(), *self.lr_cut_notes)
            if a.get_visible() and (a.axes is None or a.axes.get_visible())
        ]
        order = {ax: i for i, ax in enumerate(sorted(self.figure.axes, key=Axes.get_zorder))}
        return sorted(shown, key=lambda a: (order.get(a.axes, len(order)), a.get_zorder()))

    def _bands(self) -> list[Band]:
        """One band per panel shown, split halfway between panels; the title's in the first.

        Each panel's legend has a band of its own, painted over its panel's (which is drawn
        without it): a new epoch axis does not redraw the legend, nor a new legend entry
        the axes.
        """
        height = self.figure.get_figheight()
        shown = [self.axes[name] for name in self.panels]
        edges = [1.0]
        for upper, lower in itertools.pairwise(shown):
            edges.append((upper.get_position().y0 + lower.get_position().y1) / 2)
        edges.append(0.0)
        bands = []
        for i, (name, ax) in enumerate(zip(self.panels, shown)):
            artists: tuple = (ax,)
            if name == "curves":
                artists = (self._title, *sorted((self.axes["metric"], ax), key=Axes.get_zorder))
            frames = tuple(_frame_key(a) for a in artists)
            legend = ax.get_legend()
            hidden = (legend,) if legend is not None else ()
            key = (self.panels, height, frames)
            bands.append(Band(name, edges[i + 1], edges[i], artists, key, hidden=hidden))
            bands.append(self._legend_band(name, ax, edges[i + 1], hidden))
        return bands

    def _legend_band(self, name: str, ax: Axes, bottom: float, legend: tuple) -> Band:
        """The legend's corner of a panel: right of where it starts, below the panel's top."""
        entries = self._legend_keys.get(name)
        box = ax.get_position()
        left = box.x1 + _LEGEND_GAP[bool(entries and entries[0])] * box.width
        key = (tuple(self.figure.get_size_inches()), box.bounds, entries)
        return Band(f"{name}:legend", bottom, box.y1, legend, key, left=left)

    def _repr_png_(self) -> bytes:
        return self.to_png()
