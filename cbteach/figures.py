"""The look every cbteach figure shares: colours, the Korean font, figures without pyplot.

:class:`~cbteach.timeline.Timeline` and the plots of :mod:`cbteach.plots` draw with the same
pieces, kept here once:

- ``COLORS``: one colour per callback, the same in every panel and every plot;
- :func:`use_korean_font`: Hangul on every figure, applied by the first figure drawn
  (importing this module changes no matplotlib setting);
- :func:`use_pyplot` and :func:`new_figure`: figures made without pyplot unless asked;
- :func:`figure_png`: any figure as PNG bytes;
- small drawing helpers (:func:`plain_log_axis`, :func:`vlines`, :func:`place_notes`);
- what a figure reads of a run (:class:`RunView`) and asks of its events
  (:func:`auto_metric`, :func:`best_groups`).

Everything here is re-exported by :mod:`cbteach.plots` for learners (``plots.COLORS``,
``plots.use_korean_font()``).
"""

from __future__ import annotations

import importlib.util
import io
import math
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatter
from matplotlib.transforms import ScaledTranslation

from cbteach import i18n
from cbteach.callbacks import NAMES
from cbteach.events import Action, Event, EventLog

if TYPE_CHECKING:
    from cbteach.run import Run

__all__ = [
    "CALLBACKS",
    "COLORS",
    "DRAWING",
    "LEGEND_STYLE",
    "LR_COLOR",
    "SYMBOL_FONT",
    "RunView",
    "auto_metric",
    "best_groups",
    "figure_png",
    "metric_pair",
    "new_figure",
    "place_notes",
    "plain_log_axis",
    "side_of",
    "side_transforms",
    "to_float",
    "use_korean_font",
    "use_pyplot",
    "vlines",
]

_CHECKPOINT, _REDUCE_LR, _EARLY_STOP = NAMES  # the names events carry in ``callback``

#: One colour per callback, the same in every panel and every plot.
COLORS = {_EARLY_STOP: "#d62728", _REDUCE_LR: "#9467bd", _CHECKPOINT: "#2ca02c"}
#: The order callbacks are grouped, drawn and listed in.
CALLBACKS = tuple(COLORS)
#: The colour of the learning-rate line.
LR_COLOR = "#5e3c99"
#: DejaVu Sans for the arrows, NanumGothic for the Hangul.
SYMBOL_FONT = ["DejaVu Sans", "NanumGothic"]
#: Legends sit outside the axes, to their right, without a frame.
LEGEND_STYLE = {"loc": "upper left", "fontsize": 8.5, "frameon": False, "borderaxespad": 0.0}

#: Held by every cbteach drawing that may run off the notebook's thread (a live timeline, a
#: retrain's status): matplotlib is not thread-safe, so no two figures draw at once.
DRAWING = threading.RLock()

_PYPLOT = {"on": False}
_FONT = {"applied": False}


def use_pyplot(on: bool = True) -> None:
    """Make ``plot_run``, ``plot_lr`` and ``plot_compare`` draw pyplot figures (notebooks).

    Then ``plt.show()`` displays and closes them. Off (the default), they are plain
    figures that only appear where they are returned or saved. A
    :class:`~cbteach.timeline.Timeline` made directly (the Playground's) stays pyplot-free
    unless ``pyplot=True`` is given. :func:`cbteach.workbook.start` turns it on.

    Args:
        on: whether the figures are pyplot's. Defaults to True.

    Example:

    ```python
    use_pyplot()
    plot_run(run)
    plt.show()
    ```
    """
    _PYPLOT["on"] = bool(on)


