"""The workbook as a learner uses it: JupyterLab in headless Chromium, Run All, a prediction, the
Playground.

For two core lessons (ko/03 EarlyStopping, en/02 ReduceLROnPlateau): open the notebook, run all
cells from the Run menu, save it, and check that no cell failed except the ones that fail on
purpose (tagged ``raises-exception``, with the committed error); then answer the lesson's
prediction as a learner does: the unanswered cell says "write your prediction first", the
learner types a wrong guess in place of ``...`` and runs the cell (✗ with the answer's
direction), then the right one (✓), each line the one :func:`cbteach.predictions.check` gives;
then check that the Playground shows its sliders, buttons, plot and explanation; move the
patience slider and check that the explanation becomes the one cbteach gives for the new
patience and that the plot is redrawn; switch the language toggle and check every label and
sentence changes language. Each step leaves a screenshot in the artifacts folder.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from lab_page import NotebookPage, open_notebook, unexpected_errors
from lab_server import close_session
from playwright.sync_api import Locator, Page, expect

from cbteach import i18n, predictions, recorded
from cbteach.judging import FAIL, PASS
from cbteach.replay import replay
from cbteach.summary import summarize
from cbteach.widgets import DEFAULTS, build_callbacks

REPO = Path(__file__).resolve().parents[2]
UI_TIMEOUT_MS = 30_000  # a slider move replays in about 0.1-0.3 s; this bounds a stuck one
RETRAIN_TIMEOUT_S = 300  # a retrain of the lesson's fast plan takes well under a minute here


@dataclass(frozen=True)
class Lesson:
    """A lesson whose Playground the test drives, and what that Playground must show."""

    path: str
    lang: str
    run: str  # the run the Playground shows first
    callbacks: tuple[str, ...]
    sliders: tuple[str, ...]  # controls drawn as sliders
    buttons: tuple[str, ...]  # catalog keys of its buttons ("retrain", "cancel")
    patience: str  # the patience control
    patience_to: int  # where the test moves it
    toggle: bool  # it shows the 한국어/English toggle
    prediction: str  # the key of its first predictions.check(...) cell
    guesses: tuple[object, ...]  # what the learner types in place of `...`, in order
    docs: bool = False  # its pictures go to docs/ (CBTEACH_E2E_DOCS=1)

    @property
    def id(self) -> str:
        """``ko-03_early_stopping``: the test's id and its artifacts folder."""
        return self.path.replace("/", "-").removesuffix(".ipynb")

    @property
    def other_lang(self) -> str:
        """The language the toggle switches to."""
        return "en" if self.lang == "ko" else "ko"


LESSONS = (
    Lesson(
        "ko/03_early_stopping.ipynb",
        lang="ko",
        run="overfit",
        callbacks=("EarlyStopping",),
        sliders=("es_patience", "es_min_delta", "start_from_epoch"),
        buttons=(),
        patience="es_patience",
        patience_to=2,
        toggle=True,
        prediction="es_stop",
        guesses=(7, 10),  # the best epoch (✗, too early), then Keras' stop (✓)
    ),
    Lesson(
        "en/02_reduce_lr_on_plateau.ipynb",
        lang="en",
        run="plateau",
        callbacks=("ReduceLROnPlateau",),
        sliders=("rlr_patience", "factor", "cooldown", "min_lr"),
        buttons=("retrain", "cancel"),
        patience="rlr_patience",
        patience_to=6,
        toggle=True,
        prediction="rlr_first_cut",
        guesses=(3, 31),  # the notes' reading of patience (✗), then Keras' cut (✓)
        docs=True,
    ),
)
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


# ---------------------------------------------------------------------- what cbteach says
def expected_summary(lesson: Lesson, lang: str, **changed: object) -> list[str]:
    """The sentences the Playground must show: cbteach's summary of the same replay."""
    run = recorded.load(lesson.run)
    monitor = run.config.get("suggested_monitor") or DEFAULTS["monitor"]
    settings = {**DEFAULTS, "monitor": monitor, **changed}
    callbacks = build_callbacks(settings, lesson.callbacks, write=False)
    return summarize(replay(run, callbacks, name=lesson.run), lang)


