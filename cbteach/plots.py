"""Plots of a :class:`~cbteach.run.Run`: its timeline, its learning rate, several runs at once.

Plots only read a run (``history``, ``lrs``, ``events``); they never train.

- :func:`plot_run`: the :class:`~cbteach.timeline.Timeline` of one run (curves, best so
  far, saves, LR cuts, stop, restored epoch, learning rate and wait counters);
- :func:`plot_lr`: the learning rate in effect during each epoch, cuts marked;
- :func:`plot_compare`: one curve under several settings, with each run's stop, restored
  epoch, saves and cuts.

Figures are :class:`matplotlib.figure.Figure` objects made without pyplot: they never pop
up by themselves and never pile up in pyplot's list of open figures. A notebook can ask for
pyplot figures instead (``use_pyplot()``, which :func:`cbteach.workbook.start` calls), so
that ``plt.show()`` ends a plotting cell as everywhere else in matplotlib. Every word on
them comes from the ``plots`` catalog (:mod:`cbteach.i18n`), in Korean or English, and each
function applies the Korean font first (:func:`use_korean_font`); importing this module
changes no matplotlib setting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from cbteach import i18n
from cbteach.callbacks import NAMES
from cbteach.figures import (
    COLORS,
    LEGEND_STYLE,
    LR_COLOR,
    SYMBOL_FONT,
    figure_png,
    new_figure,
    plain_log_axis,
    to_float,
    use_korean_font,
    use_pyplot,
)
from cbteach.timeline import Timeline

if TYPE_CHECKING:
    from cbteach.run import Run

__all__ = [
    "COLORS",
    "Timeline",
    "figure_png",
    "plot_compare",
    "plot_lr",
    "plot_run",
    "use_korean_font",
    "use_pyplot",
]

_REDUCE_LR = NAMES[1]  # the name ReduceLROnPlateau's events carry
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
_LANE_MARKERS = (  # what a lane shows: (marker, size, filled, catalog key), legend order
    ("o", 7, False, "compare_saved"),
    ("v", 8, True, "compare_lr_cut"),
    ("X", 10, True, "compare_stop"),
    ("*", 12, True, "compare_restored"),
)


def plot_run(run: Run, lang: str | None = None, **kwargs) -> Figure:
    """The :class:`~cbteach.timeline.Timeline` figure of one run.

    Args:
        run: the :class:`~cbteach.run.Run` of a training, a replay or a recording.
        lang: ``"ko"`` or ``"en"``. Defaults to the language in use.
        **kwargs: ``metric``, ``show_wait`` and ``figsize``, as for ``Timeline``.

    Returns:
        The figure (pyplot's when :func:`use_pyplot` is on).

    Example:

    ```python
    run = train([EarlyStopping(patience=3)], epochs=20)
    plot_run(run, lang="ko")
    plt.show()
    ```
    """
    return Timeline(run, lang=lang, pyplot=None, **kwargs).figure


def _new_figure(figsize: tuple[float, float], **kwargs) -> Figure:
    return new_figure(figsize, None, layout="constrained", **kwargs)


def plot_lr(run: Run, lang: str | None = None) -> Figure:
    """The learning rate in effect during each epoch, as steps on a log axis, cuts marked.

    Each ReduceLROnPlateau cut is a dashed line at its epoch, with the new learning rate
    written beside it.

    Args:
        run: the :class:`~cbteach.run.Run` whose ``lrs`` to draw.
        lang: ``"ko"`` or ``"en"``. Defaults to the language in use.

    Returns:
        The figure (pyplot's when :func:`use_pyplot` is on).

    Example:

    ```python
    run = train([ReduceLROnPlateau(patience=2, factor=0.5)], epochs=20)
    plot_lr(run)
    plt.show()
    ```
    """
    use_korean_font()
    lang = i18n.resolve(lang)
    figure = _new_figure((9.0, 3.2))
    ax = figure.subplots()
    lrs = [to_float(x) for x in run.lrs]
    steps = {"lw": 2.0, "drawstyle": "steps-pre", "marker": "o", "ms": 3.5}
    (line,) = ax.plot(np.arange(1, len(lrs) + 1), lrs, color=LR_COLOR, **steps)
    line.set_gid("lr")
    if any(not math.isnan(x) and x > 0 for x in lrs):
        plain_log_axis(ax)
    else:
        ax.text(0.5, 0.5, i18n.t("plots.no_lr", lang), transform=ax.transAxes, ha="center")
    color = COLORS[_REDUCE_LR]
    for cut in run.lr_cuts:
        ax.axvline(cut.epoch, color=color, lw=1.0, ls="--", alpha=0.6, gid="lr_cut")
        if cut.lr_after is not None:
            ax.annotate(
                i18n.t("plots.lr_cut_note", lang, lr=i18n.lr(cut.lr_after)),
                xy=(cut.epoch, cut.lr_after),
                xytext=(4, 3),
                textcoords="offset points",
                va="bottom",
                fontsize=8.5,
                fontfamily=SYMBOL_FONT,
                color=color,
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

    Args:
        runs: the :class:`~cbteach.run.Run` objects to compare.
        labels: one label per run. Defaults to each run's name, else "run 1", "run 2", ...
        lang: ``"ko"`` or ``"en"``. Defaults to the language in use.
        metric: the curve to draw. Defaults to ``"val_loss"``.

    Returns:
        The figure (pyplot's when :func:`use_pyplot` is on).

    Example:

    ```python
    overfit = recorded.load("overfit")
    runs = [replay(overfit, [EarlyStopping(patience=p)]) for p in (2, 5, 10)]
    plot_compare(runs, ["patience=2", "patience=5", "patience=10"])
    plt.show()
    ```
    """
    use_korean_font()
    lang = i18n.resolve(lang)
    runs = list(runs)
    labels = _compare_labels(runs, labels, lang)
    rows = max(len(runs), 1)
    figure = _new_figure((11.0, 4.6 + 0.55 * rows))
    curve_ax, lanes = figure.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [3.0, 0.3 + 0.55 * rows]}
    )
    colors = [_RUN_COLORS[i % len(_RUN_COLORS)] for i in range(len(runs))]
    curves = [np.array([to_float(v) for v in run.history.get(metric, [])]) for run in runs]
    all_runs = i18n.t("plots.compare_curve", lang, metric=metric)
    shared = _draw_curves(curve_ax, curves, colors, labels, all_runs)
    run_handles = []
    for lane, (run, curve, color, label) in enumerate(zip(runs, curves, colors, labels)):
        run_handles.append(_draw_outcome(curve_ax, run, curve, color, label, lang))
        _draw_lane(lanes, lane, run, color)

    _dress_compare(curve_ax, lanes, runs, labels, lang, metric)
    curve_handles = _shared_curve(curve_ax) if shared else []
    _legends(curve_ax, lanes, [*curve_handles, *run_handles], lang)
    return figure


