"""Plots read a Run and draw what the callbacks decided, at the epochs they decided it.

Runs are made by replaying hand-made curves through the real callbacks (cbteach's
subclasses of Keras' classes, driven by :mod:`cbteach.replay` on a real Keras model), so
every event is one Keras really produced.
"""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys
import warnings
from importlib import resources

import keras
import matplotlib
import numpy as np
import pytest

from cbteach import EarlyStopping, EventLog, ModelCheckpoint, ReduceLROnPlateau, i18n, plots
from cbteach.plots import Timeline, plot_compare, plot_lr, plot_run
from cbteach.replay import replay
from cbteach.training import Run

# val_loss improves until epoch 5 (0.69), then only gets worse.
VAL_LOSS = [1.0, 0.8, 0.7, 0.72, 0.69, 0.71, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78]
LOSS = [1.1, 0.85, 0.7, 0.62, 0.55, 0.5, 0.46, 0.43, 0.4, 0.38, 0.36, 0.34]


def drive(callbacks, history: dict[str, list[float]], name: str = "") -> Run:
    """Call the hooks as ``model.fit`` would, with ``history`` as each epoch's logs."""
    return replay(Run(history=history, events=EventLog(), lrs=[0.1]), callbacks, name=name)


def make_run(tmp_path, *, es_patience=2, rlr=True, mc=True, cooldown=0, name="") -> Run:
    callbacks = [EarlyStopping(patience=es_patience, restore_best_weights=True)]
    if rlr:
        callbacks.append(ReduceLROnPlateau(patience=1, factor=0.5, cooldown=cooldown))
    if mc:
        path = str(tmp_path / "ckpt_{epoch:02d}.keras")
        callbacks.append(ModelCheckpoint(path, save_best_only=True, write=False))
    return drive(callbacks, {"loss": LOSS, "val_loss": VAL_LOSS}, name=name)


@pytest.fixture
def run(tmp_path) -> Run:
    return make_run(tmp_path)


def xdata(artist) -> list[float]:
    return [x for x in np.asarray(artist.get_xdata(), float) if not math.isnan(x)]


def test_the_run_is_the_one_keras_decided(run):
    """The hand-made curve gives the events the other tests rely on."""
    assert run.epochs == 7
    assert run.stopped_epoch == 7
    assert run.restored_epoch == 5
    assert [e.epoch for e in run.saves] == [1, 2, 3, 5]
    assert [e.epoch for e in run.lr_cuts] == [4, 6, 7]
    assert run.lrs == pytest.approx([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025])


def test_the_figure_has_its_panels_and_stays_out_of_pyplot(run):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    timeline = Timeline(run)
    assert isinstance(timeline.figure, matplotlib.figure.Figure)
    assert plt.get_fignums() == before
    assert set(timeline.axes) == {"curves", "metric", "lr", "wait"}
    assert len(timeline.figure.axes) == 4  # curves, its twin, lr, wait
    assert timeline.panels == ("curves", "lr", "wait")
    assert timeline.axes["lr"].get_yscale() == "log"
    assert not timeline.axes["metric"].get_visible()  # only losses are monitored here
    shared = timeline.axes["curves"].get_shared_x_axes()
    assert shared.joined(timeline.axes["curves"], timeline.axes["wait"])

    assert len(Timeline(run, show_wait=False).figure.axes) == 3
    assert isinstance(plot_run(run), matplotlib.figure.Figure)


def test_markers_sit_at_the_epochs_the_callbacks_decided(run):
    a = Timeline(run).artists
    assert xdata(a["stop"]) == [run.stopped_epoch, run.stopped_epoch]
    assert xdata(a["stop@lr"]) == [run.stopped_epoch] * 2
    assert xdata(a["stop@wait"]) == [run.stopped_epoch] * 2
    assert xdata(a["saves"]) == [e.epoch for e in run.saves]
    assert list(a["saves"].get_ydata()) == pytest.approx([VAL_LOSS[e.epoch - 1] for e in run.saves])
    assert xdata(a["restored"]) == [run.restored_epoch]
    assert list(a["restored"].get_ydata()) == pytest.approx([0.69])
    assert a["restored"].get_label() == i18n.t("plots.restored_legend", "en", epoch=5)
    assert sorted(set(xdata(a["lr_cuts"]))) == [e.epoch for e in run.lr_cuts]
    assert list(a["lr"].get_xdata()) == list(range(1, run.epochs + 1))
    assert list(a["lr"].get_ydata()) == pytest.approx(run.lrs)
    assert list(a["val_loss"].get_ydata()) == pytest.approx(run.history["val_loss"])
    assert list(a["wait:EarlyStopping"].get_ydata()) == [0, 0, 0, 1, 0, 1, 2]
    assert list(a["patience:EarlyStopping"].get_ydata()) == [2, 2]
    assert list(a["patience:ReduceLROnPlateau"].get_ydata()) == [1, 1]