def label(key: str, lang: str) -> str:
    """A control's label (its description) in ``lang``, from the catalog."""
    return i18n.t(f"widgets.{key}", lang)


# ---------------------------------------------------------------------- the page
class Steps:
    """Numbered screenshots of the page and of the Playground, one pair per step."""

    def __init__(self, page: Page, folder: Path) -> None:
        self.page, self.folder, self.count = page, folder, 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def shot(self, name: str, playground: Locator | None = None) -> None:
        """``NN-name.png`` (the window) and ``NN-name-playground.png`` (the Playground)."""
        self.count += 1
        stem = f"{self.count:02d}-{name}"
        if playground is not None:
            show_whole(playground)
            playground.screenshot(path=self.folder / f"{stem}-playground.png")
        self.page.screenshot(path=self.folder / f"{stem}.png")


def show_whole(element: Locator) -> None:
    """Scroll ``element`` into view, first making the window tall enough to hold all of it."""
    page = element.page
    size, box = page.viewport_size, element.bounding_box()
    if size and box and box["height"] + 250 > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": int(box["height"]) + 250})
    element.scroll_into_view_if_needed()


def find_playground(notebook: NotebookPage) -> Locator:
    """The output that holds the Playground: sliders and the plot image."""
    page = notebook.page
    playground = (
        notebook.panel.locator(".jp-OutputArea-output")
        .filter(has=page.locator(".widget-slider"))
        .filter(has=page.locator("img.widget-image"))
    )
    expect(playground, "the Playground's output (sliders and a plot)").to_have_count(1)
    return playground


def explanation(playground: Locator, lang: str) -> Locator:
    """The explanation box, found by its title in ``lang``."""
    title = i18n.t("widgets.summary_title", lang)
    return playground.locator(".widget-html-content").filter(has_text=title)


def slider(playground: Locator, key: str, lang: str) -> Locator:
    """The slider whose label is ``key``'s label in ``lang``."""
    text = label(key, lang)
    found = playground.locator(".widget-slider").filter(
        has=playground.page.get_by_text(text, exact=True)
    )
    expect(found, f"the slider labelled {text!r}").to_have_count(1)
    return found


def button(playground: Locator, text: str) -> Locator:
    """The button reading ``text`` (by its text: a Font Awesome icon adds to its role name)."""
    return playground.locator("button").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def expect_summary(playground: Locator, lesson: Lesson, lang: str, lines: list[str]) -> None:
    """Wait until the explanation, titled in ``lang``, holds each of ``lines``."""
    box = explanation(playground, lang)
    expect(box, f"the explanation titled in {lang}").to_have_count(1, timeout=UI_TIMEOUT_MS)
    for line in lines:
        expect(box).to_contain_text(line, timeout=UI_TIMEOUT_MS)


def plot_image(playground: Locator) -> Locator:
    """The Playground's plot, loaded (a decoded PNG, not an empty or broken image)."""
    image = playground.locator("img.cbteach-timeline")
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)
    width = image.evaluate("e => e.naturalWidth")
    assert width > 300, f"the plot image is {width} px wide: not drawn"
    return image


def finished_status(lang: str) -> re.Pattern:
    """The status line of a finished retrain, its values left open."""
    template = i18n.catalog(lang)["widgets.status_finished"]
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+?".join(re.escape(part) for part in parts))


def check_live_retrain(playground: Locator, lesson: Lesson, steps: Steps) -> None:
    """Retrain: the live Timeline appears and changes while the model trains, then gives way."""
    live = playground.locator("img.cbteach-live-timeline")
    button(playground, label("retrain", lesson.lang)).click()
    expect(live, "the live Timeline while Retrain trains").to_be_visible(timeout=120_000)
    seen: list[str] = []
    deadline = time.monotonic() + RETRAIN_TIMEOUT_S
    while live.is_visible() and time.monotonic() < deadline:
        src = live.get_attribute("src") or ""
        if src and (not seen or seen[-1] != src):
            seen.append(src)
            if len(seen) == 2:
                steps.shot("live-retrain", playground)
        playground.page.wait_for_timeout(100)
    # Retrain draws at live.WATCHED_SHARE: the fast plan's 15 epochs get about 4 drawings
    assert len(seen) >= 3, f"the live Timeline changed {len(seen) - 1} times while training"
    expect(live, "the live Timeline after the retrain").to_be_hidden(timeout=UI_TIMEOUT_MS)
    status = playground.locator(".widget-label").filter(has_text=finished_status(lesson.lang))
    expect(status, "the finished retrain's status line").to_have_count(1, timeout=UI_TIMEOUT_MS)
    plot_image(playground)
    steps.shot("retrained", playground)


