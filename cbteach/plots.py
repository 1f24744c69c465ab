"""Plots of a :class:`~cbteach.training.Run`: curves, learning rate and wait counters per epoch.

Plots only read a run (``history``, ``lrs``, ``events``); they never train. The core is
:class:`Timeline`, which builds its figure once and then only moves its existing artists,
so a widget slider can redraw it many times a second:

>>> timeline = Timeline(run, lang="ko")      # doctest: +SKIP
>>> timeline.update(other_run)               # same figure, same axes, new data
>>> png = timeline.to_png()                  # bytes for an ipywidgets.Image

Figures are :class:`matplotlib.figure.Figure` objects made without pyplot: they never pop
up by themselves and never pile up in pyplot's list of open figures. A notebook can ask for
pyplot figures instead (``use_pyplot()``, which :func:`cbteach.workbook.start` calls), so
that ``plt.show()`` ends a plotting cell as everywhere else in matplotlib. Every word on
them comes from the ``plots`` catalog (:mod:`cbteach.i18n`), in Korean or English.
"""

from __future__ import annotations

import importlib.util
import io
import math
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import LogFormatter, MaxNLocator
from matplotlib.transforms import ScaledTranslation

from cbteach import i18n
from cbteach.events import Action, Event, first

if TYPE_CHECKING:
    from cbteach.training import Run

__all__ = ["COLORS", "Timeline", "plot_compare", "plot_lr", "plot_run", "use_pyplot"]

_PYPLOT = {"on": False}


def use_pyplot(on: bool = True) -> None:
    """Make ``plot_run``, ``plot_lr`` and ``plot_compare`` draw pyplot figures (notebooks).

    Then ``plt.show()`` displays and closes them. Off (the default), they are plain
    figures that only appear where they are returned or saved. A :class:`Timeline` made
    directly (the Playground's) stays pyplot-free unless ``pyplot=True`` is given.
    """
    _PYPLOT["on"] = bool(on)


def _figure(figsize: tuple[float, float], pyplot: bool | None = None, **kwargs) -> Figure:
    if _PYPLOT["on"] if pyplot is None else pyplot:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize, dpi=100, **kwargs)
    figure = Figure(figsize=figsize, dpi=100, **kwargs)
    FigureCanvasAgg(figure)
    return figure


def _use_korean_font() -> None:
    """Register NanumGothic (shipped by koreanize_matplotlib) so Hangul renders.

    ``import koreanize_matplotlib`` registers the font and sets ``font.family`` globally.
    Its import needs ``distutils`` (gone in Python 3.12), so when it fails the bundled
    font files are registered by hand. DejaVu Sans stays as a fallback for the few
    symbols NanumGothic lacks.
    """
    try:
        with warnings.catch_warnings():  # it compares versions with distutils' LooseVersion
            warnings.simplefilter("ignore", DeprecationWarning)
            import koreanize_matplotlib  # noqa: F401
    except ImportError:
        spec = importlib.util.find_spec("koreanize_matplotlib")
        if spec is not None and spec.submodule_search_locations:
            folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
            for path in sorted(folder.glob("*.ttf")):
                font_manager.fontManager.addfont(str(path))
    if any(f.name == "NanumGothic" for f in font_manager.fontManager.ttflist):
        matplotlib.rcParams["font.family"] = ["NanumGothic", "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False


_use_korean_font()

#: One colour per callback, the same in every panel and every plot.
COLORS = {
    "EarlyStopping": "#d62728",
    "ReduceLROnPlateau": "#9467bd",
    "ModelCheckpoint": "#2ca02c",
}
_CALLBACKS = tuple(COLORS)
_WAITING = ("EarlyStopping", "ReduceLROnPlateau")
_TRAIN_COLOR = "#1f77b4"
_VAL_COLOR = "#ff7f0e"
_METRIC_TRAIN_COLOR = "#17becf"
_METRIC_VAL_COLOR = "#8c564b"
_BEST_COLOR = "#333333"
_LR_COLOR = "#5e3c99"
_RUN_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)
_SIDES = ("loss", "metric")  # the left y axis (losses) and its twin (any other metric)
_SYMBOL_FONT = ["DejaVu Sans", "NanumGothic"]  # DejaVu's arrows, NanumGothic's Hangul
_LEGEND = {"loc": "upper left", "fontsize": 8.5, "frameon": False, "borderaxespad": 0.0}