def test_at_a_cut_the_wait_drawn_reaches_patience_then_resets(run):
    """Keras counts wait up to patience, cuts, and sets it back to 0 in the same epoch: the
    line shows both, so it touches the dashed patience line at every cut."""
    line = Timeline(run).artists["wait:ReduceLROnPlateau"]
    points = list(zip(xdata(line), line.get_ydata(), strict=True))
    for cut in run.lr_cuts:  # patience 1: the count that cut is 1, then 0
        at_cut = [wait for epoch, wait in points if epoch == cut.epoch]
        assert at_cut == [cut.patience, 0]
    stop = Timeline(run).artists["wait:EarlyStopping"]
    assert stop.get_ydata()[-1] == 2  # EarlyStopping stops at patience, no reset


def test_past_min_lr_the_wait_axis_stays_near_patience():
    """At min_lr Keras' wait keeps growing; the axis stays at patience + 1 and marks the
    epochs whose wait left it."""
    curve = {"loss": [1.0] * 30, "val_loss": [1.0] * 30}
    run = drive([ReduceLROnPlateau(patience=2, factor=0.5, min_lr=0.02)], curve)
    timeline = Timeline(run, lang="en")
    waits = list(timeline.artists["wait:ReduceLROnPlateau"].get_ydata())
    assert max(waits) > 20  # Keras' own count
    assert timeline.axes["wait"].get_ylim()[1] < 4
    beyond = timeline.artists["wait_beyond"]
    assert beyond.get_visible() and xdata(beyond)[0] < 15
    assert str(max(waits)) in beyond.get_label()


def test_notes_name_the_new_lr_and_the_stop(run):
    timeline = Timeline(run, lang="en")
    notes = [n.get_text() for n in timeline.lr_cut_notes if n.get_visible()]
    assert notes == ["LR→5.0e-02", "LR→2.5e-02", "LR→1.25e-02"]
    # beside each step of the learning-rate panel, at the new LR
    assert [n.xy[0] for n in timeline.lr_cut_notes] == [4, 6, 7]
    assert [n.xy[1] for n in timeline.lr_cut_notes] == pytest.approx([0.05, 0.025, 0.0125])
    assert {n.axes for n in timeline.lr_cut_notes} == {timeline.axes["lr"]}
    assert timeline.artists["stop_note"].get_text() == i18n.t("plots.stop_note", "en", epoch=7)


def test_best_so_far_lines_follow_best_after(run):
    a = Timeline(run).artists
    best = [a[f"best:{cb}"] for cb in plots.COLORS if a[f"best:{cb}"].get_visible()]
    assert best  # the three callbacks agree on val_loss, so they share one line
    assert list(best[0].get_ydata()) == pytest.approx([1.0, 0.8, 0.7, 0.7, 0.69, 0.69, 0.69])


def test_update_moves_the_same_artists(tmp_path, run):
    timeline = Timeline(run)
    figure, axes = timeline.figure, list(timeline.figure.axes)
    artists = dict(timeline.artists)
    texts = [len(ax.texts) for ax in axes]

    other = make_run(tmp_path, es_patience=20, rlr=False)  # never stops, no LR cuts
    assert timeline.update(other) is timeline
    assert timeline.figure is figure
    assert list(timeline.figure.axes) == axes
    assert timeline.artists == artists
    a = timeline.artists
    assert list(a["val_loss"].get_xdata()) == list(range(1, len(VAL_LOSS) + 1))
    assert axes[0].get_xlim() == (0.5, len(VAL_LOSS) + 0.5)
    assert not a["stop"].get_visible() and not a["stop_note"].get_visible()
    assert xdata(a["restored"]) == [5]  # Keras restores the best weights even without a stop
    assert not a["lr_cuts"].get_visible()
    assert not any(n.get_visible() for n in timeline.lr_cut_notes)
    assert not a["wait:ReduceLROnPlateau"].get_visible()
    assert not a["patience:ReduceLROnPlateau"].get_visible()
    assert a["wait:EarlyStopping"].get_visible()
    labels = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert i18n.t("plots.lr_cut_legend", "en") not in labels
    assert i18n.t("plots.stop_legend", "en") not in labels

    for _ in range(3):  # going back and forth adds nothing
        timeline.update(run)
        timeline.update(other)
    timeline.update(run)
    assert [len(ax.texts) for ax in axes] == texts
    assert list(timeline.figure.axes) == axes
    assert xdata(a["stop"]) == [7, 7]
    assert timeline.to_png().startswith(b"\x89PNG")