def move_slider(handle: Locator, steps: int) -> None:
    """Move a slider ``steps`` steps (negative: left) with the keyboard, from its handle."""
    handle.focus()
    key = "ArrowRight" if steps > 0 else "ArrowLeft"
    for _ in range(abs(steps)):
        handle.press(key)


# ---------------------------------------------------------------------- the checks
def check_outputs(notebook: NotebookPage, lesson: Lesson, folder: Path) -> None:
    """Saved from the page: no cell failed but the tagged ones, with the committed error."""
    saved = notebook.save()
    (folder / "executed.ipynb").write_text(json.dumps(saved, ensure_ascii=False, indent=1))
    committed = json.loads((REPO / "notebooks" / lesson.path).read_text(encoding="utf-8"))
    problems = unexpected_errors(saved, committed)
    assert not problems, f"{lesson.path}: cells failed:\n" + "\n".join(problems)
    errors = sum(
        1
        for cell in saved["cells"]
        for output in cell.get("outputs", [])
        if output["output_type"] == "error"
    )
    failing = sum(
        1
        for cell in committed["cells"]
        for output in cell.get("outputs", [])
        if output["output_type"] == "error"
    )
    assert errors >= failing, f"{lesson.path}: {errors} cells failed on purpose, not {failing}"
    shown = notebook.error_outputs().count()
    assert shown == errors, (
        f"{lesson.path}: the page shows {shown} error outputs, the saved notebook {errors}:\n"
        f"{notebook.error_texts()}"
    )


def shown_line(line: str) -> str:
    """A ✓/✗/✎ line as the page shows it: rendered as Markdown, so without its backticks."""
    return line.replace("`", "")


def answer_prediction(notebook: NotebookPage, lesson: Lesson, steps: Steps) -> None:
    """The prediction cell: unanswered it asks for a guess; each typed guess gets its verdict."""
    page, key = notebook.page, lesson.prediction
    cell = notebook.panel.locator(".jp-CodeCell").filter(has_text=f'predictions.check("{key}"')
    expect(cell, f"the code cell that asks the prediction {key!r}").to_have_count(1)
    cell.scroll_into_view_if_needed()
    output = cell.locator(".jp-OutputArea-output")
    unanswered = predictions.check(key, ..., lang=lesson.lang).lines[0]
    assert unanswered.startswith(predictions.WRITE_FIRST)
    expect(output, "the unanswered prediction's line").to_contain_text(shown_line(unanswered))
    assert "Traceback" not in output.inner_text()
    for guess in lesson.guesses:
        editor = cell.locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+End")  # the end of `predictions.check("key", ...)`
        page.keyboard.press("ArrowLeft")  # before the closing parenthesis
        written = editor.inner_text().rstrip().rsplit(", ", 1)[-1].removesuffix(")")
        for _ in written:  # select what is written there: `...`, later the last guess
            page.keyboard.press("Shift+ArrowLeft")
        page.keyboard.type(str(guess))
        expect(editor).to_contain_text(f'predictions.check("{key}", {guess})')
        page.keyboard.press("Control+Enter")  # run this cell, stay on it
        verdict = predictions.check(key, guess, lang=lesson.lang)
        expect(output, f"the verdict on {guess}").to_contain_text(
            shown_line(verdict.lines[0]), timeout=UI_TIMEOUT_MS
        )
        assert verdict.lines[0][0] == (PASS if verdict.ok else FAIL)
        steps.shot(f"prediction-{guess}")
    assert verdict.ok, f"the last guess, {lesson.guesses[-1]}, should be Keras' answer"


