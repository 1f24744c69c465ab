"""The look every cbteach figure shares: colours, the Korean font, figures without pyplot.

:class:`~cbteach.timeline.Timeline` and the plots of :mod:`cbteach.plots` draw with the same
pieces, kept here once:

- ``COLORS``: one colour per callback, the same in every panel and every plot;
- :func:`use_korean_font`: Hangul on every figure, applied by the first figure drawn
  (importing this module changes no matplotlib setting);
- :func:`use_pyplot` and :func:`new_figure`: figures made without pyplot unless asked;
- :func:`figure_png`: any figure as PNG bytes; :class:`FrameCache`, which keeps a
  figure's frame (axes, ticks, legends) drawn and redraws only its data, encoding with
  :func:`encode_png`; and :class:`GlyphCachingCanvas`, the Agg canvas of cbteach's figures,
  which rasterises each glyph once;
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
import struct
import threading
import warnings
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
from matplotlib import font_manager, ft2font
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
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
    "FRAME_MEMORY",
    "LEGEND_STYLE",
    "LR_COLOR",
    "SYMBOL_FONT",
    "Band",
    "FrameCache",
    "GlyphCachingCanvas",
    "GlyphCachingRenderer",
    "RunView",
    "auto_metric",
    "best_groups",
    "encode_png",
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
        The figure, with an Agg canvas that keeps rendered text (:class:`GlyphCachingCanvas`)
        when it is not pyplot's.

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
    GlyphCachingCanvas(figure)
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


def encode_png(pixels: np.ndarray, level: int = 1) -> bytes:
    """RGBA pixels (a figure's Agg buffer) as PNG bytes: lossless, and fast to make.

    Each row is stored as its difference from the row above (PNG's "Up" filter, one NumPy
    subtraction for the whole image), then deflated at ``level``. A figure is mostly
    white rows and straight lines, so that compresses nearly as well as Pillow's per-row
    filter search (10–15 % larger), in less than half its time.

    Args:
        pixels: an array of shape ``(height, width, 4)``, dtype uint8.
        level: zlib's compression level, 0 (none) to 9. Defaults to 1 (shown, not archived).

    Example:

    >>> encode_png(np.full((2, 3, 4), 255, np.uint8)).startswith(b"\\x89PNG")
    True
    """
    height, width = pixels.shape[:2]
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 2  # the Up filter on every row (the row above the first counts as zeros)
    body = rows[:, 1:].reshape(height, width, 4)
    body[0] = pixels[0]
    np.subtract(pixels[1:], pixels[:-1], out=body[1:])
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows, level)),
            _png_chunk(b"IEND", b""),
        )
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# ------------------------------------------------------------------ text drawn once
# Most of what a figure costs is text: every tick label, legend entry and note is laid out
# and rasterised glyph by glyph on every drawing, and a slider redraws the same "10", "20",
# "val_loss (validation)" again and again. The renderer below keeps both: a string's layout
# (which glyph of which font goes where), and each glyph's pixels, by glyph, size and where
# it falls inside a pixel (FreeType's 1/64 steps). Putting a kept glyph back at its whole-
# pixel offset gives the very pixels FreeType would render there, so nothing on the figure
# changes. It needs matplotlib's per-glyph text drawing (3.11 and later); with an older
# matplotlib it draws text as Agg always does.
_GLYPH_API = all(
    hasattr(cls, name)
    for cls, name in (
        (RendererAgg, "_draw_text_glyphs_and_boxes"),
        (RendererAgg, "_prepare_font"),
        (backend_agg, "get_hinting_flag"),
        (backend_agg, "RenderMode"),
        (ft2font.FT2Font, "_layout"),
        (ft2font.FT2Font, "_render_glyph"),
        (ft2font.FT2Font, "_set_transform"),
        (ft2font.FT2Font, "face_index"),
    )
)
_TEXT_CACHE_LIMIT = 20_000  # entries of each kept kind; a few MiB at most


# Kept per process, shared by every cbteach figure: layouts by string, font, size and thread
# (a layout holds the thread's own font objects, as matplotlib's get_font does); glyph
# pixels by font file, glyph, size and place inside a pixel; font heights and files.
_LAYOUTS: dict = {}
_GLYPHS: dict = {}
_HEIGHTS: dict = {}
_FILES: dict = {}
_GENERIC = ("serif", "sans-serif", "cursive", "fantasy", "monospace")


def _font_files(prop) -> tuple:
    """The font files ``prop`` draws with (``_find_fonts_by_props``), kept by its settings."""
    families = tuple(prop.get_family())
    generic = ()  # a generic family ("sans-serif") means what rcParams lists for it now
    if set(families) & font_manager.font_family_aliases:
        generic = tuple(tuple(matplotlib.rcParams[f"font.{name}"]) for name in _GENERIC)
    key = (
        families,
        generic,
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_file(),
        prop.get_size_in_points(),
    )
    files = _FILES.get(key)
    if files is None:
        files = tuple(font_manager.fontManager._find_fonts_by_props(prop))
        _remember(_FILES, key, files)
    return files


def _remember(table: dict, key, value):
    """``table[key] = value``, emptying ``table`` first when it is full."""
    if len(table) >= _TEXT_CACHE_LIMIT:
        table.clear()
    table[key] = value
    return value


class GlyphCachingRenderer(RendererAgg):
    """Matplotlib's Agg renderer, keeping each string's layout and each glyph's pixels.

    It draws the same pixels as :class:`~matplotlib.backends.backend_agg.RendererAgg`;
    :class:`GlyphCachingCanvas` hands it out. Mathtext and TeX are drawn as Agg draws them.
    """

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """Draw ``s`` from kept layouts and glyphs (Agg's own arguments and pixels)."""
        if ismath or not _GLYPH_API:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        flags = backend_agg.get_hinting_flag()
        size = prop.get_size_in_points()
        rc = matplotlib.rcParams
        hinting = (flags, rc["text.hinting_factor"], rc["text.kerning_factor"])
        files = _font_files(prop)
        key = (s, files, size, self.dpi, hinting, tuple(features or ()), language)
        key += (threading.get_ident(),)
        items = _LAYOUTS.get(key)
        if items is None:
            font = self._prepare_font(prop)
            laid = font._layout(s, flags=flags, features=features, language=language)
            items = [(item.ft_object, item.glyph_index, item.x, item.y) for item in laid]
            _remember(_LAYOUTS, key, items)
        self._draw_glyphs(gc, x, y, angle, size, hinting, items)
        return None

    def _draw_glyphs(self, gc, x, y, angle, size, hinting, items) -> None:
        """What ``_draw_text_glyphs_and_boxes`` does for plain text, with kept glyphs."""
        flags = hinting[0]
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        antialiased = gc.get_antialiased()
        mode = backend_agg.RenderMode.NORMAL if antialiased else backend_agg.RenderMode.MONO
        height = int(self.height)
        for font, glyph, dx, dy in items:
            # where FreeType puts the glyph, in 1/64 pixel (its y upwards)
            tx = round(0x40 * (x + dx * cos - dy * sin))
            ty = round(0x40 * (self.height - y + dx * sin + dy * cos))
            key = (font.fname, font.face_index, size, self.dpi, glyph, angle, tx & 63, ty & 63)
            key += (antialiased, hinting)
            kept = _GLYPHS.get(key)
            if kept is None:
                font.set_size(size, self.dpi)
                matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
                font._set_transform(matrix, [tx & 63, ty & 63])  # inside one pixel
                bitmap = font._render_glyph(glyph, flags, mode)
                buffer = bitmap.buffer if antialiased else bitmap.buffer * 0xFF
                kept = _remember(_GLYPHS, key, (buffer, bitmap.left, bitmap.top))
            buffer, left, top = kept
            bottom = height - (top + (ty >> 6)) + buffer.shape[0]
            self._renderer.draw_text_image(buffer, left + (tx >> 6), bottom, 0, gc)

    def _get_font_height_metrics(self, prop):
        """A font's ascent, descent and line gap in pixels, as ``Text`` measures them, kept."""
        files = _font_files(prop)
        key = (files, prop.get_size_in_points(), self.dpi)
        kept = _HEIGHTS.get(key)
        if kept is None:
            kept = _remember(_HEIGHTS, key, _font_height_metrics(prop, self.dpi))
        return kept


def _font_height_metrics(prop, dpi: float) -> tuple:
    """``Text._get_layout``'s reading of the font tables (None, None, None: measure instead)."""
    font = font_manager.get_font(list(_font_files(prop)))
    for table_name, gap, ascent, descent in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = prop.get_size_in_points() * dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


class GlyphCachingCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer keeps text layouts and glyphs (:class:`GlyphCachingRenderer`).

    The pixels are Agg's own; text that was drawn before costs a copy, not a rasterisation.
    :func:`new_figure` gives every figure made without pyplot one.

    Example:

    >>> figure = Figure((2, 1))
    >>> type(GlyphCachingCanvas(figure).get_renderer()).__name__
    'GlyphCachingRenderer'
    """

    def get_renderer(self):
        """Agg's renderer for this size and dpi, made a :class:`GlyphCachingRenderer`."""
        renderer = super().get_renderer()
        if type(renderer) is RendererAgg:  # made by Agg's own get_renderer: adds no state
            renderer.__class__ = GlyphCachingRenderer
        return renderer


@dataclass(frozen=True)
class Band:
    """A rectangle of a figure whose frame :class:`FrameCache` keeps drawn.

    Args:
        name: the band's name (its saved drawings are kept under it).
        bottom: its lower edge, as a fraction of the figure's height (0 at the bottom).
        top: its upper edge, likewise.
        artists: what it draws once per ``key``: axes (with their ticks and grid, without
            the figure's data) and figure texts such as the title.
        key: anything hashable that changes whenever those artists would look different
            (limits, scales, labels, legend entries, position).
        left: its left edge, as a fraction of the figure's width. Defaults to 0.
        right: its right edge, likewise. Defaults to 1.
        hidden: artists left out while this band draws (drawn by a band of their own, such
            as an axes' legend). Defaults to none.

    Example:

    >>> Band("curves", 0.5, 1.0, (), key=((0.5, 40.5), "loss"))  # doctest: +ELLIPSIS
    Band(name='curves', bottom=0.5, top=1.0, artists=(), key=((0.5, 40.5), 'loss'), ...)
    """

    name: str
    bottom: float
    top: float
    artists: tuple = ()
    key: object = None
    left: float = 0.0
    right: float = 1.0
    hidden: tuple = ()


#: How many bytes of older frames a :class:`FrameCache` keeps (deflated), by default: a
#: three-panel Timeline's frames deflate to about 0.2 MiB, so hundreds of them.
FRAME_MEMORY = 16 * 2**20
_REPLACED_AT_MOST = 8  # replaced frames waiting to be deflated (a few MiB)


@dataclass
class FrameCache:
    """PNG bytes of a figure whose frame rarely changes and whose data changes often.

    A slider moves the data (curves, markers, notes) far more often than it moves the
    frame (the axes, their ticks and tick labels, the legends, the title), and the frame
    is most of what matplotlib spends its time drawing. So each :class:`Band` of the figure
    is drawn without the data once per ``key`` and kept as pixels; :meth:`png` puts the
    kept pixels back, draws only the data over them, and encodes the PNG
    (:func:`encode_png`). Data is drawn above the whole frame (over a spine, never under a
    grid line); nothing else changes.

    A band keeps the drawings of its last several keys, not only the last one (a slider
    moved back finds its frame drawn): the newest as pixels, older ones deflated (a frame
    is mostly white: 2 MiB become about 70 KiB), the least recently shown dropped beyond
    ``memory`` bytes.

    A canvas that is not Agg's, or another ``dpi``, gets a plain full drawing
    (:func:`figure_png`).

    Args:
        figure: the figure to draw.
        memory: the most bytes of deflated frames kept. Defaults to ``FRAME_MEMORY``
            (16 MiB).

    Example:

    >>> figure = new_figure((4, 3))
    >>> ax = figure.add_subplot()
    >>> line, = ax.plot([1, 2, 3])
    >>> frames = FrameCache(figure)
    >>> band = Band("all", 0.0, 1.0, (ax,), key=ax.get_ylim())
    >>> frames.png([band], [line]).startswith(b"\\x89PNG")
    True
    """

    figure: Figure
    memory: int = FRAME_MEMORY
    _shown: dict = field(default_factory=dict, repr=False)  # band name -> (key, pixels)
    _kept: OrderedDict = field(default_factory=OrderedDict, repr=False)  # (name, key) -> bytes
    _replaced: list = field(default_factory=list, repr=False)  # (name, key, pixels) to deflate

    def png(self, bands: Sequence[Band], data: Sequence, dpi: float | None = None) -> bytes:
        """Draw the bands' frames (kept ones put back), then ``data`` on top; PNG bytes.

        Args:
            bands: the rectangles of the figure, which together cover it.
            data: the artists drawn on every call, in drawing order; hidden ones are
                skipped.
            dpi: the resolution. Defaults to the figure's own; any other draws it all.

        Example:

        ```python
        png = frames.png(bands, [line, stop_note])
        ```
        """
        canvas = self.figure.canvas
        if (dpi is not None and dpi != self.figure.dpi) or not isinstance(canvas, FigureCanvasAgg):
            return figure_png(self.figure, dpi)
        with DRAWING:  # matplotlib is not thread-safe
            renderer = canvas.get_renderer()
            pixels = np.asarray(renderer.buffer_rgba())
            shown = [artist for artist in data if artist.get_visible()]
            redrawn = self._frames(bands, shown, renderer, pixels)
            for artist in shown:
                artist.draw(renderer)
            self.figure.stale = False
            png = encode_png(pixels)
            if not redrawn or len(self._replaced) > _REPLACED_AT_MOST:
                self._deflate()  # a drawing that redrew a frame has done enough already
            return png

    def _frames(self, bands: Sequence[Band], shown: list, renderer, pixels) -> bool:
        """Each band's frame: its kept pixels when its key was drawn before, else drawn anew.

        Returns whether any band was drawn anew.
        """
        height, width = pixels.shape[:2]
        background = np.asarray(matplotlib.colors.to_rgba_array(self.figure.get_facecolor()))
        for artist in shown:  # the data stays out of the frame
            artist.set_visible(False)
        try:
            stale = []
            for band in bands:
                area = (
                    slice(round(height * (1 - band.top)), round(height * (1 - band.bottom))),
                    slice(round(width * band.left), round(width * band.right)),
                )
                key = (band.key, tuple((edge.start, edge.stop) for edge in area))
                if self._put_back(band.name, key, pixels, area):
                    continue
                pixels[area] = np.round(background[0] * 255).astype(np.uint8)
                for artist in band.hidden:
                    artist.set_visible(False)
                try:
                    for artist in band.artists:
                        artist.draw(renderer)
                finally:
                    for artist in band.hidden:
                        artist.set_visible(True)
                stale.append((band.name, key, area))
            for name, key, area in stale:
                self._keep(name, key, pixels[area].copy())
        finally:
            for artist in shown:
                artist.set_visible(True)
        return bool(stale)

    def _put_back(self, name: str, key, pixels, area) -> bool:
        """Copy the kept drawing of band ``name`` at ``key`` into ``pixels``, if there is one."""
        shown = self._shown.get(name)
        if shown is not None and shown[0] == key:
            pixels[area] = shown[1]
            return True
        waiting = [i for i, (n, k, _) in enumerate(self._replaced) if (n, k) == (name, key)]
        packed = self._kept.get((name, key))
        if waiting:
            drawn = self._replaced.pop(waiting[0])[2]
        elif packed is not None:
            self._kept.move_to_end((name, key))
            drawn = np.frombuffer(zlib.decompress(packed), np.uint8).reshape(pixels[area].shape)
        else:
            return False
        pixels[area] = drawn
        self._keep(name, key, drawn.copy())
        return True

    def _keep(self, name: str, key, drawn: np.ndarray) -> None:
        """``drawn`` becomes band ``name``'s shown frame; the one it replaces will be deflated
        (by the next drawing that redraws no frame: a slow one has done enough)."""
        previous = self._shown.get(name)
        self._shown[name] = (key, drawn)
        if previous is not None and previous[0] != key and (name, previous[0]) not in self._kept:
            self._replaced.append((name, *previous))

    def _deflate(self) -> None:
        """Deflate the replaced frames into the kept ones; forget the oldest beyond memory."""
        for name, key, drawn in self._replaced:
            self._kept[(name, key)] = zlib.compress(drawn, 1)
        self._replaced.clear()
        total = sum(map(len, self._kept.values()))
        while total > self.memory and len(self._kept) > 1:
            total -= len(self._kept.popitem(last=False)[1])


# ------------------------------------------------------------------ small drawing helpers
class _PlainLogFormatter(LogFormatter):
    """Log-axis labels as plain numbers ("0.001", "0.0003"), without mathtext.

    Matplotlib's default log labels are mathtext (``$10^{-3}$``), whose minus sign
    NanumGothic lacks; LogFormatter still decides which ticks get a label.
    """

    def __call__(self, x, pos=None) -> str:
        return f"{x:g}" if super().__call__(x, pos) else ""


def plain_log_axis(ax, minor_thresholds: tuple[float, float] = (2, 0.5)) -> None:
    """Give ``ax`` a log y axis labelled with plain numbers ("0.001"), not mathtext.

    Args:
        ax: the matplotlib axes whose y axis becomes logarithmic.
        minor_thresholds: when the minor ticks get labels, as matplotlib's
            ``LogFormatter`` takes it: none above the first number of decades shown,
            some above the second, all below. Defaults to ``(2, 0.5)``.

    Example:

    >>> ax = new_figure((6, 3)).add_subplot()
    >>> plain_log_axis(ax)
    >>> ax.get_yscale()
    'log'
    """
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_PlainLogFormatter())
    ax.yaxis.set_minor_formatter(_PlainLogFormatter(minor_thresholds=minor_thresholds))


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