def test_cooldown_epochs_are_shaded(tmp_path):
    run = make_run(tmp_path, cooldown=2)
    cooldown = Timeline(run).artists["cooldown"]
    assert cooldown.get_visible()
    starts = sorted(path.vertices[:, 0].min() + 0.5 for path in cooldown.get_paths())
    cuts = [e.epoch for e in run.lr_cuts]
    assert starts and all(any(c < s <= c + 2 for c in cuts) for s in starts)


def test_a_run_without_callbacks_is_one_panel_with_the_lowest_epoch_marked():
    """Lesson 00: no empty LR or wait panel, a linear loss axis (the U shows), its bottom
    marked."""
    history = {"loss": LOSS, "val_loss": VAL_LOSS}
    run = Run(history=history, events=EventLog(), lrs=[1e-3] * len(LOSS))
    timeline = Timeline(run, lang="en")
    a = timeline.artists
    assert timeline.panels == ("curves",)
    assert not timeline.axes["lr"].get_visible() and not timeline.axes["wait"].get_visible()
    assert timeline.figure.get_figheight() < 7
    assert timeline.axes["curves"].get_xlabel() == "epoch"
    assert timeline.axes["curves"].get_yscale() == "linear"
    assert a["loss"].get_visible() and a["val_loss"].get_visible()
    assert xdata(a["lowest"]) == [5] and a["lowest"].get_visible()
    assert a["lowest"].get_label() == "lowest val_loss: 0.6900 at epoch 5"
    assert timeline.figure.get_suptitle() == i18n.t("plots.title_curves", "en")
    assert not a["stop"].get_visible() and not a["saves"].get_visible()
    assert timeline.to_png().startswith(b"\x89PNG")

    timeline.update(make_run_without_lr())  # a wait panel, still no LR panel
    assert timeline.panels == ("curves", "wait")
    assert not a["lowest"].get_visible()
    lrs = plot_lr(run).axes[0].get_lines()[0].get_ydata().tolist()
    assert lrs == pytest.approx([1e-3] * len(LOSS))


def make_run_without_lr() -> Run:
    return drive([EarlyStopping(patience=3)], {"loss": LOSS, "val_loss": VAL_LOSS})


def test_a_checkpoint_figure_says_which_epoch_the_file_holds(tmp_path):
    path = str(tmp_path / "best.keras")
    run = drive([ModelCheckpoint(path, save_best_only=True, write=False)], {"val_loss": VAL_LOSS})
    timeline = Timeline(run, lang="en")
    disk = timeline.artists["on_disk"]
    assert xdata(disk) == [5] and disk.get_visible()
    texts = timeline.axes["curves"].get_legend().get_texts()
    legend = [t.get_text().replace("\n", " ") for t in texts]  # long entries wrap
    assert "ModelCheckpoint's last save: epoch 5 (best.keras)" in legend
    sentence = timeline.artists["outcome"].get_text().replace("\n  ", " ")
    assert "best.keras would hold epoch 5 (val_loss 0.6900)" in sentence
    assert timeline.panels == ("curves",)


def test_a_replay_axis_ends_soon_after_the_stop(busy_run):
    """The decisions fill the axis; the recorded epochs after the stop show, cut short."""
    timeline = Timeline(busy_run)
    stop = busy_run.stopped_epoch
    _low, high = timeline.axes["curves"].get_xlim()
    assert stop + 3 <= high - 0.5 <= max(stop + 8, 2 * stop)
    assert high - 0.5 < 100  # the recording has 100 epochs
    assert timeline.artists["after:val_loss"].get_visible()