class _PlainLogFormatter(LogFormatter):
    """Log-axis labels as plain numbers ("0.001", "0.0003"), without mathtext.

    Matplotlib's default log labels are mathtext (``$10^{-3}$``), whose minus sign
    NanumGothic lacks; LogFormatter still decides which ticks get a label.
    """

    def __call__(self, x, pos=None) -> str:
        return f"{x:g}" if super().__call__(x, pos) else ""


def _plain_log_axis(ax) -> None:
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_PlainLogFormatter())
    ax.yaxis.set_minor_formatter(_PlainLogFormatter(minor_thresholds=(2, 0.5)))


def _float(x) -> float:
    return math.nan if x is None else float(x)


def _lr_text(lr: float | None) -> str:
    return "—" if lr is None else f"{lr:.3g}"


def _side(monitor: str) -> str:
    """Losses go on the left y axis, every other metric on its twin."""
    return "loss" if "loss" in monitor else "metric"


def _epoch_events(events: Sequence[Event]) -> dict[str, list[Event]]:
    """Per callback, its one end-of-epoch event per epoch, in epoch order."""
    found: dict[str, dict[int, Event]] = {cb: {} for cb in _CALLBACKS}
    for e in events:
        if e.callback not in found or e.action is Action.RESTORED:
            continue
        if e.reason == "events.mc_saved_batch":
            continue
        found[e.callback][e.epoch] = e
    return {cb: [by_epoch[k] for k in sorted(by_epoch)] for cb, by_epoch in found.items()}


def _metric_pair(name: str) -> tuple[str, str]:
    base = name.removeprefix("val_")
    return base, f"val_{base}"


def _auto_metric(history: dict, events: Sequence[Event]) -> str | None:
    """The first monitored quantity that is not a loss (it gets the twin y axis)."""
    for e in events:
        if e.callback in COLORS and "loss" not in e.monitor and e.monitor in history:
            return e.monitor
    return None


def _best_groups(per_callback: dict[str, list[Event]]) -> list[tuple[list[str], str, list, list]]:
    """Callbacks whose best-so-far lines coincide share one line: ``(members, monitor, x, y)``."""
    groups: list[tuple[list[str], str, list, list]] = []
    for cb in _CALLBACKS:
        events = per_callback[cb]
        if not events:
            continue
        monitor = events[-1].monitor
        xs = [e.epoch for e in events]
        ys = [_float(e.best_after) for e in events]
        for members, g_monitor, g_xs, g_ys in groups:
            if (
                g_monitor == monitor
                and g_xs == xs
                and np.allclose(ys, g_ys, rtol=1e-3, equal_nan=True)
            ):
                members.append(cb)
                break
        else:
            groups.append(([cb], monitor, xs, ys))
    return groups


def _cooldown_epochs(events: Sequence[Event]) -> list[int]:
    """Epochs ReduceLROnPlateau began in cooldown (the counter was still above 0)."""
    epochs, counter = [], 0
    for e in events:
        if counter > 0:
            epochs.append(e.epoch)
        counter = e.cooldown_counter or 0
    return epochs


def _vlines(xs: Sequence[float]) -> tuple[list[float], list[float]]:
    """Data for one Line2D drawing a full-height vertical line at each x (NaN-separated)."""
    x_data: list[float] = []
    y_data: list[float] = []
    for x in xs:
        x_data += [x, x, math.nan]
        y_data += [0.0, 1.0, math.nan]
    return x_data, y_data


