"""A JupyterLab playground: move a slider, see what the real callbacks would do, instantly.

>>> from cbteach.widgets import Playground                        # doctest: +SKIP
>>> Playground()                                                 # doctest: +SKIP
>>> Playground(controls=("es_patience", "mode"), callbacks=("EarlyStopping",))  # doctest: +SKIP

Every change of a control builds fresh cbteach callbacks from the settings
(:func:`cbteach.playground.build_callbacks`), replays the chosen recorded run through them
(:class:`cbteach.playground.RunList`), moves the one :class:`~cbteach.timeline.Timeline`
and rewrites the explanation (:func:`cbteach.summary.to_html`). Retrain trains a real model
with the same settings in a background thread (:mod:`cbteach.retrain`); the new run joins
the run list, where it can be replayed and compared like the recorded ones.

This module is the view: it only wires widgets to those two modules, which hold the logic
and need no ipywidgets.

What a room of learners does to it, and what happens (see :class:`Playground` for the rules):
a second Retrain press while one trains is refused with a status line; sliders keep replaying
while it trains; an interrupt (the kernel's stop button) during :meth:`Playground.wait` cancels
the retrain at the end of the current epoch and keeps the finished epochs; an error inside
training becomes a status line; :meth:`Playground.close` stops training and releases widgets
and figure; a new Playground made while an older one trains (a cell run again) cancels the
older one's retrain, whose thread then writes into none of the older widgets.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import ipywidgets as widgets
import keras

from cbteach import controls as ui
from cbteach import i18n, recorded
from cbteach.figures import figure_png
from cbteach.playground import (
    CALLBACKS,
    CONTROLS,
    DEFAULTS,
    SETTING_CONTROLS,
    RunList,
    build_callbacks,
    check_callbacks,
    check_controls,
    explain_error,
    retrain_label,
)
from cbteach.plots import plot_compare
from cbteach.retrain import LOCK, RetrainJob, RetrainSlot, short_error, supersede, wait_for
from cbteach.run import Run
from cbteach.summary import to_html
from cbteach.timeline import Timeline

__all__ = [
    "CALLBACKS",
    "CONTROLS",
    "DEFAULTS",
    "Playground",
    "build_callbacks",
    "check_callbacks",
    "check_controls",
    "explain_error",
    "short_error",
]


class Playground:
    """Sliders and switches for the three callbacks over a recorded run, with Retrain.

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

    Args:
        runs: names of shipped recorded runs, or :class:`~cbteach.run.Run` objects.
            Defaults to all of :func:`cbteach.recorded.names`.
        controls: the controls to show (see :data:`CONTROLS`). Defaults to all that belong
            to ``callbacks``.
        callbacks: which of ModelCheckpoint, ReduceLROnPlateau, EarlyStopping take part.
            Defaults to all three.
        lang: ``"ko"`` or ``"en"``. Defaults to the language in use.
        data: what Retrain trains on. Defaults to ``load_mnist(verbose=False)``, loaded once,
            at the first Retrain.
        epochs: the epochs Retrain trains. Defaults to 20.
        model: the model Retrain trains: a name (``"mlp"``) or a compiled Keras model.
            Defaults to the model the chosen run was trained with.
        settings: starting values by control name. Defaults to :data:`DEFAULTS`.
        checkpoint_dir: where Retrain's checkpoint folders go. Defaults to a new temporary
            folder per retrain.

    Example:

    >>> pg = Playground(["overfit"], controls=["es_patience"], callbacks=["EarlyStopping"])
    >>> pg.controls["es_patience"].value = 10  # the view replays: training stops later
    >>> pg.result.stopped_epoch
    17
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
        self.result: Run | None = None
        self.last_retrain: Run | None = None
        self._refused: tuple[BaseException, dict] | None = None  # settings Keras refused
        self._closed = False
        self._lock = LOCK
        self._quiet = 0
        self._status: tuple[str, dict] = ("widgets.status_ready", {})
        self._compare_shown = False
        self.run_list = RunList(recorded.names() if runs is None else runs, self.lang)
        self.slot = RetrainSlot(self, data, checkpoint_dir)

        start = {**DEFAULTS, **(settings or {})}
        first = next(iter(self.run_list.entries))
        if not settings or "monitor" not in settings:
            start["monitor"] = self.run_list.suggested(first, str(start["monitor"]))
        runs_shown = self.run_list.options(self.lang)
        monitors = self.run_list.monitors(first)
        compare = self.run_list.compare_options(self.lang)
        self.w: dict[str, widgets.Widget] = {
            **ui.setting_widgets(start, runs_shown, first, monitors),
            **ui.action_widgets(self.lang, self.epochs, compare),
        }
        ui.fit_sliders(self.w)
        self.controls = {name: self.w[name] for name in self.shown}
        self.widget, self._headings = ui.layout(self.w, self.shown, self.callbacks)
        # Built once, from the first result: an empty Timeline would fix its y axis at 0..1.
        self.timeline: Timeline | None = None
        self._relabel()
        self._connect()
        self.refresh()
        supersede(self)

    # ------------------------------------------------------------------ runs
    @property
    def runs(self) -> dict[str, Run]:
        """Every run of the list by key: recorded (by name), given (``run-1``), ``retrain-1``."""
        return self.run_list.runs

    @property
    def pinned(self) -> dict[str, Run]:
        """The runs kept to compare, by their label."""
        return self.run_list.pinned

    def _connect(self) -> None:
        w = self.w
        for name in SETTING_CONTROLS:
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
    def _relabel(self) -> None:
        """Every description, tooltip and option label in ``self.lang``."""
        w = self.w
        ui.relabel(w, self._headings, self.lang)
        with self._held():
            value = w["run"].value
            w["run"].options = self.run_list.options(self.lang)
            w["run"].value = value
            chosen = w["compare_runs"].value
            w["compare_runs"].options = self.run_list.compare_options(self.lang)
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
            self.w["summary"].value = to_html(self.result, self.lang, self.error)
            if self._compare_shown:
                self._draw_compare()

    # ------------------------------------------------------------------ settings
    def settings(self) -> dict[str, object]:
        """The current value of every setting (hidden controls keep theirs)."""
        w = self.w
        values = {name: w[name].value for name in SETTING_CONTROLS if name != "baseline"}
        values["baseline"] = float(w["baseline_value"].value) if w["baseline_on"].value else None
        return values

    def _key(self) -> str:
        return self.w["run"].value

    def refresh(self) -> Run | None:
        """Replay the chosen run with the current settings and redraw (what every control does).

        None when the settings were refused, or the playground is closed.
        """
        with self._lock:
            if self._closed:
                return None
            key, settings = self._key(), self.settings()
            title = self.run_list.title(key, self.lang)
            started = time.perf_counter()
            try:
                result, live = self.run_list.view(key, settings, self.callbacks, name=title)
            except Exception as exc:  # noqa: BLE001 - any refusal becomes a sentence, not a traceback
                self._refuse(exc, settings)
                self.w["summary"].value = to_html(None, self.lang, self.error)
                return None
            self._refused = None
            self.result = result
            if self.timeline is None:
                self.timeline = Timeline(result, lang=self.lang)
            else:
                self.timeline.update(result, self.lang)
            self.w["image"].value = self.timeline.to_png()
            self.w["summary"].value = to_html(result, self.lang)
            ms = round(1000 * (time.perf_counter() - started))
            self._set_status("status_live" if live else "status_replayed", ms=ms, name=title)
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
            monitors = self.run_list.monitors(key)
            wanted = self.run_list.suggested(key, self.w["monitor"].value)
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
        """How Retrain trains now: see :meth:`cbteach.playground.RunList.training_setup`."""
        return self.run_list.training_setup(self.w["run"].value, self.model)

    @property
    def busy(self) -> bool:
        """True while a retrain of this playground runs (see :attr:`RetrainSlot.busy`)."""
        return self.slot.busy

    @property
    def thread(self):
        """The thread of the last retrain started here (None before the first)."""
        return None if self.slot.job is None else self.slot.job.thread

    def _attached(self, job: RetrainJob) -> bool:
        """May ``job``'s thread still write into this playground's widgets?"""
        return self.slot.job is job and not job.detached and not self._closed

    def _on_retrain(self, _button=None) -> None:
        with self._lock:
            if self._closed:
                return
            busy = self.slot.busy_status()
            if busy is not None:  # one retrain at a time: refused, the running one goes on
                self._set_status(busy[0], **busy[1])
                return
            if self._refused is not None:  # Keras refused these settings already: say so again
                self._set_status("status_error")
                return
            settings = self.settings()
            folder = self.slot.new_folder()
            try:
                built = build_callbacks(settings, self.callbacks, folder=folder, write=True)
            except Exception as exc:  # noqa: BLE001 - shown as a sentence
                self._refuse(exc, settings)
                return
            label = retrain_label(self.slot.count + 1, settings, self.callbacks)(self.lang)
            setup = {**self._training_setup(), "name": label}  # the live Timeline's title
            job = self.slot.prepare(settings, setup, self.epochs, folder, built)
            self._start(job)

    def _start(self, job: RetrainJob) -> None:
        w = self.w
        try:
            self.slot.claim(job)
            w["retrain_button"].disabled = True
            w["cancel_button"].disabled = False
            w["progress"].max = max(job.epochs, 1)
            w["progress"].value = 0
            self._set_status(
                "status_training", index=job.index, model=job.model_name, epochs=job.epochs
            )
            job.thread.start()
        except BaseException:  # an interrupt before the thread runs: nothing may stay half set
            if self.slot.abandon(job):
                w["retrain_button"].disabled = False
                w["cancel_button"].disabled = True
                self._set_status("status_ready")
            raise

    def retrain_status(self, job: RetrainJob, key: str, **values: object) -> None:
        """A status line from ``job``'s thread, unless the playground no longer listens to it."""
        with self._lock:
            if self._attached(job):
                self._set_status(key, **values)

    def retrain_progress(self, job: RetrainJob, epoch: int, logs: dict) -> None:
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

    def retrain_frame(self, job: RetrainJob, png: bytes) -> None:
        """A drawing of the live Timeline: shown above the replayed one while it trains."""
        with self._lock:
            if self._attached(job) and not job.done:
                self.w["live_image"].value = png
                self.w["live_image"].layout.display = None

    def retrain_finished(self, job: RetrainJob, run: Run, seconds: float) -> None:
        """Keep the run (always), then show it (only where the playground still listens)."""
        key = self.run_list.add_retrain(job.index, run, job.settings, self.callbacks, self.lang)
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

    def retrain_ended(self, job: RetrainJob) -> None:
        """The thread's last word: give the buttons back; the run is on the main image now."""
        if self._attached(job):
            self.w["live_image"].layout.display = "none"
            self.w["retrain_button"].disabled = False
            self.w["cancel_button"].disabled = True

    def retrain_superseded(self, job: RetrainJob) -> None:
        """A newer playground was made: cancel ``job`` and stop listening to its thread."""
        with self._lock:
            job.stop.set()
            if self._attached(job):
                self._set_status("status_superseded", index=job.index)
                self.w["retrain_button"].disabled = False
                self.w["cancel_button"].disabled = True
            job.detached = True

    def _cancel(self, key: str) -> bool:
        """Ask the running retrain to stop after its current epoch; False when none runs."""
        with self._lock:
            job = self.slot.cancel()
            if job is None:
                return False
            if self._attached(job):
                self.w["cancel_button"].disabled = True
                self._set_status(key, index=job.index)
            return True

    def _on_cancel(self, _button=None) -> None:
        self._cancel("status_cancelling")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the retrain in progress (if any) ends; True when none is left running.

        An interrupt (KeyboardInterrupt) while waiting cancels the retrain: it waits for the
        end of the current epoch, keeps the finished epochs as a run, then raises the
        KeyboardInterrupt. A second interrupt stops waiting at once (training still stops
        after its epoch, in the background).
        """
        return self.slot.wait(timeout, lambda: self._cancel("status_interrupted"))

    def close(self, timeout: float | None = 60.0) -> bool:
        """Stop the retrain after its current epoch, close every widget, release the figure.

        The widgets vanish from the page; the runs (``runs``, ``last_retrain``) stay readable.
        The retrain's thread writes into no widget after this. Waits up to ``timeout`` seconds
        (None: as long as it takes) for the thread to end; True when none is left running.
        """
        with self._lock:
            job = self.slot.job
            self.slot.cancel()
            if not self._closed:
                self._closed = True
                for widget in _widget_tree([self.widget, *self.w.values()]):
                    widget.close()
                self.timeline = None  # its figure goes with it (pyplot never held it)
                self.run_list.clear()
        if job is not None:
            wait_for(job, timeout)
        return not self.busy

    # ------------------------------------------------------------------ compare
    def _on_pin(self, _button=None) -> None:
        with self._lock:
            if self.result is None:
                return
            label = self.run_list.pin(self._key(), self.settings(), self.result, self.lang)
            chosen = self.w["compare_runs"].value
            self._relabel()
            with self._held():
                self.w["compare_runs"].value = (*[c for c in chosen if c != label], label)
            self._set_status("status_pinned", label=label)

    def _draw_compare(self) -> bool:
        keys = list(self.w["compare_runs"].value)
        if not keys:
            self._set_status("status_compare_empty")
            return False
        settings = self.settings()
        try:
            runs = [self.run_list.compare_run(k, settings, self.callbacks) for k in keys]
        except Exception as exc:  # noqa: BLE001 - shown as a sentence
            self._refuse(exc, settings)
            return False
        figure = plot_compare(
            runs,
            [self.run_list.label(k, self.lang) for k in keys],
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
        return ui.view_bundle(self.widget)

    def show(self) -> None:
        """Display the playground in the notebook."""
        from IPython.display import display

        display(self.widget)


def _figure_png(figure) -> bytes:
    with warnings.catch_warnings():  # constrained layout gives up politely on long labels
        warnings.simplefilter("ignore", UserWarning)
        return figure_png(figure)


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
