"""A JupyterLab playground: move a slider, see what the real callbacks would do, instantly.

>>> from cbteach.widgets import Playground                        # doctest: +SKIP
>>> Playground()                                                 # doctest: +SKIP
>>> Playground(controls=("es_patience", "mode"), callbacks=("EarlyStopping",))  # doctest: +SKIP

Every change of a control builds fresh cbteach callbacks from the settings
(:func:`build_callbacks`), replays the chosen recorded run through them
(:func:`cbteach.replay.replay`), moves the one :class:`~cbteach.plots.Timeline` and
rewrites the explanation (:func:`cbteach.summary.summarize`). Retrain trains a real model
with the same settings in a background thread; the new run joins the run list, where it
can be replayed and compared like the recorded ones.

The class below only wires widgets to those plain functions; the logic lives in them.

What a room of learners does to it, and what happens (see :class:`Playground` for the rules):
a second Retrain press while one trains is refused with a status line; sliders keep replaying
while it trains; an interrupt (the kernel's stop button) during :meth:`Playground.wait` cancels
the retrain at the end of the current epoch and keeps the finished epochs; an error inside
training becomes a status line; :meth:`Playground.close` stops training and releases widgets
and figure; a new Playground made while an older one trains (a cell run again) cancels the
older one's retrain, whose thread then writes into none of the older widgets.
"""

from __future__ import annotations

import dataclasses
import html
import math
import os
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import ipywidgets as widgets
import keras

from cbteach import i18n, recorded
from cbteach.callbacks import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from cbteach.events import EventLog
from cbteach.plots import Timeline, figure_png, plot_compare
from cbteach.replay import Replayer
from cbteach.summary import summarize
from cbteach.training import Retrainer, Run

__all__ = [
    "CALLBACKS",
    "CONTROLS",
    "DEFAULTS",
    "Playground",
    "build_callbacks",
    "check_controls",
    "explain_error",
    "short_error",
]

#: The callbacks a playground can hold, in the order they are given to Keras.
CALLBACKS = ("ModelCheckpoint", "ReduceLROnPlateau", "EarlyStopping")

#: Every control, and the callback it belongs to (None: shared by all, or not a setting).
CONTROL_OWNERS: dict[str, str | None] = {
    "run": None,
    "monitor": None,
    "mode": None,
    "es_patience": "EarlyStopping",
    "es_min_delta": "EarlyStopping",
    "restore_best_weights": "EarlyStopping",
    "start_from_epoch": "EarlyStopping",
    "baseline": "EarlyStopping",
    "rlr_patience": "ReduceLROnPlateau",
    "factor": "ReduceLROnPlateau",
    "cooldown": "ReduceLROnPlateau",
    "rlr_min_delta": "ReduceLROnPlateau",
    "min_lr": "ReduceLROnPlateau",
    "save_best_only": "ModelCheckpoint",
    "language": None,
    "retrain": None,
    "compare": None,
}
CONTROLS = tuple(CONTROL_OWNERS)

#: The settings a playground starts from (a setting whose control is hidden keeps it).
DEFAULTS: dict[str, object] = {
    "monitor": "val_loss",
    "mode": "auto",
    "es_patience": 5,
    "es_min_delta": 0.0,
    "restore_best_weights": True,
    "start_from_epoch": 0,
    "baseline": None,
    "rlr_patience": 3,
    "factor": 0.3,
    "cooldown": 0,
    "rlr_min_delta": 1e-4,
    "min_lr": 0.0,
    "save_best_only": True,
}
MONITORS = ("val_loss", "val_accuracy", "loss", "accuracy")
MODES = ("auto", "min", "max")
MIN_LRS = (0.0, 1e-6, 1e-5, 1e-4, 3e-4, 1e-3)
LANGUAGES = (("한국어", "ko"), ("English", "en"))
_BASELINE_VALUE = 0.2  # what the baseline box holds until the learner types a value

# Settings the sentences and labels name, in the order a label lists them.
_SETTING_CONTROLS = tuple(k for k in CONTROLS if k in DEFAULTS)

_SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider, widgets.SelectionSlider)
# the longest label ("검사 시작 에포크(start_from_epoch)"), a usable track and the readout
_SLIDER_WIDTH = "34em"

#: One lock for every playground of the kernel: a retrain's thread and the notebook's own
#: thread never update widgets or draw (matplotlib is not thread-safe) at the same time.
_UI_LOCK = threading.RLock()
_ERROR_CHARS = 300  # a status line shows at most this much of an error message
_WAIT_STEP_S = 0.25  # wait() waits in short steps, so an interrupt reaches it on every OS


@dataclasses.dataclass
class _Retrain:
    """One press of Retrain: what it trains with, its stop flag, its thread, how it ended."""

    owner: Playground
    index: int
    settings: dict
    setup: dict
    epochs: int
    folder: str
    stop: threading.Event = dataclasses.field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    detached: bool = False  # superseded or closed: its thread writes into no widget any more
    ended: threading.Event = dataclasses.field(default_factory=threading.Event)

    @property
    def done(self) -> bool:
        """Its thread has written its last word (or never started)."""
        return self.ended.is_set()


#: The last retrain started in this kernel, over all playgrounds (``done`` once it ended).
_active: _Retrain | None = None
# Compiled models that retrains reuse, by (model name, learning rate): a retrain resets one
# instead of building, compiling and tracing a new model (benchmarks/RESULTS.md: a loop of
# retrains 1.7-1.9x as fast on TensorFlow, 1.8-2.7x on JAX). Only one retrain runs at a time
# in a kernel (_active), so no two threads ever train one of them at once.
_RETRAINERS: dict[tuple[str, float], Retrainer] = {}