@pytest.fixture
def busy_run() -> Run:
    from cbteach import recorded

    return replay(recorded.load("overfit"), [EarlyStopping(patience=5), ReduceLROnPlateau()])


def test_no_text_stands_on_the_curves(busy_run):
    """Notes sit outside the curves panel: above it (the stop) or in the LR panel."""
    timeline = Timeline(busy_run)
    curves = timeline.axes["curves"]
    assert curves.texts  # the stop's note, above the panel
    inside = [t for t in curves.texts if t.get_visible() and t.get_position()[1] <= 1]
    assert inside == []
    assert all(n.axes is timeline.axes["lr"] for n in timeline.lr_cut_notes)


def test_the_png_after_moves_matches_a_fresh_drawing(tmp_path, run, busy_run):
    """The kept frame never shows a stale tick or legend: after other runs, the PNG is
    the one a new Timeline draws."""
    from PIL import Image

    moved = Timeline(busy_run)
    moved.to_png()
    moved.update(make_run(tmp_path, es_patience=20, rlr=False))
    moved.to_png()
    moved.update(run)
    fresh = Timeline(run)
    a = np.asarray(Image.open(__import__("io").BytesIO(moved.to_png())))
    b = np.asarray(Image.open(__import__("io").BytesIO(fresh.to_png())))
    assert a.shape == b.shape and np.array_equal(a, b)


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(__import__("io").BytesIO(png)).convert("RGB"))


def test_a_slider_moved_back_shows_the_png_a_fresh_timeline_draws():
    """A slider sweeping patience moves the epoch axis, the wait axis and the legends; each
    frame kept (shown, waiting, or deflated) and put back gives the pixels of a fresh
    drawing, whichever way the slider comes back."""
    from cbteach import recorded

    overfit = recorded.load("overfit")
    runs = {p: replay(overfit, [EarlyStopping(patience=p, restore_best_weights=True),
                                ReduceLROnPlateau(patience=5)]) for p in (2, 9, 25)}  # fmt: skip
    moved = Timeline(runs[2])
    shown = {}
    for patience in (2, 9, 25, 9, 2, 25):
        png = moved.update(runs[patience]).to_png()
        shown.setdefault(patience, _pixels(png))
        assert np.array_equal(_pixels(png), shown[patience])
    for patience, pixels in shown.items():
        assert np.array_equal(pixels, _pixels(Timeline(runs[patience]).to_png())), patience