class Timeline:
    """The story of one run in two or three panels sharing the epoch axis.

    1. *curves*: ``loss``/``val_loss`` (and, on a twin y axis, the monitored metric when
       it is not a loss, or ``metric``), each callback's best-so-far line, ModelCheckpoint
       saves, ReduceLROnPlateau cuts, EarlyStopping's stop and the restored epoch;
    2. *lr*: the learning rate in effect during each epoch (``run.lrs``), log scale;
    3. *wait* (``show_wait``): EarlyStopping's and ReduceLROnPlateau's wait counters
       climbing to their patience, with ReduceLROnPlateau's cooldown epochs shaded.

    The figure and its artists are made once; :meth:`update` and :meth:`set_language`
    only change their data, text and visibility. Artists are reachable by name in
    ``artists`` (e.g. ``artists["stop"]``, ``artists["saves"]``, ``artists["lr"]``).
    ``pyplot=True`` draws on a pyplot figure (``None``: as :func:`use_pyplot` says).
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
        self.lang = None if lang is None else i18n.resolve(lang)
        self.metric = metric
        self.show_wait = bool(show_wait)
        self.run: Run | None = None
        if figsize is None:
            figsize = (11.0, 8.0) if self.show_wait else (11.0, 6.0)
        self.figure = _figure(figsize, pyplot)
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
            bottom=min(0.6 / height, 0.2),
            hspace=0.12,
        )
        self.axes = {"curves": panels[0], "metric": panels[0].twinx(), "lr": panels[1]}
        # The loss axes (with the notes and the legend) draw above the metric's twin.
        panels[0].set_zorder(self.axes["metric"].get_zorder() + 1)
        panels[0].patch.set_visible(False)
        if self.show_wait:
            self.axes["wait"] = panels[2]
        self.artists: dict[str, object] = {}
        self.lr_cut_notes: list = []
        self._build()
        self.update(run)

    # ------------------------------------------------------------------ building, once
    def _add(self, name: str, artist):
        artist.set_gid(name)
        self.artists[name] = artist
        return artist

    def _line(self, name: str, ax, **style) -> Line2D:
        (line,) = ax.plot([], [], **style)
        return self._add(name, line)

    def _build(self) -> None:
        fig, axes = self.figure, self.axes
        curves, twin, lr = axes["curves"], axes["metric"], axes["lr"]
        panels = [ax for key, ax in axes.items() if key != "metric"]
        panels[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
        for ax in panels:
            ax.grid(True, alpha=0.25)
        twin.grid(False)
        self._title = fig.suptitle("", fontsize=13)

        self._line("loss", curves, color=_TRAIN_COLOR, lw=1.5, ls="--", alpha=0.85)
        self._line("val_loss", curves, color=_VAL_COLOR, lw=2.0, marker="o", ms=3.5)
        self._line("metric", twin, color=_METRIC_TRAIN_COLOR, lw=1.3, ls="--", alpha=0.85)
        self._line("val_metric", twin, color=_METRIC_VAL_COLOR, lw=1.8, marker="s", ms=3)
        for side, ax in (("loss", curves), ("metric", twin)):
            suffix = "" if side == "loss" else "@metric"
            for cb in _CALLBACKS:
                self._line(
                    f"best:{cb}{suffix}", ax, lw=1.6, ls=":", drawstyle="steps-post", zorder=3
                )
            self._line(
                f"saves{suffix}",
                ax,
                ls="",
                marker="o",
                ms=10,
                mfc="none",
                mec=COLORS["ModelCheckpoint"],
                mew=2.0,
                zorder=5,
            )
            self._line(
                f"restored{suffix}",
                ax,
                ls="",
                marker="*",
                ms=18,
                mfc="#ffd700",
                mec=COLORS["EarlyStopping"],
                mew=1.2,
                zorder=6,
            )
            note = ax.annotate(
                "",
                xy=(1, 0),
                xytext=(0, 13),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
                color=COLORS["EarlyStopping"],
                fontweight="bold",
                zorder=7,
            )
            self._add(f"restored_note{suffix}", note)

        rlr = COLORS["ReduceLROnPlateau"]
        self._line(
            "lr_cuts", curves, color=rlr, lw=1.3, ls="--", transform=curves.get_xaxis_transform()
        )
        self._lr_note_transforms = {
            ha: curves.get_xaxis_transform() + ScaledTranslation(dx / 72, 0, fig.dpi_scale_trans)
            for ha, dx in (("left", 3), ("right", -3))
        }
        es = COLORS["EarlyStopping"]
        for key, ax in axes.items():
            if key != "metric":
                name = "stop" if key == "curves" else f"stop@{key}"
                self._line(name, ax, color=es, lw=2.2, transform=ax.get_xaxis_transform(), zorder=4)
        stop_note = curves.text(
            0,
            1.015,
            "",
            transform=curves.get_xaxis_transform(),
            color=es,
            fontsize=9.5,
            fontweight="bold",
            va="bottom",
        )
        self._add("stop_note", stop_note)
        center = {"ha": "center", "va": "center", "color": "#777777", "fontsize": 10}
        self._add("no_history", curves.text(0.5, 0.5, "", transform=curves.transAxes, **center))

        _plain_log_axis(lr)
        self._line("lr", lr, color=_LR_COLOR, lw=2.0, drawstyle="steps-pre", marker="o", ms=3.5)
        self._add("no_lr", lr.text(0.5, 0.5, "", transform=lr.transAxes, **center))

        if self.show_wait:
            wait = axes["wait"]
            wait.yaxis.set_major_locator(MaxNLocator(integer=True))
            cooldown = PolyCollection(
                [],
                transform=wait.get_xaxis_transform(),
                facecolor=rlr,
                alpha=0.15,
                edgecolor="none",
            )
            wait.add_collection(cooldown, autolim=False)
            self._add("cooldown", cooldown)
            for cb in _WAITING:
                color = COLORS[cb]
                self._line(
                    f"wait:{cb}", wait, color=color, lw=1.8, drawstyle="steps-mid", marker="o", ms=4
                )
                self._line(
                    f"patience:{cb}",
                    wait,
                    color=color,
                    lw=1.2,
                    ls="--",
                    alpha=0.8,
                    transform=wait.get_yaxis_transform(),
                )
            self._add("no_wait", wait.text(0.5, 0.5, "", transform=wait.transAxes, **center))

    # ------------------------------------------------------------------ updating, often
    def update(self, run: Run | None, lang: str | None = None) -> Timeline:
        """Show ``run`` (or nothing, for None) in the same figure, moving the same artists."""
        if lang is not None:
            self.lang = i18n.resolve(lang)
        self.run = run
        lang = i18n.resolve(self.lang)
        a, axes = self.artists, self.axes
        history = dict(run.history) if run is not None else {}
        events = list(run.events) if run is not None else []
        n = run.epochs if run is not None else 0
        per_callback = _epoch_events(events)

        def t(key: str, **values) -> str:
            return i18n.t(f"plots.{key}", lang, **values)

        # Curves: the loss pair on the left, the metric pair on the twin axis.
        metric = self.metric or _auto_metric(history, events)
        keys = {"loss": ("loss", "val_loss"), "metric": _metric_pair(metric) if metric else ()}
        names = {"loss": ("loss", "val_loss"), "metric": ("metric", "val_metric")}
        for side in _SIDES:
            for name, key, label in zip(
                names[side], keys[side] or (None, None), ("curve_train", "curve_val")
            ):
                line = a[name]
                values = history.get(key) if key else None
                if values:
                    line.set_data(np.arange(1, len(values) + 1), [_float(v) for v in values])
                    line.set_label(t(label, name=key))
                    line.set_visible(True)
                else:
                    line.set_data([], [])
                    line.set_visible(False)
        a["no_history"].set_text(t("no_history"))
        a["no_history"].set_visible(n == 0)

        # Best-so-far lines, one per group of callbacks that agree.
        groups = _best_groups(per_callback)
        by_monitor: dict[str, int] = {}
        for _, monitor, _, _ in groups:
            by_monitor[monitor] = by_monitor.get(monitor, 0) + 1
        for cb in _CALLBACKS:
            for suffix in ("", "@metric"):
                a[f"best:{cb}{suffix}"].set_visible(False)
        for members, monitor, xs, ys in groups:
            suffix = "" if _side(monitor) == "loss" else "@metric"
            line = a[f"best:{members[0]}{suffix}"]
            line.set_data(xs, ys)
            if by_monitor[monitor] == 1:
                line.set_color(_BEST_COLOR)
                line.set_label(t("best_so_far", monitor=monitor))
            else:
                line.set_color(COLORS[members[0]])
                line.set_label(t("best_so_far_of", monitor=monitor, callbacks=", ".join(members)))
            line.set_visible(True)

        # Saves and the restored epoch, on the curve each callback monitors.
        saves = [e for e in events if e.action is Action.SAVED and e.callback == "ModelCheckpoint"]
        restored = first(events, Action.RESTORED, "EarlyStopping")
        for side in _SIDES:
            suffix = "" if side == "loss" else "@metric"
            mine = [e for e in saves if _side(e.monitor) == side and e.value is not None]
            line = a[f"saves{suffix}"]
            line.set_data([e.epoch for e in mine], [e.value for e in mine])
            line.set_label(t("saved_legend"))
            line.set_visible(bool(mine))
            star, note = a[f"restored{suffix}"], a[f"restored_note{suffix}"]
            here = (
                restored is not None
                and _side(restored.monitor) == side
                and restored.best_epoch is not None
                and restored.best_after is not None
            )
            if here:
                xy = (restored.best_epoch, restored.best_after)
                star.set_data([xy[0]], [xy[1]])
                note.xy = xy
                note.set_text(t("restored_note", epoch=restored.best_epoch))
            star.set_label(t("restored_legend"))
            star.set_visible(here)
            note.set_visible(here)

        # Learning-rate cuts: dashed verticals with the new LR written along them.
        cuts = [e for e in events if e.action is Action.REDUCED_LR]
        a["lr_cuts"].set_data(*_vlines([e.epoch for e in cuts]))
        a["lr_cuts"].set_label(t("lr_cut_legend"))
        a["lr_cuts"].set_visible(bool(cuts))
        curves = axes["curves"]
        while len(self.lr_cut_notes) < len(cuts):
            note = curves.text(
                0,
                0.97,
                "",
                transform=self._lr_note_transforms["left"],
                va="top",
                fontsize=8,
                color=COLORS["ReduceLROnPlateau"],
                fontfamily=_SYMBOL_FONT,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
                zorder=6,
            )
            note.set_gid("lr_cut_note")
            self.lr_cut_notes.append(note)
        for i, note in enumerate(self.lr_cut_notes):
            if i < len(cuts):
                note.set_x(cuts[i].epoch)
                note.set_text(t("lr_cut_note", lr=_lr_text(cuts[i].lr_after)))
                note.set_visible(True)
            else:
                note.set_visible(False)

        # EarlyStopping's stop: a red line through every panel.
        stop = first(events, Action.STOPPED, "EarlyStopping")
        for key in axes:
            if key != "metric":
                line = a["stop" if key == "curves" else f"stop@{key}"]
                line.set_data(*_vlines([stop.epoch] if stop else []))
                line.set_visible(stop is not None)
        a["stop"].set_label(t("stop_legend"))
        note = a["stop_note"]
        if stop is not None:
            note.set_x(stop.epoch)
            note.set_ha("right" if stop.epoch > (n + 1) / 2 else "left")
            note.set_text(t("stop_note", epoch=stop.epoch))
        note.set_visible(stop is not None)

        # Learning rate per epoch.
        lrs = [_float(x) for x in (run.lrs if run is not None else [])]
        has_lr = any(not math.isnan(x) and x > 0 for x in lrs)
        a["lr"].set_data(np.arange(1, len(lrs) + 1), lrs)
        a["lr"].set_visible(has_lr)
        a["no_lr"].set_text(t("no_lr"))
        a["no_lr"].set_visible(not has_lr)

        if self.show_wait:
            self._update_wait(per_callback, t)

        self._update_axes(n, metric, t, run)
        self._place_lr_notes(len(cuts))
        return self

    def _place_lr_notes(self, count: int) -> None:
        """Write each new LR beside its cut, right of the line where it fits, in rows that
        keep neighbouring notes from overlapping."""
        if not count:
            return
        get_renderer = getattr(self.figure.canvas, "get_renderer", None)
        if get_renderer is None:  # a canvas that cannot measure text: leave notes in one row
            return
        ax, renderer = self.axes["curves"], get_renderer()
        box = ax.get_window_extent(renderer)
        pad = 3 * self.figure.dpi / 72
        row_ends: list[float] = []
        for note in self.lr_cut_notes[:count]:
            x = ax.transData.transform((note.get_position()[0], 0))[0]
            extent = note.get_window_extent(renderer)
            if x + pad + extent.width <= box.x1 - pad:
                ha, start = "left", x + pad
            else:
                ha, start = "right", x - pad - extent.width
            row = next((r for r, end in enumerate(row_ends) if end + pad < start), len(row_ends))
            if row == len(row_ends):
                row_ends.append(0.0)
            row_ends[row] = start + extent.width
            note.set_ha(ha)
            note.set_transform(self._lr_note_transforms[ha])
            note.set_y(1 - (2 * pad + row * (extent.height + pad)) / max(box.height, 1.0))

    def _update_wait(self, per_callback: dict[str, list[Event]], t) -> None:
        a, wait = self.artists, self.axes["wait"]
        top = 1.0
        for cb in _WAITING:
            events = [e for e in per_callback[cb] if e.wait_after is not None]
            line, limit = a[f"wait:{cb}"], a[f"patience:{cb}"]
            patience = next((e.patience for e in events if e.patience is not None), None)
            line.set_data([e.epoch for e in events], [e.wait_after for e in events])
            line.set_label(t("wait_legend", callback=cb))
            line.set_visible(bool(events))
            if patience is not None:
                limit.set_data([0, 1], [patience, patience])
                limit.set_label(t("patience_legend", callback=cb, patience=patience))
                top = max(top, patience)
            limit.set_visible(bool(events) and patience is not None)
            top = max([top, *(e.wait_after for e in events)])
        cooling = _cooldown_epochs(per_callback["ReduceLROnPlateau"])
        a["cooldown"].set_verts(
            [[(e - 0.5, 0), (e + 0.5, 0), (e + 0.5, 1), (e - 0.5, 1)] for e in cooling]
        )
        a["cooldown"].set_label(t("cooldown_legend"))
        a["cooldown"].set_visible(bool(cooling))
        present = any(per_callback[cb] for cb in _WAITING)
        a["no_wait"].set_text(t("no_wait"))
        a["no_wait"].set_visible(not present)
        wait.set_ylim(-0.4, top + 0.6)

    def _update_axes(self, n: int, metric: str | None, t, run: Run | None) -> None:
        a, axes = self.artists, self.axes
        curves, twin, lr = axes["curves"], axes["metric"], axes["lr"]
        curves.set_xlim(0.5, max(n, 1) + 0.5)
        for ax in (curves, twin, lr):
            ax.set_autoscaley_on(True)  # an empty run's fixed limits must not stick
            ax.relim(visible_only=True)
            ax.autoscale_view(scalex=False)
        if n == 0:
            curves.set_ylim(0, 1)
        if not a["lr"].get_visible():
            lr.set_ylim(1e-4, 1e-2)
        twin_lines = [line for line in twin.get_lines() if line.get_visible()]
        twin.set_visible(bool(twin_lines))
        twin.set_ylabel(metric or "")

        name = run.name if run is not None else ""
        self._title.set_text(t("title_named", name=name) if name else t("title"))
        curves.set_ylabel(t("loss_axis"))
        lr.set_ylabel(t("lr_axis"))
        bottom = lr
        if self.show_wait:
            axes["wait"].set_ylabel(t("wait_axis"))
            bottom = axes["wait"]
        bottom.set_xlabel(t("epoch_axis"))

        # Legends are remade from the visible artists: absent callbacks leave no entry.
        handles = [
            artist
            for key in (
                "loss",
                "val_loss",
                "metric",
                "val_metric",
                *(f"best:{cb}" for cb in _CALLBACKS),
                *(f"best:{cb}@metric" for cb in _CALLBACKS),
                "saves",
                "saves@metric",
                "restored",
                "restored@metric",
                "lr_cuts",
                "stop",
            )
            if (artist := a[key]).get_visible()
        ]
        handles = list({h.get_label(): h for h in handles}.values())
        self._legend(curves, handles, 0.1 if twin_lines else 0.02)
        if self.show_wait:
            keys = [f"{kind}:{cb}" for cb in _WAITING for kind in ("wait", "patience")]
            wait_handles = [a[k] for k in [*keys, "cooldown"] if a[k].get_visible()]
            self._legend(axes["wait"], wait_handles, 0.02)

    @staticmethod
    def _legend(ax, handles: list, x_gap: float) -> None:
        if handles:
            ax.legend(handles=handles, bbox_to_anchor=(1 + x_gap, 1.0), **_LEGEND)
        elif ax.get_legend() is not None:
            ax.get_legend().remove()

    def set_language(self, lang: str | None) -> Timeline:
        """Re-label every title, axis, legend entry and note in ``lang`` ("ko" or "en")."""
        self.lang = None if lang is None else i18n.resolve(lang)
        return self.update(self.run)

    def to_png(self, dpi: float | None = None) -> bytes:
        """The figure as PNG bytes (for ``ipywidgets.Image``), rendered with Agg."""
        return figure_png(self.figure, dpi)

    def _repr_png_(self) -> bytes:
        return self.to_png()


def figure_png(figure: Figure, dpi: float | None = None) -> bytes:
    """Any figure as PNG bytes, rendered with Agg (fast compression: shown, not archived)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi or figure.dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def plot_run(run: Run, lang: str | None = None, **kwargs) -> Figure:
    """The :class:`Timeline` figure of ``run`` (``metric``, ``show_wait``, ``figsize`` as there)."""
    return Timeline(run, lang=lang, pyplot=None, **kwargs).figure


