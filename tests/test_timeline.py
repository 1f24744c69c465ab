"""The Timeline's layers, its cooldown shading on real Keras decisions, and its font.

The figure's markers are tested in test_plots.py (``plot_run`` is a Timeline); here are the
things that belong to cbteach.timeline itself.
"""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib import font_manager

from cbteach import EarlyStopping, EventLog, ModelCheckpoint, ReduceLROnPlateau, recorded, timeline
from cbteach.events import Action
from cbteach.figures import use_korean_font
from cbteach.replay import replay
from cbteach.timeline import Timeline
from cbteach.training import Run

FLAT = [1.0] * 12  # never improves after the first epoch


def flat_run(cooldown: int) -> Run:
    """Real Keras ReduceLROnPlateau (patience 2) over a flat curve, through replay."""
    curve = Run(history={"loss": FLAT, "val_loss": FLAT}, events=EventLog(), lrs=[0.1])
    return replay(curve, [ReduceLROnPlateau(patience=2, factor=0.5, cooldown=cooldown)])


def shaded(tl: Timeline) -> list[int]:
    cooldown = tl.artists["cooldown"]
    return sorted(round(path.vertices[:, 0].min() + 0.5) for path in cooldown.get_paths())


# Keras counts cooldown_counter down before it decides, so cooldown=c leaves c - 1 epochs
# uncounted after each cut (KERAS_FACTS.md: patience 2, cooldown 2 cuts after 3, 6, 9).
@pytest.mark.parametrize(
    ("cooldown", "cuts", "uncounted"),
    [
        (0, [3, 5, 7, 9, 11], []),
        (1, [3, 5, 7, 9, 11], []),
        (2, [3, 6, 9, 12], [4, 7, 10]),
        (3, [3, 7, 11], [4, 5, 8, 9, 12]),
    ],
)
def test_the_shaded_epochs_are_the_ones_keras_did_not_count(cooldown, cuts, uncounted):
    run = flat_run(cooldown)
    assert [e.epoch for e in run.lr_cuts] == cuts
    events = [e for e in run.events if e.callback == "ReduceLROnPlateau"]
    # Keras' own wait counter: not counted = it stayed at 0 with no improvement and no cut.
    still = [
        e.epoch
        for e in events
        if e.wait_after == 0 and e.action not in (Action.IMPROVED, Action.REDUCED_LR)
    ]
    assert still == uncounted

    tl = Timeline(run)
    assert shaded(tl) == uncounted
    assert tl.artists["cooldown"].get_visible() == bool(uncounted)


def test_the_shading_follows_an_update():
    tl = Timeline(flat_run(2))
    tl.update(flat_run(1))
    assert shaded(tl) == [] and not tl.artists["cooldown"].get_visible()
    tl.update(flat_run(3))
    assert shaded(tl) == [4, 5, 8, 9, 12]


@pytest.fixture(scope="module")
def busy_run(tmp_path_factory) -> Run:
    """A recorded run on which all three callbacks act."""
    path = str(tmp_path_factory.mktemp("ckpt") / "best.keras")
    callbacks = [
        EarlyStopping(patience=3, restore_best_weights=True),
        ReduceLROnPlateau(patience=2, factor=0.5),
        ModelCheckpoint(path, save_best_only=True),
    ]
    return replay(recorded.load("overfit"), callbacks)


@pytest.mark.parametrize("show_wait", [True, False])
def test_every_artist_belongs_to_exactly_one_layer(busy_run, show_wait):
    tl = Timeline(busy_run, show_wait=show_wait)
    owners: dict[str, str] = {}
    for layer in timeline._LAYERS:
        assert set(layer.legend) <= set(layer.artists), layer.name
        for key in layer.artists:
            assert key not in owners, f"{key} is in {owners.get(key)} and {layer.name}"
            owners[key] = layer.name
    assert set(tl.artists) <= set(owners)
    missing = set(owners) - set(tl.artists)
    assert missing == (set() if show_wait else {"stop@wait", *timeline._LAYERS[-1].artists})


def test_the_legend_lists_the_layers_in_table_order(busy_run):
    tl = Timeline(busy_run, lang="en")
    legend = [t.get_text().replace("\n", " ") for t in tl.axes["curves"].get_legend().get_texts()]
    keys = [k for layer in timeline._LAYERS if layer.panel == "curves" for k in layer.legend]
    visible = [tl.artists[k].get_label() for k in keys if tl.artists[k].get_visible()]
    assert legend == list(dict.fromkeys(visible))
    assert legend[:2] == ["loss (training)", "val_loss (validation)"]
    assert legend[-2:] == ["ReduceLROnPlateau: LR cut", "EarlyStopping: stopped"]
    waits = [t.get_text() for t in tl.axes["wait"].get_legend().get_texts()]
    assert waits[0] == "EarlyStopping wait" and waits[2] == "ReduceLROnPlateau wait"


def test_use_korean_font_applies_once(monkeypatch):
    use_korean_font()
    assert matplotlib.rcParams["font.family"][0] == "NanumGothic"
    assert matplotlib.rcParams["axes.unicode_minus"] is False

    def no_more_fonts(path):
        raise AssertionError("fonts registered twice")

    monkeypatch.setattr(font_manager.fontManager, "addfont", no_more_fonts)
    monkeypatch.setitem(matplotlib.rcParams, "font.family", ["serif"])
    use_korean_font()  # cheap, and a font chosen afterwards stays
    assert matplotlib.rcParams["font.family"] == ["serif"]