# ---------------------------------------------------------------------- plain functions
def checkpoint_path(folder: str | os.PathLike, monitor: str) -> str:
    """``ckpt/{epoch:02d}-{val_loss:.2f}.keras``: one file per save, named by epoch and value."""
    return os.path.join(os.fspath(folder), "{epoch:02d}-{" + monitor + ":.2f}.keras")


def build_callbacks(
    settings: Mapping[str, object],
    callbacks: Sequence[str] = CALLBACKS,
    *,
    folder: str | os.PathLike = "ckpt",
    write: bool = False,
) -> list[keras.callbacks.Callback]:
    """Fresh cbteach callbacks (named in ``callbacks``) built from playground ``settings``.

    Missing settings take :data:`DEFAULTS`. All callbacks share one monitor, one mode and
    one :class:`~cbteach.events.EventLog`. ModelCheckpoint saves under ``folder``; with
    ``write=False`` (a replay) it names files without writing them.
    """
    s = {**DEFAULTS, **settings}
    log = EventLog()
    shared = {"monitor": str(s["monitor"]), "mode": str(s["mode"]), "log": log}
    built: list[keras.callbacks.Callback] = []
    for name in callbacks:
        if name == "ModelCheckpoint":
            built.append(
                ModelCheckpoint(
                    checkpoint_path(folder, shared["monitor"]),
                    save_best_only=bool(s["save_best_only"]),
                    write=write,
                    **shared,
                )
            )
        elif name == "ReduceLROnPlateau":
            built.append(
                ReduceLROnPlateau(
                    patience=int(s["rlr_patience"]),
                    factor=float(s["factor"]),
                    cooldown=int(s["cooldown"]),
                    min_delta=float(s["rlr_min_delta"]),
                    min_lr=float(s["min_lr"]),
                    **shared,
                )
            )
        elif name == "EarlyStopping":
            baseline = s["baseline"]
            built.append(
                EarlyStopping(
                    patience=int(s["es_patience"]),
                    min_delta=float(s["es_min_delta"]),
                    restore_best_weights=bool(s["restore_best_weights"]),
                    start_from_epoch=int(s["start_from_epoch"]),
                    baseline=None if baseline is None else float(baseline),
                    **shared,
                )
            )
        else:
            raise ValueError(
                i18n.t("widgets.error_unknown_callback", name=name, valid=", ".join(CALLBACKS))
            )
    return built


def check_callbacks(callbacks: Iterable[str], lang: str | None = None) -> tuple[str, ...]:
    """The callback names, checked; a name cbteach does not know raises ValueError."""
    names = tuple(callbacks)
    for name in names:
        if name not in CALLBACKS:
            raise ValueError(
                i18n.t(
                    "widgets.error_unknown_callback", lang, name=name, valid=", ".join(CALLBACKS)
                )
            )
    return names


def check_controls(
    controls: Iterable[str] | None, callbacks: Sequence[str], lang: str | None = None
) -> tuple[str, ...]:
    """The controls to show, in their usual order: all that fit ``callbacks`` by default.

    An unknown name, or a control of a callback that is not in ``callbacks``, raises
    ValueError in the learner's language.
    """
    if controls is None:
        return tuple(k for k, owner in CONTROL_OWNERS.items() if owner in (None, *callbacks))
    if isinstance(controls, str):
        controls = (controls,)
    asked = tuple(controls)
    for name in asked:
        if name not in CONTROL_OWNERS:
            raise ValueError(
                i18n.t("widgets.error_unknown_control", lang, name=name, valid=", ".join(CONTROLS))
            )
        owner = CONTROL_OWNERS[name]
        if owner is not None and owner not in callbacks:
            raise ValueError(
                i18n.t(
                    "widgets.error_control_callback",
                    lang,
                    name=name,
                    callback=owner,
                    callbacks=", ".join(callbacks),
                )
            )
    return tuple(k for k in CONTROLS if k in asked)


def explain_error(exc: BaseException, settings: Mapping[str, object], lang: str | None) -> str:
    """A translated sentence for settings Keras or cbteach refused (never a traceback)."""
    text = str(exc)
    if isinstance(exc, ValueError) and "automatically determine" in text:
        return i18n.t("widgets.error_auto_mode", lang, monitor=settings.get("monitor"))
    return i18n.t("widgets.error_settings", lang, error=f"{type(exc).__name__}: {text}")


def short_error(exc: BaseException, limit: int = _ERROR_CHARS) -> str:
    """``KeyError: 'val_auc'``: the error's name and its message, without a stack, on one line.

    TensorFlow puts the Python stack of the failing operation into its messages ("Detected at
    node ... defined at (most recent call last): File ..."); a status line shows none of that,
    only the lines that say what went wrong, cut to ``limit`` characters.
    """
    kept = []
    for line in str(exc).splitlines():
        text = line.strip()
        if not text or line[:1].isspace() or text.startswith("[[") or text.endswith(":"):
            continue  # stack lines are indented; "Graph execution error:" introduces them
        if "(most recent call last)" in text:
            continue
        kept.append(text)
    message = " ".join(" ".join(kept).split())
    brief = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return brief if len(brief) <= limit else brief[: limit - 1].rstrip() + "…"


def describe_settings(settings: Mapping[str, object], names: Iterable[str]) -> str:
    """``es_patience=5, mode=auto``: the named settings, for a label (argument names stay)."""
    parts = []
    for name in names:
        if name in settings:
            value = settings[name]
            parts.append(f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}")
    return ", ".join(parts)