def _new_figure(figsize: tuple[float, float], **kwargs) -> Figure:
    return _figure(figsize, None, layout="constrained", **kwargs)


def plot_lr(run: Run, lang: str | None = None) -> Figure:
    """The learning rate in effect during each epoch, as steps on a log axis, cuts marked."""
    lang = i18n.resolve(lang)
    figure = _new_figure((9.0, 3.2))
    ax = figure.subplots()
    lrs = [_float(x) for x in run.lrs]
    (line,) = ax.plot(
        np.arange(1, len(lrs) + 1),
        lrs,
        color=_LR_COLOR,
        lw=2.0,
        drawstyle="steps-pre",
        marker="o",
        ms=3.5,
    )
    line.set_gid("lr")
    if any(not math.isnan(x) and x > 0 for x in lrs):
        _plain_log_axis(ax)
    else:
        ax.text(0.5, 0.5, i18n.t("plots.no_lr", lang), transform=ax.transAxes, ha="center")
    for cut in run.lr_cuts:
        ax.axvline(
            cut.epoch, color=COLORS["ReduceLROnPlateau"], lw=1.0, ls="--", alpha=0.6, gid="lr_cut"
        )
        if cut.lr_after is not None:
            ax.annotate(
                i18n.t("plots.lr_cut_note", lang, lr=_lr_text(cut.lr_after)),
                xy=(cut.epoch, cut.lr_after),
                xytext=(4, 3),
                textcoords="offset points",
                va="bottom",
                fontsize=8.5,
                fontfamily=_SYMBOL_FONT,
                color=COLORS["ReduceLROnPlateau"],
            )
    ax.set_xlim(0.5, max(len(lrs), 1) + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, alpha=0.25)
    ax.set_title(i18n.t("plots.lr_title", lang))
    ax.set_xlabel(i18n.t("plots.epoch_axis", lang))
    ax.set_ylabel(i18n.t("plots.lr_axis", lang))
    return figure