def _dress_compare(curve_ax, lanes, runs: list, labels: list, lang: str, metric: str) -> None:
    """Limits, ticks, grids, axis labels and the title of a comparison."""
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
    curve_ax.figure.suptitle(i18n.t("plots.compare_title", lang, metric=metric), fontsize=13)


def _compare_labels(runs: list, labels: Sequence[str] | None, lang: str) -> list[str]:
    """One label per run: the ones given, else each run's name, else "run 1", "run 2", ..."""
    if labels is None:
        labels = [
            run.name or i18n.t("plots.run_label", lang, index=i + 1) for i, run in enumerate(runs)
        ]
    labels = [str(label) for label in labels]
    if len(labels) != len(runs):
        raise ValueError(f"{len(runs)} runs but {len(labels)} labels")
    return labels


def _draw_curves(ax, curves: list, colors: list, labels: list, shared_label: str) -> bool:
    """The curve once when every run follows the longest one (replays), else once per run.

    Returns whether the runs share the curve.
    """
    longest = max(curves, key=len, default=np.array([]))
    shared = all(np.allclose(c, longest[: len(c)], equal_nan=True) for c in curves)
    if shared and len(longest):
        epochs = np.arange(1, len(longest) + 1)
        style = {"color": "#444444", "lw": 2.0, "marker": "o", "ms": 3}
        ax.plot(epochs, longest, label=shared_label, gid="curve", **style)
    elif not shared:
        for curve, color, label in zip(curves, colors, labels):
            epochs = np.arange(1, len(curve) + 1)
            ax.plot(epochs, curve, color=color, lw=1.6, alpha=0.8, label=label, gid="curve")
    return shared


def _shared_curve(ax) -> list:
    """The one curve every run follows, for the legend."""
    return [line for line in ax.get_lines() if line.get_gid() == "curve"]


def _value_at(curve: np.ndarray, epoch: int | None) -> float:
    return curve[epoch - 1] if epoch is not None and 0 < epoch <= len(curve) else math.nan


def _draw_outcome(ax, run: Run, curve: np.ndarray, color: str, label: str, lang: str) -> Line2D:
    """A run's stop (a vertical line) and restored epoch (a star) on the curve.

    Returns its legend entry: where it stopped, or that it ran all its epochs.
    """
    stop, best = run.stopped_epoch, run.restored_epoch
    if stop is not None:
        ax.axvline(stop, color=color, lw=2.0, alpha=0.9, gid="stop")
        text = i18n.t("plots.compare_stopped", lang, label=label, epoch=stop)
    else:
        text = i18n.t("plots.compare_ran_all", lang, label=label, epochs=run.epochs)
    if best is not None:
        star = {"ms": 16, "mfc": color, "mec": "black", "mew": 0.8, "zorder": 6}
        ax.plot([best], [_value_at(curve, best)], ls="", marker="*", gid="restored", **star)
    return Line2D([], [], color=color, lw=2.0, label=text)


def _draw_lane(ax, y: int, run: Run, color: str) -> None:
    """Lane ``y``: a bar as long as the run trained, its saves, LR cuts, stop and restore."""
    stop, best = run.stopped_epoch, run.restored_epoch
    ax.barh(y, run.epochs, left=0.5, height=0.8, color=color, alpha=0.13, gid="lane")
    saved = [e.epoch for e in run.saves]
    ring = {"ms": 7, "mfc": "none", "mec": color, "mew": 1.6}
    ax.plot(saved, [y - 0.22] * len(saved), ls="", marker="o", gid="saves", **ring)
    cut = [e.epoch for e in run.lr_cuts]
    ax.plot(cut, [y + 0.22] * len(cut), ls="", marker="v", ms=8, color=color, gid="lr_cuts")
    if stop is not None:
        cross = {"ms": 11, "color": color, "mec": "black", "mew": 0.6}
        ax.plot([stop], [y], ls="", marker="X", gid="stop_marker", **cross)
    if best is not None:
        star = {"ms": 13, "mfc": color, "mec": "black", "mew": 0.6}
        ax.plot([best], [y], ls="", marker="*", gid="restored_marker", **star)


def _legends(curve_ax, lanes, curve_handles: list, lang: str) -> None:
    """The runs' outcomes beside the curve, and what each lane marker means beside the lanes."""
    curve_ax.legend(handles=curve_handles, bbox_to_anchor=(1.02, 1.0), **LEGEND_STYLE)
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
        for marker, size, filled, key in _LANE_MARKERS
    ]
    lanes.legend(handles=proxies, bbox_to_anchor=(1.02, 1.0), **LEGEND_STYLE)
