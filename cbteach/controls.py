"""The Playground's widgets: built from the settings, laid out, labelled in either language.

Plain constructors with no behaviour: :class:`cbteach.widgets.Playground` observes them and
does the rest. Every control is a stock ipywidget, keyed by its name in
:data:`cbteach.playground.CONTROLS` (plus the parts a control is made of, such as
``baseline_on`` and ``retrain_button``).

Example:

>>> w = setting_widgets(DEFAULTS, [("overfit", "overfit")], "overfit", ["val_loss"])
>>> w["es_patience"].value
5
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from cbteach import i18n
from cbteach.playground import (
    BASELINE_VALUE,
    CONTROL_OWNERS,
    DEFAULTS,  # noqa: F401 - named in the example above
    LANGUAGES,
    MIN_LRS,
    MODES,
    SETTING_CONTROLS,
)

__all__ = [
    "action_widgets",
    "layout",
    "relabel",
    "set_tooltip",
    "setting_widgets",
    "view_bundle",
]

_SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider, widgets.SelectionSlider)
# the longest label ("검사 시작 에포크(start_from_epoch)"), a usable track and the readout
_SLIDER_WIDTH = "34em"


def setting_widgets(
    s: Mapping[str, object], runs: list[tuple[str, str]], first: str, monitors: list[str]
) -> dict[str, widgets.Widget]:
    """The run list (``runs``: (label, key) pairs, ``first`` chosen) and one control per setting.

    Args:
        s: the value of every setting (see :data:`cbteach.playground.DEFAULTS`).
        runs: the run list's options.
        first: the key of the run chosen first.
        monitors: the monitors to offer; ``s["monitor"]`` if it is among them, else the first.

    Returns:
        The widgets by name: ``run``, every name in :data:`cbteach.playground.SETTING_CONTROLS`
        and the parts of ``baseline`` (``baseline_on``, ``baseline_value``).

    Example:

    >>> w = setting_widgets(DEFAULTS, [("overfit", "overfit")], "overfit", ["loss"])
    >>> w["monitor"].value  # DEFAULTS' val_loss is not offered: the first monitor
    'loss'
    """
    wide = {"description_width": "initial"}
    slider = {"continuous_update": False, "style": wide}
    w: dict[str, widgets.Widget] = {}
    w["run"] = widgets.Dropdown(options=runs, value=first, style=wide)
    monitor = s["monitor"] if s["monitor"] in monitors else monitors[0]
    w["monitor"] = widgets.Dropdown(options=monitors, value=monitor, style=wide)
    w["mode"] = widgets.Dropdown(options=MODES, value=s["mode"], style=wide)
    w["es_patience"] = widgets.IntSlider(value=s["es_patience"], min=0, max=30, **slider)
    w["es_min_delta"] = widgets.FloatSlider(
        value=s["es_min_delta"], min=0.0, max=0.05, step=0.001, readout_format=".3f", **slider
    )
    box = {"indent": False, "style": wide}  # the whole label shows, not "restore_best…"
    w["restore_best_weights"] = widgets.Checkbox(value=bool(s["restore_best_weights"]), **box)
    w["start_from_epoch"] = widgets.IntSlider(value=s["start_from_epoch"], min=0, max=30, **slider)
    baseline = s["baseline"]
    w["baseline_on"] = widgets.Checkbox(value=baseline is not None, indent=False)
    w["baseline_value"] = widgets.FloatText(
        value=BASELINE_VALUE if baseline is None else float(baseline),
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
        options=[(i18n.lr(x), x) for x in min_lrs], value=float(s["min_lr"]), **slider
    )
    w["save_best_only"] = widgets.Checkbox(value=bool(s["save_best_only"]), **box)
    return w


def action_widgets(
    lang: str, epochs: int, compare: list[tuple[str, str]]
) -> dict[str, widgets.Widget]:
    """The language switch, Retrain (with a progress bar of ``epochs``), status, images, compare.

    Args:
        lang: the language chosen first, ``"ko"`` or ``"en"``.
        epochs: the progress bar's maximum (at least 1).
        compare: the compare list's options, (label, key) pairs.

    Example:

    >>> w = action_widgets("en", 20, [])
    >>> w["progress"].max, w["language"].value
    (20, 'en')
    """
    wide = {"description_width": "initial"}
    w: dict[str, widgets.Widget] = {}
    w["language"] = widgets.ToggleButtons(options=LANGUAGES, value=lang)
    w["retrain_button"] = widgets.Button(button_style="primary", icon="play")
    w["cancel_button"] = widgets.Button(button_style="warning", icon="stop", disabled=True)
    w["progress"] = widgets.IntProgress(value=0, min=0, max=max(epochs, 1))
    w["retrain"] = widgets.HBox([w["retrain_button"], w["cancel_button"], w["progress"]])
    w["compare_runs"] = widgets.SelectMultiple(options=compare, rows=5, style=wide)
    w["pin_button"] = widgets.Button(icon="thumb-tack")
    w["compare_button"] = widgets.Button(icon="bar-chart")
    w["compare_image"] = widgets.Image(
        format="png", layout=widgets.Layout(display="none", max_width="1100px")
    )
    w["compare"] = widgets.VBox(
        [
            widgets.HBox([w["compare_runs"], widgets.VBox([w["pin_button"], w["compare_button"]])]),
            w["compare_image"],
        ]
    )
    w["image"] = widgets.Image(format="png", layout=widgets.Layout(max_width="1100px"))
    # the running retrain's Timeline, redrawn after its epochs; shown only while it trains
    hidden = widgets.Layout(display="none", max_width="1100px")
    w["live_image"] = widgets.Image(format="png", layout=hidden)
    w["image"].add_class("cbteach-timeline")  # names a page test can find them by
    w["live_image"].add_class("cbteach-live-timeline")
    w["summary"] = widgets.HTML()
    w["status"] = widgets.Label()
    return w


def layout(
    w: Mapping[str, widgets.Widget], shown: Sequence[str], callbacks: Sequence[str]
) -> tuple[widgets.VBox, dict[str, widgets.HTML]]:
    """The playground's box: the ``shown`` controls grouped by callback, then the outputs.

    Args:
        w: the widgets by name, from :func:`setting_widgets` and :func:`action_widgets`.
        shown: the names of the controls to show; the outputs always show.
        callbacks: the callbacks' names, in the order their groups appear.

    Returns:
        The box, and the group headings by group ("shared" or a callback's name), for
        :func:`relabel`.

    Example:

    >>> w = setting_widgets(DEFAULTS, [("a", "a")], "a", ["val_loss"])
    >>> w.update(action_widgets("en", 5, []))
    >>> box, headings = layout(w, ["run", "es_patience", "retrain"], ["EarlyStopping"])
    >>> list(headings)
    ['EarlyStopping']
    """
    headings: dict[str, widgets.HTML] = {}
    top = [w[k] for k in ("run", "language") if k in shown]
    groups = []
    for group in (None, *callbacks):
        members = [w[k] for k in shown if CONTROL_OWNERS[k] == group and k in SETTING_CONTROLS]
        if members:
            heading = widgets.HTML()
            headings[group or "shared"] = heading
            box = widgets.VBox([heading, *members], layout=widgets.Layout(margin="0 1.5em 0 0"))
            groups.append(box)
    rows: list[widgets.Widget] = []
    if top:
        rows.append(widgets.HBox(top))
    if groups:
        rows.append(widgets.HBox(groups, layout=widgets.Layout(flex_flow="row wrap")))
    if "retrain" in shown:
        rows.append(w["retrain"])
    rows.append(w["status"])
    if "retrain" in shown:
        rows.append(w["live_image"])
    rows += [w["image"], w["summary"]]
    if "compare" in shown:
        rows.append(w["compare"])
    return widgets.VBox(rows), headings


def relabel(
    w: Mapping[str, widgets.Widget], headings: Mapping[str, widgets.HTML], lang: str
) -> None:
    """Every description, tooltip and heading in ``lang`` (the options are the view's).

    Args:
        w: the widgets by name, from :func:`setting_widgets` and :func:`action_widgets`.
        headings: the group headings from :func:`layout`.
        lang: ``"ko"`` or ``"en"``.

    Example:

    >>> w = setting_widgets(DEFAULTS, [("a", "a")], "a", ["val_loss"])
    >>> w.update(action_widgets("en", 5, []))
    >>> relabel(w, {}, "en")
    >>> w["es_patience"].description
    'patience'
    """

    def t(key: str) -> str:
        return i18n.t(f"widgets.{key}", lang)

    for name in (*SETTING_CONTROLS, "run", "language"):
        if name == "baseline":
            w["baseline_on"].description = t("baseline")
            set_tooltip(w["baseline_on"], t("baseline_tip"))
            w["baseline_value"].description = t("baseline_value")
            set_tooltip(w["baseline_value"], t("baseline_tip"))
            continue
        w[name].description = t(name)
        set_tooltip(w[name], t(f"{name}_tip"))
    for name in ("retrain", "cancel", "pin", "compare"):
        w[f"{name}_button"].description = t(name)
        set_tooltip(w[f"{name}_button"], t(f"{name}_tip"))
    w["progress"].description = t("progress")
    w["compare_runs"].description = t("compare_runs")
    set_tooltip(w["compare_runs"], t("compare_runs_tip"))
    for group, heading in headings.items():
        text = t("group_shared") if group == "shared" else group
        heading.value = f"<b>{html.escape(text)}</b>"


def fit_sliders(w: Mapping[str, widgets.Widget]) -> None:
    """Give every slider the same width: a long label must not squeeze the track to nothing.

    Args:
        w: the widgets by name; those that are not sliders are left alone.

    Example:

    >>> w = setting_widgets(DEFAULTS, [("a", "a")], "a", ["val_loss"])
    >>> fit_sliders(w)
    >>> w["es_patience"].layout.width
    '34em'
    """
    for widget in w.values():
        if isinstance(widget, _SLIDERS):
            widget.layout.width = _SLIDER_WIDTH


# ------------------------------------------------------------ ipywidgets 7 and 8
# Google Colab loads ipywidgets 7.7 when its kernel starts, before any cell runs; JupyterLab
# installs have 8. These two functions are the only places where the two differ for cbteach.


def set_tooltip(widget: widgets.Widget, text: str) -> None:
    """Show ``text`` when the pointer rests on ``widget``, on ipywidgets 8 and 7.

    ipywidgets 8 gives every widget a ``tooltip``; in 7 only a button has one, and a widget
    with a description has ``description_tooltip`` instead (8 still accepts that, with a
    deprecation warning, so it is used only where ``tooltip`` is missing).

    Args:
        widget: the widget.
        text: the tooltip.

    Example:

    >>> slider = widgets.IntSlider()
    >>> set_tooltip(slider, "epochs to wait")
    >>> slider.tooltip if slider.has_trait("tooltip") else slider.description_tooltip
    'epochs to wait'
    """
    setattr(widget, "tooltip" if widget.has_trait("tooltip") else "description_tooltip", text)


def view_bundle(widget: widgets.Widget) -> dict:
    """The MIME bundle that shows ``widget`` in a notebook, on ipywidgets 8 and 7.

    ipywidgets 8 returns it from ``_repr_mimebundle_``; 7 has no such method and publishes
    the same bundle from ``_ipython_display_``, so here it is built the way 7 builds it.

    Args:
        widget: a widget that is not closed.

    Example:

    >>> sorted(view_bundle(widgets.VBox()))
    ['application/vnd.jupyter.widget-view+json', 'text/plain']
    """
    if hasattr(type(widget), "_repr_mimebundle_"):  # ipywidgets 8
        return widget._repr_mimebundle_()
    plaintext = repr(widget)
    data = {"text/plain": plaintext[:110] + "…" if len(plaintext) > 110 else plaintext}
    if widget._view_name is not None:
        data["application/vnd.jupyter.widget-view+json"] = {
            "version_major": 2,
            "version_minor": 0,
            "model_id": widget._model_id,
        }
        widget._handle_displayed()
    return data