def plot_compare(
    runs: Sequence[Run],
    labels: Sequence[str] | None = None,
    *,
    lang: str | None = None,
    metric: str = "val_loss",
) -> Figure:
    """Several runs of the same curve (e.g. replays with patience 2, 5, 10) at one glance.

    Top: the curve (drawn once when the runs share it, as replays of one recording do;
    otherwise once per run), each run's stop as a vertical line in its colour, and its
    restored epoch as a star. Bottom: one lane per run, as long as the run trained, with
    its saves (○), learning-rate cuts (▼) and stop (✕).
    """
    lang = i18n.resolve(lang)
    runs = list(runs)
    if labels is None:
        labels = [
            run.name or i18n.t("plots.run_label", lang, index=i + 1) for i, run in enumerate(runs)
        ]
    labels = [str(label) for label in labels]
    if len(labels) != len(runs):
        raise ValueError(f"{len(runs)} runs but {len(labels)} labels")

    figure = _new_figure((11.0, 4.6 + 0.55 * max(len(runs), 1)))
    curve_ax, lanes = figure.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [3.0, 0.3 + 0.55 * max(len(runs), 1)]}
    )
    colors = [_RUN_COLORS[i % len(_RUN_COLORS)] for i in range(len(runs))]
    curves = [np.array([_float(v) for v in run.history.get(metric, [])]) for run in runs]
    longest = max(curves, key=len, default=np.array([]))
    shared = all(np.allclose(c, longest[: len(c)], equal_nan=True) for c in curves)
    if shared and len(longest):
        curve_ax.plot(
            np.arange(1, len(longest) + 1),
            longest,
            color="#444444",
            lw=2.0,
            marker="o",
            ms=3,
            label=i18n.t("plots.compare_curve", lang, metric=metric),
            gid="curve",
        )
    elif not shared:
        for curve, color, label in zip(curves, colors, labels):
            curve_ax.plot(
                np.arange(1, len(curve) + 1),
                curve,
                color=color,
                lw=1.6,
                alpha=0.8,
                label=label,
                gid="curve",
            )

    def value_at(curve: np.ndarray, epoch: int | None) -> float:
        return curve[epoch - 1] if epoch is not None and 0 < epoch <= len(curve) else math.nan

    run_handles = []
    for i, (run, curve, color, label) in enumerate(zip(runs, curves, colors, labels)):
        stop, best = run.stopped_epoch, run.restored_epoch
        if stop is not None:
            curve_ax.axvline(stop, color=color, lw=2.0, alpha=0.9, gid="stop")
            text = i18n.t("plots.compare_stopped", lang, label=label, epoch=stop)
        else:
            text = i18n.t("plots.compare_ran_all", lang, label=label, epochs=run.epochs)
        run_handles.append(Line2D([], [], color=color, lw=2.0, label=text))
        if best is not None:
            curve_ax.plot(
                [best],
                [value_at(curve, best)],
                ls="",
                marker="*",
                ms=16,
                mfc=color,
                mec="black",
                mew=0.8,
                zorder=6,
                gid="restored",
            )

        y = i
        lanes.barh(y, run.epochs, left=0.5, height=0.8, color=color, alpha=0.13, gid="lane")
        saved = [e.epoch for e in run.saves]
        lanes.plot(
            saved,
            [y - 0.22] * len(saved),
            ls="",
            marker="o",
            ms=7,
            mfc="none",
            mec=color,
            mew=1.6,
            gid="saves",
        )
        cut = [e.epoch for e in run.lr_cuts]
        lanes.plot(cut, [y + 0.22] * len(cut), ls="", marker="v", ms=8, color=color, gid="lr_cuts")
        if stop is not None:
            lanes.plot(
                [stop],
                [y],
                ls="",
                marker="X",
                ms=11,
                color=color,
                mec="black",
                mew=0.6,
                gid="stop_marker",
            )
        if best is not None:
            lanes.plot(
                [best],
                [y],
                ls="",
                marker="*",
                ms=13,
                mfc=color,
                mec="black",
                mew=0.6,
                gid="restored_marker",
            )

    n = max((run.epochs for run in runs), default=1)
    curve_ax.set_xlim(0.5, max(n, 1) + 0.5)
    lanes.xaxis.set_major_locator(MaxNLocator(integer=True))
    lanes.set_yticks(range(len(runs)), labels)
    lanes.set_ylim(max(len(runs), 1) - 0.5, -0.5)
    for ax in (curve_ax, lanes):
        ax.grid(True, axis="x", alpha=0.25)
    curve_ax.grid(True, axis="y", alpha=0.25)
    curve_ax.set_ylabel(metric)
    lanes.set_xlabel(i18n.t("plots.epoch_axis", lang))
    figure.suptitle(i18n.t("plots.compare_title", lang, metric=metric), fontsize=13)

    curve_handles = [h for h in curve_ax.get_lines() if h.get_gid() == "curve" and shared]
    curve_ax.legend(handles=[*curve_handles, *run_handles], bbox_to_anchor=(1.02, 1.0), **_LEGEND)
    markers = [  # (marker, size, filled, catalog key)
        ("o", 7, False, "compare_saved"),
        ("v", 8, True, "compare_lr_cut"),
        ("X", 10, True, "compare_stop"),
        ("*", 12, True, "compare_restored"),
    ]
    proxies = [
        Line2D(
            [],
            [],
            ls="",
            marker=marker,
            ms=size,
            color="black",
            mfc="black" if filled else "none",
            mec="black",
            label=i18n.t(f"plots.{key}", lang),
        )
        for marker, size, filled, key in markers
    ]
    lanes.legend(handles=proxies, bbox_to_anchor=(1.02, 1.0), **_LEGEND)
    return figure