def check_rendered(playground: Locator, lesson: Lesson) -> None:
    """Every slider, button and the plot are there, labelled in the lesson's language."""
    for key in lesson.sliders:
        slider(playground, key, lesson.lang)
    for key in lesson.buttons:
        expect(button(playground, label(key, lesson.lang))).to_be_visible()
    if lesson.toggle:
        for name in LANGUAGE_NAMES.values():
            expect(button(playground, name)).to_be_visible()
    plot_image(playground)
    expect_summary(playground, lesson, lesson.lang, expected_summary(lesson, lesson.lang))


def check_patience(playground: Locator, lesson: Lesson, steps: Steps) -> None:
    """Moving patience changes the explanation to cbteach's, and redraws the plot."""
    start = int(DEFAULTS[lesson.patience])
    before = expected_summary(lesson, lesson.lang)
    after = expected_summary(lesson, lesson.lang, **{lesson.patience: lesson.patience_to})
    assert before != after, f"patience {start} and {lesson.patience_to} say the same: move more"

    control = slider(playground, lesson.patience, lesson.lang)
    readout = control.locator(".widget-readout")
    expect(readout).to_have_text(str(start))
    image = plot_image(playground)
    src, pixels = image.get_attribute("src"), image.screenshot()
    text = explanation(playground, lesson.lang).inner_text()

    move_slider(control.locator(".noUi-handle"), lesson.patience_to - start)
    expect(readout).to_have_text(str(lesson.patience_to), timeout=UI_TIMEOUT_MS)
    expect_summary(playground, lesson, lesson.lang, after)
    expect(image, "the plot after the patience moved").not_to_have_attribute("src", src)
    image = plot_image(playground)
    assert explanation(playground, lesson.lang).inner_text() != text
    assert image.screenshot() != pixels, "the plot looks the same after the patience moved"
    steps.shot(f"patience-{lesson.patience_to}", playground)


def switch_language(playground: Locator, lesson: Lesson, lang: str, steps: Steps) -> None:
    """Press the toggle's ``lang`` button: every label, sentence and the plot follow."""
    image = plot_image(playground)
    src = image.get_attribute("src")
    button(playground, LANGUAGE_NAMES[lang]).click()
    expect_summary(playground, lesson, lang, expected_summary(lesson, lang))
    for key in lesson.sliders:
        slider(playground, key, lang)
    for key in lesson.buttons:
        expect(button(playground, label(key, lang))).to_be_visible()
    expect(image, "the plot after the language switch").not_to_have_attribute("src", src)
    plot_image(playground)
    steps.shot(f"language-{lang}", playground)


def save_docs_picture(playground: Locator, docs: Path | None, lang: str) -> None:
    """``docs/playground-<lang>.png``: the Playground alone (with CBTEACH_E2E_DOCS=1)."""
    if docs is not None:
        docs.mkdir(exist_ok=True)
        show_whole(playground)
        playground.screenshot(path=docs / f"playground-{lang}.png")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_playground_in_jupyterlab(
    lesson: Lesson, lab: tuple, page: Page, artifacts: Path, docs_dir: Path | None
) -> None:
    server, root = lab
    steps = Steps(page, artifacts / lesson.id)
    try:
        notebook = open_notebook(page, server.lab_url(lesson.path), root, lesson.path)
        steps.shot("opened")
        seconds = notebook.run_all()
        (steps.folder / "run-all-seconds.txt").write_text(f"{seconds:.1f}\n")
        steps.shot("ran-all")
        check_outputs(notebook, lesson, steps.folder)
        answer_prediction(notebook, lesson, steps)

        playground = find_playground(notebook)
        check_rendered(playground, lesson)
        steps.shot("playground", playground)
        if lesson.docs:
            save_docs_picture(playground, docs_dir, lesson.lang)
        if lesson.toggle:
            switch_language(playground, lesson, lesson.other_lang, steps)
            if lesson.docs:
                save_docs_picture(playground, docs_dir, lesson.other_lang)
            switch_language(playground, lesson, lesson.lang, steps)
        check_patience(playground, lesson, steps)
        if "retrain" in lesson.buttons:
            check_live_retrain(playground, lesson, steps)
    except Exception:
        with contextlib.suppress(Exception):  # the failure itself matters more than its picture
            steps.shot("failed")
            (steps.folder / "failed.html").write_text(page.content(), encoding="utf-8")
        raise
    finally:
        close_session(server, lesson.path)  # the next lesson gets both CPU cores