def use_korean_font() -> None:
    """Make matplotlib write Hangul: NanumGothic first, DejaVu Sans for the symbols it lacks.

    Every cbteach figure calls it before drawing (:class:`~cbteach.timeline.Timeline`,
    :func:`~cbteach.plots.plot_run`, :func:`~cbteach.plots.plot_lr`,
    :func:`~cbteach.plots.plot_compare`), and so does :func:`cbteach.workbook.start`;
    importing cbteach changes no matplotlib setting. The first call registers the
    NanumGothic files that ``koreanize_matplotlib`` ships and sets ``rcParams["font.family"]``
    and ``rcParams["axes.unicode_minus"] = False`` (NanumGothic has no Unicode minus) for
    the whole kernel. Later calls return at once, so a font set afterwards stays.

    ``import koreanize_matplotlib`` does both, but it needs ``distutils`` (gone in Python
    3.12); when that import fails, the bundled font files are registered by hand.

    Example:

    ```python
    use_korean_font()
    plt.title("학습률")  # Hangul, not empty boxes
    ```
    """
    if _FONT["applied"]:
        return
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
    _FONT["applied"] = True


def new_figure(figsize: tuple[float, float], pyplot: bool | None = None, **kwargs) -> Figure:
    """A figure at 100 dpi: pyplot's when ``pyplot`` says so, else one pyplot never holds.

    Args:
        figsize: the size in inches.
        pyplot: whether to make it with pyplot; None does as :func:`use_pyplot` says.
            Defaults to None.
        **kwargs: passed on to the figure (``layout="constrained"``).

    Returns:
        The figure, with an Agg canvas when it is not pyplot's.

    Example:

    >>> figure = new_figure((6, 3), pyplot=False, layout="constrained")
    >>> figure.dpi
    100
    """
    kwargs.setdefault("facecolor", "white")  # explicit: a dark theme must not show through
    if _PYPLOT["on"] if pyplot is None else pyplot:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize, dpi=100, **kwargs)
    figure = Figure(figsize=figsize, dpi=100, **kwargs)
    FigureCanvasAgg(figure)
    return figure


