"""The 90-minute core path: each core lesson's budget, outcomes, predictions and questions.

Lessons 00-04 each have a core notebook (``NN_name``) that a learner does in a workshop and
may have a deep dive (``NN_name_deep_dive``) that holds the quirks. A core lesson opens with
what the learner will be able to do, holds at most 1,200 English words and 12 code cells, asks
at least one prediction before the cell that answers it, and ends with 3-5 questions.
Run as a script, this file prints the table README's lessons table is made from.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CORE = ("00_setup", "01_model_checkpoint", "02_reduce_lr_on_plateau", "03_early_stopping",
        "04_all_three")  # fmt: skip
MAX_WORDS, MAX_CODE_CELLS = 1200, 12
READING_WORDS_PER_MINUTE = 180
OUTCOMES = {"en": "After this lesson you can", "ko": "이 레슨을 마치면"}
QUESTIONS = {"en": "## Questions", "ko": "## 질문"}
PREDICTION = re.compile(r"\bpredictions\.check\(|\bpredict\(")


def notebook(name: str, lang: str = "en") -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / lang / f"{name}.ipynb", as_version=4)


def words(nb: nbformat.NotebookNode) -> int:
    """Markdown words (whitespace tokens), the badge line left out."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    text = "\n".join(line for line in text.splitlines() if "colab-badge" not in line)
    return len(text.split())


def code_cells(nb: nbformat.NotebookNode) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("name", CORE)
def test_a_core_lesson_fits_its_budget(name):
    nb = notebook(name)
    assert words(nb) <= MAX_WORDS, (name, words(nb))
    assert len(code_cells(nb)) <= MAX_CODE_CELLS, (name, len(code_cells(nb)))


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("name", CORE)
def test_a_core_lesson_opens_with_outcomes_and_ends_with_questions(name, lang):
    markdown = [c.source for c in notebook(name, lang).cells if c.cell_type == "markdown"]
    assert OUTCOMES[lang] in markdown[0] or OUTCOMES[lang] in markdown[1], name
    last = next(i for i, text in reversed(list(enumerate(markdown))) if QUESTIONS[lang] in text)
    items = re.findall(r"^\d+\. ", "\n".join(markdown[last:]), re.MULTILINE)
    assert 3 <= len(items) <= 5, (name, lang, len(items))


@pytest.mark.parametrize("name", CORE)
def test_a_core_lesson_asks_a_prediction_before_its_reveal(name):
    code = [c.source for c in code_cells(notebook(name))]
    asked = [i for i, source in enumerate(code) if PREDICTION.search(source)]
    assert asked, f"{name}: no predictions.check(...) cell"
    assert asked[0] < len(code) - 1, f"{name}: the prediction is the last code cell"


def test_no_solution_is_committed_below_an_exercise():
    for lang in ("en", "ko"):
        for path in sorted((NOTEBOOKS / lang).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            for cell in code_cells(nb):
                for output in cell.get("outputs", []):
                    text = output.get("text", "") or "".join(
                        output.get("data", {}).get("text/plain", "")
                    )
                    assert not re.search(r"^✓", text, re.MULTILINE), (path.name, cell.source)


def table() -> list[tuple[str, int, int, float]]:
    """(lesson, words, code cells, reading minutes) for every English notebook."""
    rows = []
    for path in sorted((NOTEBOOKS / "en").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        rows.append(
            (path.stem, words(nb), len(code_cells(nb)), words(nb) / READING_WORDS_PER_MINUTE)
        )
    return rows


if __name__ == "__main__":
    for name, count, cells, minutes in table():
        print(f"{name:40} {count:6} words {cells:3} code cells {minutes:5.1f} min reading")