def summary_html(run: Run | None, lang: str | None, error: str | None = None) -> str:
    """The explanation box: the summary sentences as a list, the caveats set apart."""
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


def _figure_png(figure) -> bytes:
    with warnings.catch_warnings():  # constrained layout gives up politely on long labels
        warnings.simplefilter("ignore", UserWarning)
        return figure_png(figure)


class ProgressCallback(keras.callbacks.Callback):
    """Calls ``report(epoch, logs)`` at the end of each epoch (1-based epoch)."""

    def __init__(self, report: Callable[[int, dict], None]) -> None:
        super().__init__()
        self.report = report

    def on_epoch_end(self, epoch, logs=None):
        self.report(epoch + 1, dict(logs or {}))


# ---------------------------------------------------------------------- the widget
class Playground:
    """Sliders and switches for the three callbacks over a recorded run, with Retrain.

    ``runs``: names of shipped recorded runs (default: all of :func:`recorded.names`) or
    :class:`~cbteach.training.Run` objects. ``controls``: the controls to show (default: all
    that belong to ``callbacks``; see :data:`CONTROLS`). ``callbacks``: which of
    ModelCheckpoint, ReduceLROnPlateau, EarlyStopping take part. ``lang``: "ko" or "en"
    (default: the language in use). ``data``, ``epochs``, ``model``: what Retrain trains
    on (default data: ``load_mnist(verbose=False)``, loaded once, at the first Retrain).
    ``settings``: starting values (default :data:`DEFAULTS`). ``checkpoint_dir``: where
    Retrain's checkpoint folders go (default: a new temporary folder per retrain).

    Display it with ``display(playground)``, ``playground.show()`` or as the last line of a
    cell. ``playground.widget`` is the VBox; ``playground.controls`` the shown controls by
    name; ``playground.result`` the run on screen.

    Retrain, as a workshop uses it:

    * **One retrain at a time per kernel.** Pressing Retrain while a retrain runs (here or in
      another playground of the notebook) is *refused*, not restarted: the status line says
      which one runs and what to do (wait, or Cancel). Restarting would throw away the epochs
      already trained and leave two threads fighting over two CPU cores for an epoch.
    * **Sliders during a retrain** replay and redraw as usual; the retrain trains with the
      settings, model and epochs taken when Retrain was pressed. When it ends, its run (the
      finished epochs) joins the run list and is selected; if the settings moved meanwhile,
      the view replays it with the current ones and the status line says so.
    * **Cancel**, or **an interrupt** (the kernel's stop button) while :meth:`wait` blocks, sets
      the stop flag: training ends at the end of the current epoch, the finished epochs are
      kept as a run, and :meth:`wait` raises the KeyboardInterrupt once the thread is gone
      (a second interrupt stops waiting at once; the retrain still stops after its epoch).
      An interrupt only reaches the notebook's own thread, so one in another cell leaves the
      retrain running. No code path trains on the notebook's thread.
    * **An error inside training** (broken data, a setting Keras refuses mid-run, even a
      KeyboardInterrupt raised in the thread) ends the retrain with a translated status line,
      no traceback, the buttons usable and no thread left.
    * :meth:`close` stops the retrain after its current epoch, closes every widget and drops
      the figure. **A new Playground made while an older one's retrain runs** (usually the
      same cell run again, whose old widgets are gone from the page) cancels that retrain; its
      thread finishes the epoch and keeps the run on the older object (``last_retrain``, and
      its run list) but writes into none of the older widgets again, whose status says so.
    """

    def __init__(
        self,
        runs: Sequence[str | Run] | None = None,
        *,
        controls: Iterable[str] | None = None,
        callbacks: Sequence[str] = CALLBACKS,
        lang: str | None = None,
        data=None,
        epochs: int = 20,
        model: str | keras.Model | None = None,
        settings: Mapping[str, object] | None = None,
        checkpoint_dir: str | os.PathLike | None = None,
    ) -> None:
        self.lang = i18n.resolve(lang)
        self.callbacks = check_callbacks(callbacks, self.lang)
        self.shown = check_controls(controls, self.callbacks, self.lang)
        self.data = data
        self.epochs = int(epochs)
        self.model = model
        self.checkpoint_dir = checkpoint_dir
        self.thread: threading.Thread | None = None
        self.result: Run | None = None
        self._refused: tuple[BaseException, dict] | None = None  # settings Keras refused
        self.last_retrain: Run | None = None
        self._data = data
        self._job: _Retrain | None = None
        self._closed = False
        self._lock = _UI_LOCK
        self._quiet = 0
        self._retrains = 0
        self._status: tuple[str, dict] = ("widgets.status_ready", {})
        self._compare_shown = False

        # The runs: key -> Run, with a label made in the current language.
        self.runs: dict[str, Run] = {}
        self._labels: dict[str, Callable[[str], str]] = {}
        self._titles: dict[str, Callable[[str], str]] = {}
        self._suggested: dict[str, str] = {}
        self._trained_with: dict[str, dict] = {}
        self._replayers: dict[str, Replayer] = {}
        self.pinned: dict[str, Run] = {}
        for item in recorded.names() if runs is None else runs:
            self._add_given(item)
        if not self.runs:
            raise ValueError(i18n.t("widgets.error_no_runs", self.lang))

        start = {**DEFAULTS, **(settings or {})}
        first = next(iter(self.runs))
        if not settings or "monitor" not in settings:
            start["monitor"] = self._suggested.get(first, start["monitor"])
        self._make_widgets(start, first)
        # Built once, from the first result: an empty Timeline would fix its y axis at 0..1.
        self.timeline: Timeline | None = None
        self._layout()
        self._relabel()
        self._connect()
        self.refresh()
        _supersede(self)

    # ------------------------------------------------------------------ runs
    def _add_given(self, item: str | Run) -> None:
        if isinstance(item, Run):
            run, index = item, len(self.runs) + 1
            key = f"run-{index}"
            name = run.name

            def label(lang: str, run=run, index=index) -> str:
                if run.name:
                    return i18n.t("widgets.run_given", lang, name=run.name, epochs=run.epochs)
                return i18n.t("widgets.run_unnamed", lang, index=index)

            self._titles[key] = (lambda lang, name=name: name) if name else label
        else:
            name = str(item)
            if name not in recorded.names():
                raise ValueError(
                    i18n.t(
                        "widgets.error_unknown_run",
                        self.lang,
                        name=name,
                        valid=", ".join(recorded.names()),
                    )
                )
            run, key = recorded.load(name), name

            def label(lang: str, run=run) -> str:
                return i18n.t(
                    "widgets.run_recorded",
                    lang,
                    name=run.name,
                    epochs=run.epochs,
                    model=run.config.get("model", "?"),
                )

            self._titles[key] = lambda lang, name=name: name
        self.runs[key] = run
        self._labels[key] = label
        suggested = run.config.get("suggested_monitor")
        if suggested:
            self._suggested[key] = suggested

    def _run_options(self) -> list[tuple[str, str]]:
        return [(self._labels[k](self.lang), k) for k in self.runs]

    def _compare_options(self) -> list[tuple[str, str]]:
        return [*self._run_options(), *((k, k) for k in self.pinned)]

    def _monitor_options(self, key: str) -> list[str]:
        extra = [k for k in self.runs[key].history if k not in MONITORS and k != "learning_rate"]
        return [*MONITORS, *extra]

    # ------------------------------------------------------------------ building, once
    def _make_widgets(self, s: Mapping[str, object], first: str) -> None:
        wide = {"description_width": "initial"}
        slider = {"continuous_update": False, "style": wide}
        w: dict[str, widgets.Widget] = {}
        w["run"] = widgets.Dropdown(options=self._run_options(), value=first, style=wide)
        monitors = self._monitor_options(first)
        monitor = s["monitor"] if s["monitor"] in monitors else monitors[0]
        w["monitor"] = widgets.Dropdown(options=monitors, value=monitor, style=wide)
        w["mode"] = widgets.Dropdown(options=MODES, value=s["mode"], style=wide)
        w["es_patience"] = widgets.IntSlider(value=s["es_patience"], min=0, max=30, **slider)
        w["es_min_delta"] = widgets.FloatSlider(
            value=s["es_min_delta"], min=0.0, max=0.05, step=0.001, readout_format=".3f", **slider
        )
        box = {"indent": False, "style": wide}  # the whole label shows, not "restore_best…"
        w["restore_best_weights"] = widgets.Checkbox(value=bool(s["restore_best_weights"]), **box)
        w["start_from_epoch"] = widgets.IntSlider(
            value=s["start_from_epoch"], min=0, max=30, **slider
        )
        baseline = s["baseline"]
        w["baseline_on"] = widgets.Checkbox(value=baseline is not None, indent=False)
        w["baseline_value"] = widgets.FloatText(
            value=_BASELINE_VALUE if baseline is None else float(baseline),
            step=0.01,
            disabled=baseline is None,
            style=wide,
            layout=widgets.Layout(width="14em"),
        )
        w["baseline"] = widgets.HBox([w["baseline_on"], w["baseline_value"]])
        w["rlr_patience"] = widgets.IntSlider(value=s["rlr_patience"], min=0, max=30, **slider)
        w["factor"] = widgets.FloatLogSlider(
            value=s["factor"],
            base=10,
            min=-2,
            max=math.log10(0.9),
            step=0.01,
            readout_format=".2f",
            **slider,
        )
        w["cooldown"] = widgets.IntSlider(value=s["cooldown"], min=0, max=10, **slider)
        w["rlr_min_delta"] = widgets.FloatSlider(
            value=s["rlr_min_delta"],
            min=0.0,
            max=0.05,
            step=0.0005,
            readout_format=".4f",
            **slider,
        )
        min_lrs = sorted({*MIN_LRS, float(s["min_lr"])})
        w["min_lr"] = widgets.SelectionSlider(
            options=[(f"{x:g}", x) for x in min_lrs], value=float(s["min_lr"]), **slider
        )
        w["save_best_only"] = widgets.Checkbox(value=bool(s["save_best_only"]), **box)
        w["language"] = widgets.ToggleButtons(options=LANGUAGES, value=self.lang)
        w["retrain_button"] = widgets.Button(button_style="primary", icon="play")
        w["cancel_button"] = widgets.Button(button_style="warning", icon="stop", disabled=True)
        w["progress"] = widgets.IntProgress(value=0, min=0, max=max(self.epochs, 1))
        w["retrain"] = widgets.HBox([w["retrain_button"], w["cancel_button"], w["progress"]])
        w["compare_runs"] = widgets.SelectMultiple(
            options=self._compare_options(), rows=5, style=wide
        )
        w["pin_button"] = widgets.Button(icon="thumb-tack")
        w["compare_button"] = widgets.Button(icon="bar-chart")
        w["compare_image"] = widgets.Image(
            format="png", layout=widgets.Layout(display="none", max_width="1100px")
        )
        w["compare"] = widgets.VBox(
            [
                widgets.HBox(
                    [w["compare_runs"], widgets.VBox([w["pin_button"], w["compare_button"]])]
                ),
                w["compare_image"],
            ]
        )
        w["image"] = widgets.Image(format="png", layout=widgets.Layout(max_width="1100px"))
        w["summary"] = widgets.HTML()
        w["status"] = widgets.Label()
        for widget in w.values():  # a long label must not squeeze the track to nothing
            if isinstance(widget, _SLIDERS):
                widget.layout.width = _SLIDER_WIDTH
        self.w = w

    def _layout(self) -> None:
        w, shown = self.w, self.shown
        self.controls = {name: w[name] for name in shown}
        self._headings: dict[str, widgets.HTML] = {}
        top = [w[k] for k in ("run", "language") if k in shown]
        groups = []
        for group in (None, *self.callbacks):
            members = [w[k] for k in shown if CONTROL_OWNERS[k] == group and k in _SETTING_CONTROLS]
            if members:
                heading = widgets.HTML()
                self._headings[group or "shared"] = heading
                box = widgets.VBox([heading, *members], layout=widgets.Layout(margin="0 1.5em 0 0"))
                groups.append(box)
        rows: list[widgets.Widget] = []
        if top:
            rows.append(widgets.HBox(top))
        if groups:
            rows.append(widgets.HBox(groups, layout=widgets.Layout(flex_flow="row wrap")))
        if "retrain" in shown:
            rows.append(w["retrain"])
        rows += [w["status"], w["image"], w["summary"]]
        if "compare" in shown:
            rows.append(w["compare"])
        self.widget = widgets.VBox(rows)

    def _connect(self) -> None:
        w = self.w
        for name in _SETTING_CONTROLS:
            if name != "baseline":  # a checkbox and a number box, observed below
                w[name].observe(self._on_setting, names="value")
        w["baseline_on"].observe(self._on_baseline_switch, names="value")
        w["baseline_value"].observe(self._on_setting, names="value")
        w["run"].observe(self._on_run, names="value")
        w["language"].observe(self._on_language, names="value")
        w["retrain_button"].on_click(self._on_retrain)
        w["cancel_button"].on_click(self._on_cancel)
        w["compare_button"].on_click(self._on_compare)
        w["pin_button"].on_click(self._on_pin)

    # ------------------------------------------------------------------ language
    def _t(self, key: str, **values: object) -> str:
        return i18n.t(f"widgets.{key}", self.lang, **values)

    def _relabel(self) -> None:
        """Every description, tooltip and option label in ``self.lang``."""
        w = self.w
        for name in (*_SETTING_CONTROLS, "run", "language"):
            if name == "baseline":
                w["baseline_on"].description = self._t("baseline")
                w["baseline_on"].tooltip = self._t("baseline_tip")
                w["baseline_value"].description = self._t("baseline_value")
                w["baseline_value"].tooltip = self._t("baseline_tip")
                continue
            w[name].description = self._t(name)
            w[name].tooltip = self._t(f"{name}_tip")
        for name in ("retrain", "cancel", "pin", "compare"):
            w[f"{name}_button"].description = self._t(name)
            w[f"{name}_button"].tooltip = self._t(f"{name}_tip")
        w["progress"].description = self._t("progress")
        w["compare_runs"].description = self._t("compare_runs")
        w["compare_runs"].tooltip = self._t("compare_runs_tip")
        for group, heading in self._headings.items():
            text = self._t("group_shared") if group == "shared" else group
            heading.value = f"<b>{html.escape(text)}</b>"
        with self._held():
            value = w["run"].value
            w["run"].options = self._run_options()
            w["run"].value = value
            chosen = w["compare_runs"].value
            w["compare_runs"].options = self._compare_options()
            w["compare_runs"].value = tuple(c for c in chosen if c in self.runs or c in self.pinned)
        self._show_status()

    def set_language(self, lang: str) -> None:
        """Switch every label, the explanation and the plots to ``lang`` ("ko" or "en")."""
        with self._lock:
            self.lang = i18n.resolve(lang)
            if self._closed:
                return
            with self._held():
                self.w["language"].value = self.lang
            self._relabel()
            if self.timeline is not None:
                self.timeline.set_language(self.lang)
                self.w["image"].value = self.timeline.to_png()
            self.w["summary"].value = summary_html(self.result, self.lang, self.error)
            if self._compare_shown:
                self._draw_compare()

    # ------------------------------------------------------------------ settings
    def settings(self) -> dict[str, object]:
        """The current value of every setting (hidden controls keep theirs)."""
        w = self.w
        values = {name: w[name].value for name in _SETTING_CONTROLS if name != "baseline"}
        values["baseline"] = float(w["baseline_value"].value) if w["baseline_on"].value else None
        return values

    def _replayer(self, key: str) -> Replayer:
        """One :class:`~cbteach.replay.Replayer` per run: it remembers each callback's replay."""
        if key not in self._replayers:
            self._replayers[key] = Replayer(self.runs[key])
        return self._replayers[key]

    def _key(self) -> str:
        return self.w["run"].value

    def _title(self, key: str) -> str:
        return self._titles[key](self.lang)

    def refresh(self) -> Run | None:
        """Replay the chosen run with the current settings and redraw (what every control does).

        None when the settings were refused, or the playground is closed.
        """
        with self._lock:
            if self._closed:
                return None
            key = self._key()
            settings = self.settings()
            started = time.perf_counter()
            try:
                if self._trained_with.get(key) == settings:
                    result = dataclasses.replace(self.runs[key], name=self._title(key))
                    status = ("status_live", {"name": self._title(key)})
                else:
                    callbacks = build_callbacks(settings, self.callbacks, write=False)
                    result = self._replayer(key).replay(callbacks, name=self._title(key))
                    status = ("status_replayed", {"name": self._title(key)})
            except Exception as exc:  # noqa: BLE001 - any refusal becomes a sentence, not a traceback
                self._refuse(exc, settings)
                self.w["summary"].value = summary_html(None, self.lang, self.error)
                return None
            self._refused = None
            self.result = result
            if self.timeline is None:
                self.timeline = Timeline(result, lang=self.lang)
            else:
                self.timeline.update(result, self.lang)
            self.w["image"].value = self.timeline.to_png()
            self.w["summary"].value = summary_html(result, self.lang)
            ms = round(1000 * (time.perf_counter() - started))
            self._set_status(status[0], ms=ms, **status[1])
            return result

    def _on_setting(self, change=None) -> None:
        if not self._quiet:
            self.refresh()

    def _on_baseline_switch(self, change) -> None:
        self.w["baseline_value"].disabled = not change["new"]
        self._on_setting(change)

    def _on_run(self, change) -> None:
        if self._quiet:
            return
        with self._lock:
            key = change["new"]
            monitors = self._monitor_options(key)
            wanted = self._suggested.get(key, self.w["monitor"].value)
            with self._held():
                self.w["monitor"].options = monitors
                self.w["monitor"].value = wanted if wanted in monitors else monitors[0]
            self.refresh()

    def _on_language(self, change) -> None:
        if not self._quiet:
            self.set_language(change["new"])

    # ------------------------------------------------------------------ status
    @property
    def error(self) -> str | None:
        """Why the current settings were refused, in the current language (None if they work)."""
        if self._refused is None:
            return None
        return explain_error(*self._refused, self.lang)

    def _refuse(self, exc: BaseException, settings: Mapping[str, object]) -> None:
        self._refused = (exc, dict(settings))
        self._set_status("status_error", error=self.error)

    def _set_status(self, key: str, **values: object) -> None:
        self._status = (f"widgets.{key}", values)
        self._show_status()

    def _show_status(self) -> None:
        key, values = self._status
        if key == "widgets.status_error" and self.error is not None:
            values = {**values, "error": self.error}  # in the language now in use
        self.w["status"].value = i18n.t(key, self.lang, **values)

    @contextmanager
    def _held(self) -> Iterator[None]:
        """While held, value changes made by the playground itself trigger no replay."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    # ------------------------------------------------------------------ retrain
    def _training_setup(self) -> dict:
        """How Retrain trains: as the selected run was trained, unless ``model`` was given.

        A replay of the "overfit" run shows an MLP at learning rate 3e-3 and batch 32; the
        real run that Retrain makes must be trained the same way to be comparable.
        """
        selected = self.runs.get(self.w["run"].value)
        config = selected.config if selected is not None else {}
        setup = {
            "model": config.get("model") or "cnn",
            "learning_rate": config.get("learning_rate") or 1e-3,
            "batch_size": config.get("batch_size") or 128,
        }
        if self.model is not None:
            setup["model"] = self.model
        return setup

    @property
    def busy(self) -> bool:
        """True while a retrain of this playground runs.

        Not ``thread.is_alive()``: on Python 3.11 a ``join`` that an interrupt breaks off marks
        the still running thread as stopped (bpo-45274), and ``is_alive()`` says False.
        """
        return self._job is not None and not self._job.done

    def _retrain_label(self, index: int, settings: Mapping[str, object]) -> Callable[[str], str]:
        if "EarlyStopping" in self.callbacks:
            patience = settings["es_patience"]
        elif "ReduceLROnPlateau" in self.callbacks:
            patience = settings["rlr_patience"]
        else:
            return lambda lang: i18n.t("widgets.retrain_label_plain", lang, index=index)
        return lambda lang: i18n.t("widgets.retrain_label", lang, index=index, patience=patience)

    def _attached(self, job: _Retrain) -> bool:
        """May ``job``'s thread still write into this playground's widgets?"""
        return self._job is job and not job.detached and not self._closed

    def _busy_status(self) -> tuple[str, dict] | None:
        """Why Retrain cannot start now (a status key and its values), or None if it can."""
        job = _active
        if job is None or job.done:
            return None
        if job.stop.is_set() or job.detached:
            return "status_busy_stopping", {}
        if job.owner is self:
            return "status_busy", {"index": job.index}
        return "status_busy_other", {}

    def _on_retrain(self, _button=None) -> None:
        with self._lock:
            if self._closed:
                return
            busy = self._busy_status()
            if busy is not None:  # one retrain at a time: refused, the running one goes on
                self._set_status(busy[0], **busy[1])
                return
            if self._refused is not None:  # Keras refused these settings already: say so again
                self._set_status("status_error")
                return
            if _active is not None:  # done: let its thread return, one thread at a time
                _let_return(_active)
            job = self._new_job()
            if job is not None:
                self._start(job)

    def _new_job(self) -> _Retrain | None:
        """The next retrain, with the settings, model and epochs of this moment."""
        settings = self.settings()
        if self.checkpoint_dir is not None:
            os.makedirs(self.checkpoint_dir, exist_ok=True)
        folder = tempfile.mkdtemp(prefix="cbteach-retrain-", dir=self.checkpoint_dir)
        try:
            callbacks = build_callbacks(settings, self.callbacks, folder=folder, write=True)
        except Exception as exc:  # noqa: BLE001 - shown as a sentence
            self._refuse(exc, settings)
            return None
        self._retrains += 1
        job = _Retrain(self, self._retrains, settings, self._training_setup(), self.epochs, folder)
        job.thread = threading.Thread(
            target=self._train,
            args=(job, callbacks),
            name=f"cbteach-retrain-{job.index}",
            daemon=True,
        )
        return job

    def _start(self, job: _Retrain) -> None:
        global _active
        w = self.w
        try:
            _active, self._job, self.thread = job, job, job.thread
            w["retrain_button"].disabled = True
            w["cancel_button"].disabled = False
            w["progress"].max = max(job.epochs, 1)
            w["progress"].value = 0
            self._set_status(
                "status_training", index=job.index, model=_model_name(job), epochs=job.epochs
            )
            job.thread.start()
        except BaseException:  # an interrupt before the thread runs: nothing may stay half set
            job.stop.set()  # should it run after all, it stops after one epoch, unheard
            if job.thread.ident is not None:
                raise  # it did start: the stop flag ends it, and its end frees the buttons
            job.detached = True
            job.ended.set()
            w["retrain_button"].disabled = False
            w["cancel_button"].disabled = True
            self._set_status("status_ready")
            raise

    def _post(self, job: _Retrain, key: str, **values: object) -> None:
        """A status line from ``job``'s thread, unless the playground no longer listens to it."""
        with self._lock:
            if self._attached(job):
                self._set_status(key, **values)

    def _report(self, job: _Retrain, epoch: int, logs: dict) -> None:
        """The end of one epoch, from the training thread: the progress bar and the status."""
        with self._lock:
            if not self._attached(job):
                return
            self.w["progress"].value = epoch
            if job.stop.is_set():  # "stops at the end of this epoch" stays on screen
                return
            value = logs.get(job.settings["monitor"])
            self._set_status(
                "status_epoch",
                index=job.index,
                epoch=epoch,
                epochs=job.epochs,
                monitor=job.settings["monitor"],
                value="—" if value is None else f"{value:.4f}",
            )

    def _train(self, job: _Retrain, callbacks: list[keras.callbacks.Callback]) -> None:
        """The training thread: train, keep the run, and always leave the buttons usable."""
        from cbteach import training  # looked up at call time: tests stand in for train
        from cbteach.data import load_mnist

        started = time.perf_counter()
        try:
            if self._data is None:
                self._post(job, "status_loading_data")
                self._data = load_mnist(verbose=False)
            self._post(
                job, "status_training", index=job.index, model=_model_name(job), epochs=job.epochs
            )
            setup = dict(job.setup)
            if isinstance(setup["model"], str):  # a name: the shared, reset model
                fit = _retrainer(setup.pop("model"), setup.pop("learning_rate")).train
            else:  # a model the learner compiled: trained on from its current weights
                fit = training.train
            run = fit(
                callbacks,
                data=self._data,
                epochs=job.epochs,
                **setup,
                stop=job.stop,
                extra_callbacks=[ProgressCallback(lambda e, logs: self._report(job, e, logs))],
            )
        except BaseException as exc:  # noqa: BLE001 - even an interrupt here ends only the retrain
            with self._lock:
                try:
                    self._post(job, "status_failed_retry", index=job.index, error=short_error(exc))
                finally:
                    self._end(job)
            return
        with self._lock:
            try:
                self._finish(job, run, time.perf_counter() - started)
            except BaseException as exc:  # noqa: BLE001 - the run is kept; only drawing it failed
                self._post(job, "status_draw_failed", index=job.index, error=short_error(exc))
            finally:
                self._end(job)

    def _finish(self, job: _Retrain, run: Run, seconds: float) -> None:
        """Keep the run (always), then show it (only where the playground still listens)."""
        key = f"retrain-{job.index}"
        label = self._retrain_label(job.index, job.settings)
        run.name = label(self.lang)
        self.runs[key] = run
        self._labels[key] = label
        self._titles[key] = label
        self._suggested[key] = str(job.settings["monitor"])
        self._trained_with[key] = dict(job.settings)
        self.last_retrain = run
        if not self._attached(job):
            return
        self._relabel()
        self.w["run"].value = key  # shows it: the real run, as trained
        moved = self.settings() != job.settings
        self._set_status(
            "status_finished_replayed" if moved else "status_finished",
            index=job.index,
            epochs=run.epochs,
            planned=job.epochs,
            device=run.device.get("name", "?"),
            seconds=f"{seconds:.0f}",
            folder=str(job.folder),
        )

    def _end(self, job: _Retrain) -> None:
        """The thread's last word: give the buttons back, free the kernel's retrain slot."""
        try:
            if self._attached(job):
                self.w["retrain_button"].disabled = False
                self.w["cancel_button"].disabled = True
        finally:
            job.ended.set()

    def _cancel(self, key: str) -> bool:
        """Ask the running retrain to stop after its current epoch; False when none runs."""
        with self._lock:
            job = self._job
            if job is None or job.done:
                return False
            job.stop.set()
            if self._attached(job):
                self.w["cancel_button"].disabled = True
                self._set_status(key, index=job.index)
            return True

    def _on_cancel(self, _button=None) -> None:
        self._cancel("status_cancelling")

    def _supersede(self, job: _Retrain) -> None:
        """A newer playground was made: cancel ``job`` and stop listening to its thread."""
        with self._lock:
            job.stop.set()
            if self._attached(job):
                self._set_status("status_superseded", index=job.index)
                self.w["retrain_button"].disabled = False
                self.w["cancel_button"].disabled = True
            job.detached = True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the retrain in progress (if any) ends; True when none is left running.

        An interrupt (KeyboardInterrupt) while waiting cancels the retrain: it waits for the
        end of the current epoch, keeps the finished epochs as a run, then raises the
        KeyboardInterrupt. A second interrupt stops waiting at once (training still stops
        after its epoch, in the background).
        """
        job = self._job
        if job is None:
            return True
        try:
            _wait_for(job, timeout)
        except KeyboardInterrupt:
            self._cancel("status_interrupted")
            try:
                _wait_for(job, timeout)
            except KeyboardInterrupt:
                pass  # asked twice: give the notebook back now; the flag still stops training
            raise
        return not self.busy

    def close(self, timeout: float | None = 60.0) -> bool:
        """Stop the retrain after its current epoch, close every widget, release the figure.

        The widgets vanish from the page; the runs (``runs``, ``last_retrain``) stay readable.
        The retrain's thread writes into no widget after this. Waits up to ``timeout`` seconds
        (None: as long as it takes) for the thread to end; True when none is left running.
        """
        with self._lock:
            job = self._job
            if job is not None and not job.done:
                job.stop.set()
            if not self._closed:
                self._closed = True
                for widget in _widget_tree([self.widget, *self.w.values()]):
                    widget.close()
                self.timeline = None  # its figure goes with it (pyplot never held it)
                self._replayers.clear()  # each holds a small Keras model
        if job is not None:
            _wait_for(job, timeout)
        return not self.busy

    # ------------------------------------------------------------------ compare
    def _on_pin(self, _button=None) -> None:
        with self._lock:
            if self.result is None:
                return
            key = self._key()
            settings = self.settings()
            usual = {**DEFAULTS, "monitor": self._suggested.get(key, DEFAULTS["monitor"])}
            changed = [k for k in _SETTING_CONTROLS if settings[k] != usual[k]]
            brief = describe_settings(settings, changed) or self._t("defaults")
            label = f"{self._title(key)} · {brief}"
            self.pinned[label] = dataclasses.replace(self.result, name=label)
            chosen = self.w["compare_runs"].value
            self._relabel()
            with self._held():
                self.w["compare_runs"].value = (*[c for c in chosen if c != label], label)
            self._set_status("status_pinned", label=label)

    def _compare_run(self, key: str) -> Run:
        """A pinned run as it was; a listed run replayed with the current settings."""
        if key in self.pinned:
            return self.pinned[key]
        settings = self.settings()
        if self._trained_with.get(key) == settings:
            return self.runs[key]
        callbacks = build_callbacks(settings, self.callbacks, write=False)
        return self._replayer(key).replay(callbacks)

    def _compare_label(self, key: str) -> str:
        return key if key in self.pinned else self._labels[key](self.lang)

    def _draw_compare(self) -> bool:
        keys = list(self.w["compare_runs"].value)
        if not keys:
            self._set_status("status_compare_empty")
            return False
        try:
            runs = [self._compare_run(k) for k in keys]
        except Exception as exc:  # noqa: BLE001 - shown as a sentence
            self._refuse(exc, self.settings())
            return False
        figure = plot_compare(
            runs,
            [self._compare_label(k) for k in keys],
            lang=self.lang,
            metric=str(self.w["monitor"].value),
        )
        self.w["compare_image"].value = _figure_png(figure)
        self.w["compare_image"].layout.display = None
        self._compare_shown = True
        self._set_status("status_compared", count=len(keys))
        return True

    def _on_compare(self, _button=None) -> None:
        with self._lock:
            self._draw_compare()

    # ------------------------------------------------------------------ display
    def _repr_mimebundle_(self, **kwargs):
        if self._closed:
            return {"text/plain": i18n.t("widgets.closed", self.lang)}
        return self.widget._repr_mimebundle_(**kwargs)

    def show(self) -> None:
        """Display the playground in the notebook."""
        from IPython.display import display

        display(self.widget)


# ---------------------------------------------------------------------- the kernel's retrain
def _retrainer(model: str, learning_rate: float) -> Retrainer:
    """The kernel's shared :class:`Retrainer` of a model name and learning rate."""
    key = (model, float(learning_rate))
    if key not in _RETRAINERS:
        _RETRAINERS[key] = Retrainer(model, learning_rate=learning_rate)
    return _RETRAINERS[key]


