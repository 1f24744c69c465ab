"""The workbook: generated notebooks match their one source, both languages share their code.

nbval itself (``make test-notebooks``) executes the notebooks; these tests check what can be
checked without a kernel, plus one small nbval run proving that a checked cell whose output
changed does fail.
"""

from __future__ import annotations

import importlib.util
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = (
    "00_setup",
    "00_setup_deep_dive",
    "01_model_checkpoint",
    "01_model_checkpoint_deep_dive",
    "02_reduce_lr_on_plateau",
    "02_reduce_lr_on_plateau_deep_dive",
    "03_early_stopping",
    "03_early_stopping_deep_dive",
    "04_all_three",
    "04_all_three_deep_dive",
    "05_exercises",
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MARKERS = {"# NBVAL_CHECK_OUTPUT", "# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP"}
PLOTTING = ("plot_run(", "plot_lr(", "plot_compare(", "plt.subplots(", "plt.figure(")


def _load_build():
    spec = importlib.util.spec_from_file_location("cbteach_notebook_build", NOTEBOOKS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()
SOURCES = build.lesson_sources()
PAIRS = [(s, lang) for s in SOURCES for lang in build.LANGS]


def _ids(pairs):
    return [f"{s.stem}-{lang}" for s, lang in pairs]


def _committed(source: Path, lang: str) -> nbformat.NotebookNode:
    path = build.target(source, lang)
    assert path.exists(), f"{path} is missing: run `make notebooks`"
    return nbformat.read(path, as_version=4)


def test_the_lessons_exist_in_order():
    assert [s.stem for s in SOURCES] == list(LESSONS)
    for lang in build.LANGS:
        generated = sorted(p.stem for p in (NOTEBOOKS / lang).glob("*.ipynb"))
        assert generated == list(LESSONS), f"stray or missing notebooks in notebooks/{lang}"


@pytest.mark.parametrize(("source", "lang"), PAIRS, ids=_ids(PAIRS))
def test_committed_notebook_is_what_the_source_generates(source, lang):
    expected = build.render(source, lang)
    committed = _committed(source, lang)
    assert committed.metadata["cbteach"] == expected.metadata["cbteach"]
    assert len(committed.cells) == len(expected.cells), "run `make notebooks`"
    for number, (have, want) in enumerate(zip(committed.cells, expected.cells), 1):
        where = f"{build.target(source, lang).name} cell {number}: run `make notebooks`"
        assert have.cell_type == want.cell_type, where
        assert have.source == want.source, where
        assert have.metadata == want.metadata, where
        assert have.get("id") == want.get("id"), where


@pytest.mark.parametrize(("source", "lang"), PAIRS, ids=_ids(PAIRS))
def test_rebuilding_without_a_kernel_changes_nothing(source, lang):
    """`build.py --no-execute` (prose edits) reproduces the committed file byte for byte."""
    path = build.target(source, lang)
    rebuilt = build.keep_checked_outputs(build.carry_outputs(build.render(source, lang), path))
    assert nbformat.writes(rebuilt).rstrip("\n") == path.read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize(("source", "lang"), PAIRS, ids=_ids(PAIRS))
def test_only_checked_cells_keep_outputs(source, lang):
    code_cells = [c for c in _committed(source, lang).cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, 1):
        if build.is_checked(cell):
            assert cell.outputs, f"checked code cell {number} has no stored output"
            assert cell.execution_count == number
            kinds = {k for o in cell.outputs for k in o.get("data", {})}
            assert not any(k.startswith("image/") for k in kinds), "a checked cell draws"
        else:
            assert not cell.outputs, f"code cell {number} is not checked but stores output"
            assert cell.execution_count is None


def _code_without_colab_lines(source: Path, lang: str) -> list[str]:
    """The code cells as rendered in ``lang``, the build's Colab lines (in ``lang``) left out."""
    code = [c.source for c in build.render(source, lang).cells if c.cell_type == "code"]
    code[0] = code[0].replace(build.colab_install(lang), "", 1)
    return code


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_both_languages_run_the_same_code(source):
    ko_code, en_code = (_code_without_colab_lines(source, lang) for lang in build.LANGS)
    assert len(ko_code) == len(en_code)
    differing = [(a, b) for a, b in zip(ko_code, en_code) if a != b]
    assert len(differing) == 1, "only the cell with the LANGUAGE line may differ"
    a, b = differing[0]
    assert a.replace('LANGUAGE = "ko"', 'LANGUAGE = "en"') == b
    assert 'LANGUAGE = "ko"' in a and "workbook.start(LANGUAGE)" in a


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_markdown_comes_in_korean_english_pairs(source):
    import jupytext

    cells = jupytext.read(source).cells
    langs = [c.metadata.get("lang") for c in cells if c.cell_type == "markdown"]
    assert langs == ["ko", "en"] * (len(langs) // 2), "each Korean cell is followed by its English"
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        if cell.metadata["lang"] == "ko":
            assert HANGUL.search(cell.source), f"Korean cell without Korean: {cell.source[:60]!r}"
        else:
            assert not HANGUL.search(cell.source), f"Hangul in English: {cell.source[:60]!r}"


def _code_text_problems(code: str) -> list[str]:
    problems = []
    if HANGUL.search(code):
        problems.append("Hangul in a code cell")
    if code.lstrip().startswith("%"):
        return problems
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT and token.string.strip() not in MARKERS:
            problems.append(f"comment {token.string!r}: move the words into the markdown")
        if token.type == tokenize.STRING:
            words = re.findall(r"[A-Za-z]{2,}", token.string)
            if len(words) >= 4 and " " in token.string:
                problems.append(f"sentence-like string {token.string[:50]!r}")
    return problems


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_code_cells_hold_no_sentences(source):
    """Words a learner reads live in markdown (both languages) or cbteach's catalog, not code."""
    problems = []
    for code in _code_without_colab_lines(source, "en"):  # the Colab lines come from a catalog
        problems += _code_text_problems(code)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_cells_follow_the_nbval_conventions(source):
    for cell in build.render(source, "en").cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.strip().splitlines()
        tags = cell.metadata.get("tags", [])
        if "raises-exception" in tags:
            assert build.is_checked(cell), f"an error cell must be checked: {lines[:2]}"
        if any(p in cell.source for p in PLOTTING):
            assert lines[-1] == "plt.show()", f"a plotting cell ends with plt.show(): {lines[:2]}"
            assert not build.is_checked(cell)
        if "train(" in cell.source and "def " not in cell.source:
            assert not build.is_checked(cell), "training output varies: mark it ignored"


def test_the_first_code_cell_sets_the_language():
    for source in SOURCES:
        first = next(c for c in build.render(source, "ko").cells if c.cell_type == "code")
        assert 'LANGUAGE = "ko"' in first.source, source.name


def test_render_refuses_a_broken_source(tmp_path):
    source = tmp_path / "09_broken.py"
    source.write_text('# %% [markdown]\n# no language\n\n# %%\nLANGUAGE = "en"\n')
    with pytest.raises(build.SourceError, match="lang="):
        build.render(source, "en")
    source.write_text('# %% [markdown] lang="en"\n# text\n\n# %%\nx = 1\n')
    with pytest.raises(build.SourceError, match="LANGUAGE"):
        build.render(source, "en")


def test_readmes_link_every_lesson_in_order():
    for readme, lang in (("README.md", "en"), ("README.ko.md", "ko")):
        text = (ROOT / readme).read_text(encoding="utf-8")
        positions = [text.find(f"notebooks/{lang}/{lesson}.ipynb") for lesson in LESSONS]
        assert all(p >= 0 for p in positions), f"{readme} must link every {lang} lesson"
        assert positions == sorted(positions), f"{readme} lists the lessons out of order"


def _notebook(printed: str, expected: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(f"# NBVAL_CHECK_OUTPUT\nprint({printed!r})")
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=expected + "\n")]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = dict(build.KERNEL)
    return notebook


@pytest.mark.parametrize(("printed", "passes"), [("at 0x7f3a10", True), ("epoch 8", False)])
def test_nbval_compares_checked_cells(tmp_path, printed, passes):
    """The same flags as `make test-notebooks`: a changed claim fails, an address does not."""
    path = tmp_path / "claim.ipynb"
    nbformat.write(_notebook(printed, "at 0x55d2e0" if passes else "epoch 7"), path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(NOTEBOOKS / "nbval_sanitize.cfg"),
            "-p",
            "no:cacheprovider",
            "-q",
            str(path),
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert (result.returncode == 0) == passes, result.stdout[-2000:]


def test_makefile_runs_nbval_on_both_languages():
    makefile = (ROOT / "Makefile").read_text()
    assert "notebooks/ko notebooks/en" in makefile
    assert "CBTEACH_FAST=1" in makefile
    test_line = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "test-notebooks" in test_line


def test_sanitizer_file_parses():
    import configparser

    parser = configparser.ConfigParser()
    parser.read(NOTEBOOKS / "nbval_sanitize.cfg")
    for section in parser.sections():
        re.compile(parser[section]["regex"])
    assert len(parser.sections()) >= 3


# ------------------------------------------------------------------ the answer key
KEYED = [s for s in SOURCES if build.has_solutions(s)]
KEYED_PAIRS = [(s, lang) for s in KEYED for lang in build.LANGS]
SUMMARY = re.compile(r"<summary>\s*(풀이|Solution)", re.IGNORECASE)
FENCED = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _solution_cells(notebook: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in notebook.cells if c.metadata.get(build.SOLUTION) is True]


def test_the_lessons_with_exercises_have_an_answer_key_and_no_other_does():
    assert [s.stem for s in KEYED] == ["00_setup", "04_all_three", "05_exercises"]
    for lang in build.LANGS:
        found = sorted(p.stem for p in (build.ANSWERS / lang).glob("*.ipynb"))
        assert found == [s.stem for s in KEYED], f"stray or missing answer keys in {lang}"


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_every_folded_solution_is_marked_as_one(source):
    """A `<details>` that says Solution / 풀이 must be a `solution=true` cell (AUTHORING.md)."""
    import jupytext

    for cell in jupytext.read(source).cells:
        if cell.cell_type == "markdown" and SUMMARY.search(cell.source):
            assert cell.metadata.get(build.SOLUTION) is True, cell.source[:80]


@pytest.mark.parametrize(("source", "lang"), KEYED_PAIRS, ids=_ids(KEYED_PAIRS))
def test_a_learners_notebook_holds_no_solution_and_the_answer_key_holds_them_all(source, lang):
    key = nbformat.read(build.answer_target(source, lang), as_version=4)
    solutions = _solution_cells(key)
    assert solutions and key.metadata["cbteach"]["answer_key"] is True
    learner = build.target(source, lang).read_text(encoding="utf-8")
    shown = "\n".join(c.source for c in _committed(source, lang).cells)
    for text in solutions:
        assert "<details" not in text, "the answer key shows its solutions open"
        for code in FENCED.findall(text) or [text]:
            assert code not in shown, f"solution text in the learner's notebook: {code[:60]!r}"
    assert '"solution"' not in learner
    learner_code = [c.source for c in _committed(source, lang).cells if c.cell_type == "code"]
    assert [c.source for c in key.cells if c.cell_type == "code"] == learner_code


@pytest.mark.parametrize(("source", "lang"), KEYED_PAIRS, ids=_ids(KEYED_PAIRS))
def test_the_committed_answer_key_is_what_the_source_generates(source, lang):
    path = build.answer_target(source, lang)
    rebuilt = nbformat.writes(build.render_answers(source, lang)).rstrip("\n")
    assert rebuilt == path.read_text(encoding="utf-8").rstrip("\n"), "run `make notebooks`"


def test_both_answer_keys_hold_the_same_solution_code():
    for source in KEYED:
        ko, en = (
            [FENCED.findall(t) for t in _solution_cells(build.render(source, lang, answers=True))]
            for lang in build.LANGS
        )
        assert ko == en, source.stem


def test_render_refuses_a_solution_that_is_code(tmp_path):
    source = tmp_path / "09_broken.py"
    source.write_text('# %% [markdown] lang="en"\n# text\n\n# %% solution=true\nLANGUAGE = "en"\n')
    with pytest.raises(build.SourceError, match="only markdown cells"):
        build.render(source, "en")


def _lesson_05_solutions(lang: str = "en") -> dict[str, str]:
    """The code of lesson 05's solutions in the answer key, by the check they answer."""
    key = nbformat.read(build.answer_target(SOURCES[-1], lang), as_version=4)
    codes = [code for text in _solution_cells(key) for code in FENCED.findall(text)]
    checks = ("check_early_stopping", "check_lr_plateau", "check_checkpoint", "check_team",
              "check_trained")  # fmt: skip
    assert len(codes) == len(checks)
    return dict(zip(checks, codes))


def test_the_answer_keys_solved_exercises_pass_their_checks(sample, tmp_path, monkeypatch):
    """Lesson 05's solutions, run as the teacher's answer key shows them, pass every check."""
    import dataclasses
    import types

    import keras

    import cbteach
    from cbteach import exercises, workbook
    from cbteach.training import train

    monkeypatch.setenv("CBTEACH_PROGRESS", "off")
    monkeypatch.setenv("CBTEACH_OUT", str(tmp_path / "out"))
    data = dataclasses.replace(sample, x_train=sample.x_train[:512], y_train=sample.y_train[:512])
    plan = types.SimpleNamespace(train_args={"model": "mlp", "epochs": 12, "seed": 0})
    names = {"cbteach": cbteach, "keras": keras, "workbook": workbook, "train": train}
    names |= {"data": data, "plan": plan}
    answers = {
        "check_early_stopping": "es_answer",
        "check_lr_plateau": "rlr_answer",
        "check_checkpoint": "checkpoint_answer",
        "check_team": "team_answer",
        "check_trained": "trained_answer",
    }
    for check, code in _lesson_05_solutions().items():
        exec(compile(code, f"answer key, {check}", "exec"), names)  # noqa: S102 (our own key)
        given = (
            [names[answers[check]], data] if check == "check_trained" else [names[answers[check]]]
        )
        verdict = getattr(exercises, check)(*given)
        assert verdict.ok, f"{check}: {verdict}"


# ------------------------------------------------------------------ the teacher's page
TEACHING = {"en": ROOT / "TEACHING.md", "ko": ROOT / "TEACHING.ko.md"}


@pytest.mark.parametrize("lang", build.LANGS)
def test_teaching_names_every_prediction_and_is_linked_from_its_readme(lang):
    text = TEACHING[lang].read_text(encoding="utf-8")
    asked = []
    for source in SOURCES:
        if "deep_dive" not in source.stem:
            code = "\n".join(c.source for c in _committed(source, lang).cells)
            asked += re.findall(r'predictions\.check\(\s*"(\w+)"', code)
    assert len(asked) >= 5
    missing = [name for name in asked if f"`{name}`" not in text]
    assert not missing, f"{TEACHING[lang].name} does not name {missing}"
    assert "--answers" in text and "cbteach progress" in text
    readme = ROOT / ("README.md" if lang == "en" else "README.ko.md")
    assert f"]({TEACHING[lang].name})" in readme.read_text(encoding="utf-8")


def _outline(path: Path) -> list[int]:
    """The heading levels of a Markdown page, code blocks left out."""
    levels, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        fenced ^= line.startswith("```")
        if line.startswith("#") and not fenced:
            levels.append(len(line) - len(line.lstrip("#")))
    return levels


BILINGUAL_PAGES = ["TEACHING", "README"]
BILINGUAL_PAGES += [f"docs/{n}" for n in ("MAINTAINERS", "PERFORMANCE", "CLASSROOM", "BACKENDS")]
BILINGUAL_PAGES += ["docs/CLOUD"]


@pytest.mark.parametrize("page", BILINGUAL_PAGES)
def test_each_page_has_the_same_outline_in_both_languages(page):
    assert _outline(ROOT / f"{page}.md") == _outline(ROOT / f"{page}.ko.md")