def test_text_is_drawn_with_agg_s_own_pixels():
    """cbteach's canvas keeps glyphs and layouts, and draws the pixels Agg draws: Hangul,
    bold, rotated and multi-line text, the first time and from what it kept."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from cbteach.figures import new_figure, use_korean_font

    use_korean_font()

    def draw(figure) -> np.ndarray:
        ax = figure.add_subplot()
        ax.set_xlim(0.5, 40.5)
        ax.set_ylabel("손실(loss)")
        ax.set_title("overfit: 에포크마다 콜백이 본 것과 한 일", fontweight="bold")
        ax.text(3.3, 0.5, "EarlyStopping stopped\nat epoch 10 → 7", fontsize=9.5)
        figure.canvas.draw()
        return np.asarray(figure.canvas.get_renderer().buffer_rgba()).copy()

    agg = Figure((5, 3), dpi=100, facecolor="white")
    FigureCanvasAgg(agg)
    expected = draw(agg)
    assert np.array_equal(draw(new_figure((5, 3), pyplot=False)), expected)
    assert np.array_equal(draw(new_figure((5, 3), pyplot=False)), expected)  # kept glyphs


def test_the_png_holds_the_figure_s_pixels_losslessly(run):
    from cbteach.figures import encode_png

    timeline = Timeline(run)
    png = timeline.to_png()
    pixels = np.asarray(timeline.figure.canvas.get_renderer().buffer_rgba())
    assert png == encode_png(pixels)
    assert np.array_equal(_pixels(png), pixels[..., :3])


def test_an_empty_timeline_can_be_filled_later(run):
    timeline = Timeline()
    assert timeline.artists["no_history"].get_visible()
    timeline.to_png()
    timeline.update(run)
    assert not timeline.artists["no_history"].get_visible()
    assert xdata(timeline.artists["stop"]) == [7, 7]


def test_a_monitored_metric_gets_the_twin_axis(tmp_path):
    val_accuracy = [0.5, 0.6, 0.7, 0.68, 0.72, 0.71, 0.7, 0.69]
    history = {"loss": LOSS[:8], "val_loss": VAL_LOSS[:8], "val_accuracy": val_accuracy}
    callbacks = [
        EarlyStopping(monitor="val_accuracy", mode="max", patience=2, restore_best_weights=True),
        ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_accuracy", mode="max",
                        save_best_only=True, write=False),
    ]  # fmt: skip
    run = drive(callbacks, history)
    timeline = Timeline(run)
    a = timeline.artists
    assert timeline.axes["metric"].get_visible()
    assert a["val_metric"].get_visible()
    assert list(a["val_metric"].get_ydata()) == pytest.approx(run.history["val_accuracy"])
    assert a["restored@metric"].get_visible() and not a["restored"].get_visible()
    assert xdata(a["restored@metric"]) == [5]
    assert xdata(a["saves@metric"]) == [e.epoch for e in run.saves]
    assert xdata(a["stop"]) == [run.stopped_epoch] * 2

    timeline.update(make_run(tmp_path))  # back to a loss-only run: the twin axis goes away
    assert not timeline.axes["metric"].get_visible()
    assert not a["restored@metric"].get_visible() and a["restored"].get_visible()


def _missing_glyphs(render, caplog) -> list[str]:
    """Agg warns about glyphs missing from a font; mathtext logs them instead."""
    caplog.clear()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        render()
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    return [m for m in messages if "missing from" in m or "does not have a glyph" in m]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_glyph_renders(tmp_path, run, lang, caplog):
    runs = [make_run(tmp_path, es_patience=p, name=f"patience={p}") for p in (1, 2)]

    def render():
        Timeline(run, lang=lang).to_png()
        plot_compare(runs, lang=lang).savefig(tmp_path / "compare.png")
        plot_lr(run, lang=lang).savefig(tmp_path / "lr.png")

    assert _missing_glyphs(render, caplog) == []


def test_labels_come_from_the_catalog_in_each_language(run):
    timeline = Timeline(run, lang="en")
    curves = timeline.axes["curves"]

    def texts() -> dict[str, object]:
        return {
            "title": timeline.figure.get_suptitle(),
            "loss_axis": curves.get_ylabel(),
            "lr_axis": timeline.axes["lr"].get_ylabel(),
            "epoch_axis": timeline.axes["wait"].get_xlabel(),
            "legend": [t.get_text() for t in curves.get_legend().get_texts()],
        }

    english = texts()
    for key in ("title", "loss_axis", "lr_axis", "epoch_axis"):
        assert english[key] == i18n.t(f"plots.{key}", "en")
    assert i18n.t("plots.saved_legend", "en") in english["legend"]
    assert i18n.t("plots.curve_val", "en", name="val_loss") in english["legend"]

    timeline.set_language("ko")
    korean = texts()
    for key in ("title", "loss_axis", "lr_axis", "epoch_axis"):
        assert korean[key] == i18n.t(f"plots.{key}", "ko")
        assert korean[key] != english[key]
    assert i18n.t("plots.restored_legend", "ko", epoch=5) in korean["legend"]
    assert timeline.lr_cut_notes[0].get_text() == "학습률→5.0e-02"

    i18n.set_language("ko")  # lang=None follows the language in use
    assert Timeline(run).axes["curves"].get_ylabel() == i18n.t("plots.loss_axis", "ko")


def test_both_catalogs_have_the_same_plot_keys_and_placeholders():
    def load(lang: str) -> dict[str, str]:
        text = (resources.files("cbteach") / "locales" / lang / "plots.json").read_text("utf-8")
        return json.loads(text)

    ko, en = load("ko"), load("en")
    assert ko.keys() == en.keys()
    for key in en:
        assert i18n.placeholders(ko[key]) == i18n.placeholders(en[key]), key


def test_compare_draws_one_stop_line_per_run(tmp_path):
    runs = [make_run(tmp_path, es_patience=p) for p in (1, 2, 3)]
    figure = plot_compare(runs, ["patience=1", "patience=2", "patience=3"])
    curve_ax, lanes = figure.axes
    stops = [line for line in curve_ax.get_lines() if line.get_gid() == "stop"]
    assert [line.get_xdata()[0] for line in stops] == [r.stopped_epoch for r in runs]
    assert len({line.get_color() for line in stops}) == len(runs)
    assert len([line for line in curve_ax.get_lines() if line.get_gid() == "curve"]) == 1
    assert [t.get_text() for t in lanes.get_yticklabels()] == [
        "patience=1",
        "patience=2",
        "patience=3",
    ]
    saves = [line for line in lanes.get_lines() if line.get_gid() == "saves"]
    assert [list(line.get_xdata()) for line in saves] == [[e.epoch for e in r.saves] for r in runs]
    cuts = [line for line in lanes.get_lines() if line.get_gid() == "lr_cuts"]
    assert [list(line.get_xdata()) for line in cuts] == [[e.epoch for e in r.lr_cuts] for r in runs]
    legend = [t.get_text() for t in curve_ax.get_legend().get_texts()]
    assert (
        i18n.t("plots.compare_stopped", "en", label="patience=2", epoch=runs[1].stopped_epoch)
        in legend
    )

    never = make_run(tmp_path, es_patience=50)
    figure = plot_compare([runs[0], never], lang="ko")
    stops = [line for line in figure.axes[0].get_lines() if line.get_gid() == "stop"]
    assert len(stops) == 1
    with pytest.raises(ValueError):
        plot_compare(runs, ["only one label"])


def test_a_real_three_epoch_training_run(sample):
    from cbteach.training import train

    data = sample
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy")
    log = EventLog()
    callbacks = [EarlyStopping(patience=1, log=log), ReduceLROnPlateau(patience=1, log=log)]
    run = train(callbacks, data=data, model=model, epochs=3, batch_size=256)
    timeline = Timeline(run, lang="ko")
    assert list(timeline.artists["lr"].get_ydata()) == pytest.approx(run.lrs)
    assert list(timeline.artists["val_loss"].get_ydata()) == pytest.approx(run.history["val_loss"])
    assert timeline.artists["wait:EarlyStopping"].get_visible()
    assert timeline.to_png().startswith(b"\x89PNG")


def test_a_timeline_built_empty_scales_to_the_first_real_run():
    from cbteach import recorded
    from cbteach.plots import Timeline
    from cbteach.replay import replay

    run = replay(recorded.load("overfit"), [])
    timeline = Timeline(None).update(run)
    low, high = timeline.axes["curves"].get_ylim()
    values = [*run.history["val_loss"], *run.history["loss"]]
    top, bottom = max(values), min(values)
    # the loss falls from 0.6 to 0.002: the axis is logarithmic, with matplotlib's 5 % margin
    assert timeline.axes["curves"].get_yscale() == "log"
    margin = math.log10(top / bottom) * 0.051
    assert top <= high <= top * 10**margin, "the y axis does not fit the data"
    assert bottom * 10**-margin <= low <= bottom, "the y axis kept the empty run's 0..1"


IMPORT_THEN_APPLY = """
import json, matplotlib

def settings():
    return {k: repr(matplotlib.rcParams[k]) for k in matplotlib.rcParams if k != "backend"}

before = settings()
import cbteach.plots, cbteach.timeline
after = settings()
from cbteach import recorded
cbteach.plots.plot_run(recorded.load("overfit"), lang="ko")  # what a learner calls first
applied = settings()
print(json.dumps({
    "changed_by_import": sorted(k for k in before if after[k] != before[k]),
    "changed_by_call": sorted(k for k in after if applied[k] != after[k]),
}))
"""


def test_importing_plots_leaves_matplotlib_settings_alone():
    """Importing sets no rcParams; the first plot applies the Korean font (a fresh process)."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_THEN_APPLY],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["changed_by_import"] == []
    assert {"font.family", "axes.unicode_minus"} <= set(result["changed_by_call"])


def test_each_plot_applies_the_korean_font(run, monkeypatch):
    calls = []
    monkeypatch.setattr(plots, "use_korean_font", lambda: calls.append("plots"))
    monkeypatch.setattr("cbteach.timeline.use_korean_font", lambda: calls.append("timeline"))
    plot_run(run)
    plot_lr(run)
    plot_compare([run])
    assert calls == ["timeline", "plots", "plots"]