def _model_name(job: _Retrain) -> str:
    model = job.setup["model"]
    return str(getattr(model, "name", model))


def _wait_for(job: _Retrain, timeout: float | None) -> None:
    """Wait up to ``timeout`` seconds (None: no limit) for ``job``'s thread to end.

    It waits on the job's own Event, in short steps, so that an interrupt reaches the caller
    at once and leaves the thread alone: on Python 3.11 an interrupted ``Thread.join`` marks
    the still running thread as stopped (bpo-45274).
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while not job.ended.is_set():
        step = _WAIT_STEP_S if deadline is None else min(_WAIT_STEP_S, deadline - time.monotonic())
        if step <= 0:
            return
        job.ended.wait(step)
    _let_return(job)


def _let_return(job: _Retrain) -> None:
    """``job`` has ended: its thread is past its last word; let it return (a moment)."""
    if job.thread is not None and job.thread.ident is not None:  # never started: nothing to do
        job.thread.join(timeout=10)


def _widget_tree(roots: Iterable[widgets.Widget]) -> list[widgets.Widget]:
    """Every widget inside ``roots``, the roots included, each once."""
    found: dict[int, widgets.Widget] = {}
    todo = list(roots)
    while todo:
        widget = todo.pop()
        if id(widget) not in found:
            found[id(widget)] = widget
            todo += list(getattr(widget, "children", ()))
    return list(found.values())


def _supersede(newcomer: Playground) -> None:
    """A playground was made: the retrain of an older one (if any runs) is cancelled.

    Usually the learner ran the same cell again: the older widgets are gone from the page,
    with the Cancel button that could stop it. See :class:`Playground`.
    """
    with _UI_LOCK:
        job = _active
        if job is not None and not job.done and job.owner is not newcomer:
            job.owner._supersede(job)