def figure_png(figure: Figure, dpi: float | None = None) -> bytes:
    """Any figure as PNG bytes, rendered with Agg (fast compression: shown, not archived).

    Args:
        figure: a matplotlib figure, cbteach's or any other.
        dpi: the resolution. Defaults to the figure's own.

    Example:

    ```python
    image = ipywidgets.Image(value=figure_png(plot_lr(run)))
    ```
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi or figure.dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


# ------------------------------------------------------------------ small drawing helpers
class _PlainLogFormatter(LogFormatter):
    """Log-axis labels as plain numbers ("0.001", "0.0003"), without mathtext.

    Matplotlib's default log labels are mathtext (``$10^{-3}$``), whose minus sign
    NanumGothic lacks; LogFormatter still decides which ticks get a label.
    """

    def __call__(self, x, pos=None) -> str:
        return f"{x:g}" if super().__call__(x, pos) else ""


def plain_log_axis(ax) -> None:
    """Give ``ax`` a log y axis labelled with plain numbers ("0.001"), not mathtext.

    Args:
        ax: the matplotlib axes whose y axis becomes logarithmic.

    Example:

    >>> ax = new_figure((6, 3)).add_subplot()
    >>> plain_log_axis(ax)
    >>> ax.get_yscale()
    'log'
    """
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_PlainLogFormatter())
    ax.yaxis.set_minor_formatter(_PlainLogFormatter(minor_thresholds=(2, 0.5)))


def to_float(x) -> float:
    """``x`` as a float, None as NaN (a gap in a line).

    Args:
        x: a number, or None.

    Example:

    >>> to_float(3), to_float(None)
    (3.0, nan)
    """
    return math.nan if x is None else float(x)


def vlines(xs: Sequence[float]) -> tuple[list[float], list[float]]:
    """Data for one Line2D drawing a full-height vertical line at each x (NaN-separated).

    The line is meant for a transform whose y runs 0..1 over the axes
    (``ax.get_xaxis_transform()``).

    Args:
        xs: where the lines stand (epochs).

    Example:

    >>> vlines([2, 5])
    ([2, 2, nan, 5, 5, nan], [0.0, 1.0, nan, 0.0, 1.0, nan])
    """
    x_data: list[float] = []
    y_data: list[float] = []
    for x in xs:
        x_data += [x, x, math.nan]
        y_data += [0.0, 1.0, math.nan]
    return x_data, y_data


def side_transforms(ax, points: float = 3) -> dict:
    """Transforms for text beside a vertical line: x in data, y in axes (0..1).

    Args:
        ax: the axes the text is on.
        points: the gap between the line and the text, in points. Defaults to 3.

    Returns:
        ``{"left": ..., "right": ...}``: for left-aligned text (right of the line, moved
        ``points`` right) and right-aligned text (left of it, moved ``points`` left).

    Example:

    >>> ax = new_figure((6, 3)).add_subplot()
    >>> sorted(side_transforms(ax))
    ['left', 'right']
    """
    along, scale = ax.get_xaxis_transform(), ax.figure.dpi_scale_trans
    return {
        ha: along + ScaledTranslation(dx / 72, 0, scale)
        for ha, dx in (("left", points), ("right", -points))
    }


def place_notes(ax, notes: Sequence, transforms: dict) -> None:
    """Write each note beside its vertical line, in rows that keep neighbours apart.

    A note goes right of its line where it fits inside the axes, else left of it; it takes
    the highest row where it does not overlap the note before it. A canvas that cannot
    measure text leaves the notes where they are (in one row).

    Args:
        ax: the axes the notes are on; each note's x is its line's epoch.
        notes: the :class:`matplotlib.text.Text` notes, in epoch order.
        transforms: :func:`side_transforms` of ``ax`` (3 points).

    Example:

    >>> ax = new_figure((6, 3)).add_subplot(xlim=(0, 10))
    >>> notes = [ax.text(3, 0, "stopped"), ax.text(3.2, 0, "LR cut")]
    >>> place_notes(ax, notes, side_transforms(ax))  # the second note goes a row lower
    """
    if not notes:
        return
    get_renderer = getattr(ax.figure.canvas, "get_renderer", None)
    if get_renderer is None:
        return
    renderer = get_renderer()
    box = ax.get_window_extent(renderer)
    pad = 3 * ax.figure.dpi / 72
    row_ends: list[float] = []
    for note in notes:
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
        note.set_transform(transforms[ha])
        note.set_y(1 - (2 * pad + row * (extent.height + pad)) / max(box.height, 1.0))


# ------------------------------------------------------- what a figure reads of a run
def side_of(monitor: str) -> str:
    """``"loss"`` for a loss (the left y axis), ``"metric"`` for any other (its twin).

    Args:
        monitor: a quantity's name, as in ``logs``.

    Example:

    >>> side_of("val_loss"), side_of("val_accuracy")
    ('loss', 'metric')
    """
    return "loss" if "loss" in monitor else "metric"


def metric_pair(name: str) -> tuple[str, str]:
    """The training and validation names of a metric: ``"val_accuracy"`` -> both.

    Args:
        name: the metric's name, with or without ``val_``.

    Example:

    >>> metric_pair("val_accuracy")
    ('accuracy', 'val_accuracy')
    """
    base = name.removeprefix("val_")
    return base, f"val_{base}"


@dataclass
class RunView:
    """What a figure shows of one run (or of none), in one language.

    Made by :meth:`of`; read by the :class:`~cbteach.timeline.Timeline`'s layers.

    Args:
        run: the run shown, or None for an empty figure.
        lang: the language of the labels, ``"ko"`` or ``"en"``.
        metric: the metric on the twin y axis, or None for none.
        history: the run's ``history``, metric name to one value per epoch.
        events: the run's events, in order.
        per_callback: each callback's decisions, one per epoch, by name (all of ``CALLBACKS``).
        cuts: the events where ReduceLROnPlateau lowered the learning rate.
        cooling: the epochs ReduceLROnPlateau did not count (cooldown).

    Example:

    >>> view = RunView.of(None, "en", None)
    >>> view.epochs, view.t("epoch_axis")
    (0, 'epoch')
    """

    run: Run | None
    lang: str
    metric: str | None  # the metric on the twin y axis
    history: dict
    events: list[Event]
    per_callback: dict[str, list[Event]]  # each callback's decisions, one per epoch
    cuts: list[Event]
    cooling: list[int]  # the epochs ReduceLROnPlateau did not count (cooldown)

    @classmethod
    def of(cls, run: Run | None, lang: str, metric: str | None) -> RunView:
        """The view of ``run`` in ``lang``; ``metric`` None picks :func:`auto_metric`'s.

        Args:
            run: a :class:`~cbteach.run.Run`, or None for an empty view.
            lang: ``"ko"`` or ``"en"``.
            metric: the metric for the twin y axis, or None to pick one.

        Example:

        >>> RunView.of(None, "en", "val_accuracy").metric
        'val_accuracy'
        """
        log = run.events if run is not None else EventLog()
        history = dict(run.history) if run is not None else {}
        events = list(log)
        return cls(
            run=run,
            lang=lang,
            metric=metric or auto_metric(history, events),
            history=history,
            events=events,
            per_callback={cb: log.decisions(cb) for cb in CALLBACKS},
            cuts=[e for e in events if e.action is Action.REDUCED_LR],
            cooling=log.cooldown_epochs(_REDUCE_LR),
        )

    @property
    def epochs(self) -> int:
        """How many epochs the run has (0 without one)."""
        return self.run.epochs if self.run is not None else 0

    def t(self, key: str, **values) -> str:
        """The ``plots`` catalog message ``key`` in the view's language.

        Args:
            key: the message's key in ``locales/*/plots.json``.
            **values: the message's placeholders.

        Example:

        >>> RunView.of(None, "en", None).t("curve_val", name="loss")
        'loss (validation)'
        """
        return i18n.t(f"plots.{key}", self.lang, **values)


# ------------------------------------------------------- what a figure asks of the events
def auto_metric(history: dict, events: Sequence[Event]) -> str | None:
    """The first monitored quantity that is not a loss (it gets the twin y axis).

    Args:
        history: the run's ``history``; the quantity must have a curve there.
        events: the run's events, in order.

    Returns:
        Its name (``"val_accuracy"``), or None when every callback watches a loss.

    Example:

    >>> from cbteach.events import Event
    >>> seen = Event(1, "EarlyStopping", "improved", "", "val_accuracy", best_after=0.9)
    >>> auto_metric({"val_accuracy": [0.9]}, [seen])
    'val_accuracy'
    """
    for e in events:
        if e.callback in COLORS and "loss" not in e.monitor and e.monitor in history:
            return e.monitor
    return None


def best_groups(per_callback: dict[str, list[Event]]) -> list[tuple[list[str], str, list, list]]:
    """Callbacks whose best-so-far lines coincide share one line: ``(members, monitor, x, y)``.

    Args:
        per_callback: each callback's decisions, one per epoch
            (:meth:`~cbteach.events.EventLog.decisions`), keyed by every name in
            ``CALLBACKS``.

    Returns:
        One group per line to draw, in ``CALLBACKS`` order: its callbacks, the quantity
        they watch, and the epochs and best values of the line.

    Example:

    >>> from cbteach.events import Event
    >>> seen = Event(1, "EarlyStopping", "improved", "", "val_loss", best_after=0.3)
    >>> best_groups({"EarlyStopping": [seen], "ReduceLROnPlateau": [], "ModelCheckpoint": []})
    [(['EarlyStopping'], 'val_loss', [1], [0.3])]
    """
    groups: list[tuple[list[str], str, list, list]] = []
    for cb in CALLBACKS:
        events = per_callback[cb]
        if not events:
            continue
        monitor = events[-1].monitor
        xs = [e.epoch for e in events]
        ys = [to_float(e.best_after) for e in events]
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
