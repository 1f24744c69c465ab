"""Live timelines: redrawn while training, coalesced, never holding training up, final = plot_run."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from cbteach import EarlyStopping, ReduceLROnPlateau, i18n, recorded
from cbteach import live as live_module
from cbteach.live import WATCHED_SHARE, Live, LiveTimeline, sink_for
from cbteach.timeline import Timeline
from cbteach.training import train

PNG = b"\x89PNG\r\n\x1a\n"


def live_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "cbteach-live"]


def test_a_live_run_redraws_while_training_and_ends_on_plot_runs_figure(tiny):
    drawn: list[tuple[int, bytes]] = []
    callbacks = [ReduceLROnPlateau(patience=1, factor=0.5), EarlyStopping(patience=3)]
    run = train(
        callbacks,
        data=tiny,
        model="mlp",
        epochs=8,
        learning_rate=3e-3,
        batch_size=32,
        live=lambda png: drawn.append((len(live_threads()), png)),
    )
    assert len(drawn) >= 2 and all(png.startswith(PNG) for _, png in drawn)
    assert drawn[0][0] == 1  # the first drawings came from the drawing thread, during training
    # the last one is the finished run's figure, as a fresh Timeline (plot_run's) draws it
    assert drawn[-1][1] == Timeline(run).to_png()
    assert not live_threads()


class Snapshots:
    """Stands in for train(): a Run per epoch, from a recorded run cut to that epoch."""

    def __init__(self) -> None:
        self.recorded = recorded.load("overfit")

    def __call__(self, history: dict):
        epochs = len(next(iter(history.values())))
        full = self.recorded
        return dataclasses.replace(
            full, history={k: v[:epochs] for k, v in full.history.items()}, lrs=full.lrs[:epochs]
        )


def feed(live: LiveTimeline, epochs: int, pause: float) -> None:
    live.on_train_begin()
    for epoch in range(epochs):
        live.on_epoch_end(epoch, {"loss": 1.0, "val_loss": 1.0})
        time.sleep(pause)
    live.on_train_end()


def test_epochs_slower_than_drawing_are_each_drawn_once():
    seen = []
    live = LiveTimeline(Snapshots(), seen.append, every=0.0, share=1.0)  # no throttle
    feed(live, 6, pause=0.4)
    assert live.draws == 6 and len(seen) == 6


def test_drawing_takes_at_most_its_share_of_the_time():
    live = LiveTimeline(Snapshots(), lambda png: None, every=0.0, share=0.25)
    live.timeline = Timeline(None)  # built beforehand: the test times drawings alone
    real_draw, spans = live._draw, []

    def draw(run, running=True):
        started = time.monotonic()
        real_draw(run, running)
        spans.append((started, time.monotonic()))

    live._draw = draw
    feed(live, 60, pause=0.05)
    ended = time.monotonic()
    busy = sum(end - start for start, end in spans)
    # each drawing of c seconds is followed by c / 0.25 - c seconds without one
    assert len(spans) >= 2 and busy / (ended - spans[0][0]) <= 0.25 + 0.05


def test_epochs_faster_than_drawing_are_coalesced_into_the_newest():
    drawn_epochs = []
    live = LiveTimeline(Snapshots(), lambda png: None, every=0.3)
    real_draw = live._draw

    def draw(run, running=True):
        drawn_epochs.append(run.epochs)
        real_draw(run, running)

    live._draw = draw
    feed(live, 20, pause=0.02)
    assert 1 <= len(drawn_epochs) < 20  # at most one drawing per window (0.3 s, or SHARE)
    assert drawn_epochs == sorted(drawn_epochs)  # never an older snapshot after a newer one


def test_a_drawing_error_stops_drawing_not_training(tiny):
    def broken(png):
        raise OSError("disk full")

    with pytest.warns(UserWarning, match="disk full"):
        run = train([EarlyStopping(patience=2)], data=tiny, model="mlp", epochs=3, live=broken)
    assert run.epochs == 3 and not live_threads()


def test_an_interrupted_fit_leaves_no_drawing_thread(tiny):
    class Interrupt(EarlyStopping):
        def on_epoch_end(self, epoch, logs=None):
            super().on_epoch_end(epoch, logs)
            if epoch == 1:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train([Interrupt(patience=5)], data=tiny, model="mlp", epochs=5, live=lambda png: None)
    assert not live_threads()


def test_a_file_is_rewritten_whole_after_each_drawing(tiny, tmp_path):
    target = tmp_path / "live" / "timeline.png"
    run = train([EarlyStopping(patience=2)], data=tiny, model="mlp", epochs=3, live=target)
    assert target.read_bytes() == Timeline(run).to_png()
    assert [p.name for p in target.parent.iterdir()] == ["timeline.png"]  # no temporary left


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_live_true_outside_a_notebook_says_what_to_write_instead(lang):
    with pytest.raises(ValueError, match='live="timeline.png"') as raised:
        sink_for(True, lang)
    assert str(raised.value) == i18n.t("live.needs_notebook", lang)
    with pytest.raises(TypeError, match="int"):
        sink_for(3, lang)
    assert sink_for(False) is None and sink_for(None) is None


def test_live_sets_the_pace_of_the_drawings(tiny, monkeypatch):
    made = []

    class Spy(LiveTimeline):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(live_module, "LiveTimeline", Spy)
    pngs = []
    train(
        [EarlyStopping(patience=5)],
        data=tiny,
        model="mlp",
        epochs=2,
        live=Live(pngs.append, every=0.25, share=WATCHED_SHARE),
    )
    assert [(each.every, each.share) for each in made] == [(0.25, WATCHED_SHARE)]
    assert pngs  # the target of Live got the drawings
