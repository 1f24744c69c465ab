"""Generate notebooks/ko/*.ipynb and notebooks/en/*.ipynb from the one source per lesson.

    python notebooks/build.py                 # render and execute every lesson (make notebooks)
    python notebooks/build.py 02_reduce_lr    # only the lessons whose name starts so
    python notebooks/build.py --no-execute    # render only (prose edits): checked outputs carried over

A lesson's source is a jupytext "percent" script in ``notebooks/src/`` (see AUTHORING.md):
markdown cells carry ``lang="ko"`` or ``lang="en"``; code cells are shared by both languages,
and the one line ``LANGUAGE = "en"`` is rewritten to the notebook's language.

Google Colab: every notebook gets an "Open in Colab" badge under its title that opens it from
the GitHub repository ``REPOSITORY`` at the tag ``TAG`` (``v<version in pyproject.toml>``), and
its first code cell gets, right after the ``LANGUAGE`` line, three lines that only on Colab
(``"google.colab" in sys.modules``) pip-install cbteach from that same repository and tag
(``COLAB_SOURCE``), without its requirements; the cell's ``import cbteach`` then installs
those and checks the runtime (``cbteach/colab.py``). Off Colab the lines do nothing and print
nothing. ``REPOSITORY`` is a placeholder until a maintainer sets it (README, "Google Colab").

Outputs: the generated notebooks keep the outputs of checked cells only (those with
``# NBVAL_CHECK_OUTPUT``), produced by executing the notebook in the fast configuration
(``CBTEACH_FAST=1``); every other cell is stored without output, to be run by the learner.
Checked outputs are deterministic by design, so building twice gives the same files, and
``nbval --nbval-lax`` compares them with a fresh execution in the test suite.

Solutions: a markdown cell with ``solution=true`` in its metadata (AUTHORING.md, "Solutions")
never reaches the learners' notebooks. A lesson that has such cells also gets an answer key,
``notebooks/answers/{ko,en}/NN_name.ipynb``: the same lesson with its solutions shown open
(``<details>`` unfolded) and a line on top saying it is for the teacher. Its code cells are the
learner's, so it takes the learner's checked outputs and is never executed itself. The wheel
ships it; ``cbteach lessons DIR --answers`` writes it out for the teacher.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent
SOURCES = ROOT / "src"
LANGS = ("ko", "en")
LANGUAGE_LINE = re.compile(r'^LANGUAGE = "(ko|en)"$', re.MULTILINE)
CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
EXECUTE_ENV = {"CBTEACH_FAST": "1", "CBTEACH_DATA": "sample", "TF_CPP_MIN_LOG_LEVEL": "2"}
EXECUTE_ENV["CBTEACH_PROGRESS"] = "off"  # the checks run here record nothing beside the lessons
ANSI_RED, ANSI_RESET = "\x1b[0;31m", "\x1b[0m"

VERSION = re.search(
    r'^version = "([^"]+)"', (ROOT.parent / "pyproject.toml").read_text(), re.MULTILINE
)[1]
# PLACEHOLDER until a maintainer sets it (README, "Google Colab"): the GitHub repository
# (owner/name) the Colab badges open the lessons from and Colab installs cbteach from, at the
# tag TAG. The badges and Colab's install do not work before it names a real repository that
# holds the tag.
REPOSITORY = "OWNER/cbteach"
# The release the lessons ship in: the lesson opened and the package installed always match.
TAG = f"v{VERSION}"
COLAB_SOURCE = f"git+https://github.com/{REPOSITORY}@{TAG}"
COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
COLAB_BADGE_ALT = {"ko": "Colab에서 열기", "en": "Open In Colab"}
CATALOGS = ROOT.parent / "cbteach" / "locales"
ANSWERS = ROOT / "answers"
SOLUTION = "solution"  # the markdown cell metadata key (true) that marks a solution
DETAILS_OPEN = re.compile(r"<details[^>]*>\s*<summary>(.*?)</summary>", re.DOTALL)
DETAILS_CLOSE = re.compile(r"\s*</details>")


def colab_install(lang: str) -> str:
    """The three Colab lines inserted after the LANGUAGE line of a lesson's first code cell.

    Only on Colab they pip-install cbteach alone from ``COLAB_SOURCE`` (pip's output kept out of
    the notebook);
    when that fails, nothing of cbteach is on the machine yet to say so, so the third line
    raises one exception whose message is the catalog sentence ``colab.unreachable`` in the
    lesson's language (``_render_traceback_`` makes IPython show the sentence alone), and
    "Run all" stops there. The rest of the set-up runs inside ``import cbteach``.
    """
    catalog = json.loads((CATALOGS / lang / "colab.json").read_text(encoding="utf-8"))
    sentence = catalog["unreachable"].format(source=f"{REPOSITORY}@{TAG}")
    pip = f'[sys.executable, "-m", "pip", "install", "-qqq", "--no-deps", "{COLAB_SOURCE}"]'
    stop = '(Exception,), {"_render_traceback_": lambda error: [str(error)]}'
    return (
        "\nimport subprocess, sys\n"
        f'if "google.colab" in sys.modules and subprocess.run({pip}, capture_output=True).returncode:\n'
        f'    raise type("SetupError", {stop})({sentence!r})'
    )


class SourceError(ValueError):
    """A lesson source breaks one of the rules in AUTHORING.md."""


def lesson_sources(prefixes: list[str] | None = None) -> list[Path]:
    """The lesson sources, in lesson order, optionally only those whose name starts so."""
    found = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    if prefixes:
        found = [p for p in found if any(p.stem.startswith(x) for x in prefixes)]
    return found


def is_checked(cell) -> bool:
    """Whether nbval compares this cell's output (``# NBVAL_CHECK_OUTPUT`` on its own line)."""
    return cell.cell_type == "code" and any(
        line.strip() == CHECK_MARKER for line in cell.source.splitlines()
    )


def colab_url(source: Path, lang: str) -> str:
    """The address that opens the generated notebook of ``source`` in ``lang`` on Google Colab."""
    path = f"notebooks/{lang}/{source.stem}.ipynb"
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{TAG}/{path}"


def colab_badge(source: Path, lang: str) -> str:
    """The markdown "Open in Colab" badge of the generated notebook of ``source`` in ``lang``."""
    return f"[![{COLAB_BADGE_ALT[lang]}]({COLAB_BADGE_IMAGE})]({colab_url(source, lang)})"


def _with_badge(text: str, badge: str) -> str:
    """``text`` with ``badge`` under its first line when that is a heading, else on top."""
    head, _, rest = text.partition("\n")
    if not head.startswith("#"):
        return f"{badge}\n\n{text}"
    rest = rest.lstrip("\n")
    return f"{head}\n\n{badge}\n\n{rest}" if rest else f"{head}\n\n{badge}"


def _with_colab_install(code: str, where: str, lang: str) -> str:
    """The first code cell with the Colab block right after its LANGUAGE line.

    The block pip-installs cbteach before the cell imports it, so the LANGUAGE line must be in
    this cell, before every ``import``.
    """
    match = LANGUAGE_LINE.search(code)
    if match is None:
        raise SourceError(f'{where}: the first code cell must set LANGUAGE = "en"')
    if re.search(r"^\s*(import|from)\s", code[: match.start()], re.MULTILINE):
        raise SourceError(f"{where}: the LANGUAGE line must come before every import")
    return code[: match.end()] + "\n" + colab_install(lang) + code[match.end() :]


def _catalog(lang: str, name: str) -> dict:
    return json.loads((CATALOGS / lang / f"{name}.json").read_text(encoding="utf-8"))


def unfold(text: str) -> str:
    """A solution cell as the answer key shows it: each ``<details>`` open, its summary bold."""
    text = DETAILS_OPEN.sub(lambda m: f"**{m[1].strip()}**", text)
    return DETAILS_CLOSE.sub("", text).strip("\n")


def has_solutions(source: Path) -> bool:
    """Whether ``source`` holds a markdown cell marked ``solution=true``."""
    return any(c.metadata.get(SOLUTION) is True for c in jupytext.read(source).cells)


def render(source: Path, lang: str, *, answers: bool = False) -> nbformat.NotebookNode:
    """The notebook of ``source`` in ``lang``, without outputs.

    The learner's notebook leaves out every cell marked ``solution=true``; with ``answers``,
    the answer key keeps them, unfolded, and opens with the ``lessons.answers_banner`` line.
    """
    if lang not in LANGS:
        raise SourceError(f"unknown language {lang!r}")
    text = jupytext.read(source)
    cells = []
    language_lines = 0
    for number, cell in enumerate(text.cells, 1):
        where = f"{source.name}, cell {number}"
        meta = dict(cell.metadata)
        cell_lang = meta.pop("lang", None)
        solution = meta.pop(SOLUTION, False)
        if cell.cell_type == "markdown":
            if cell_lang not in LANGS:
                raise SourceError(f'{where}: a markdown cell needs lang="ko" or lang="en"')
            if solution not in (True, False):
                raise SourceError(f"{where}: write solution=true, not solution={solution!r}")
            if cell_lang != lang or (solution and not answers):
                continue
            text = unfold(cell.source) if solution else cell.source
            if solution:
                meta[SOLUTION] = True  # in the answer key: what a test or grader looks for
            if not any(c.cell_type == "markdown" for c in cells):
                top = _catalog(lang, "lessons")["answers_banner"] if answers else None
                text = _with_badge(text, top or colab_badge(source, lang))
            cells.append(nbformat.v4.new_markdown_cell(text, metadata=meta))
        elif cell.cell_type == "code":
            if solution:
                raise SourceError(f"{where}: only markdown cells can be solutions")
            if cell_lang is not None:
                raise SourceError(f"{where}: code cells are shared; remove lang={cell_lang!r}")
            code, count = LANGUAGE_LINE.subn(f'LANGUAGE = "{lang}"', cell.source)
            language_lines += count
            if not any(c.cell_type == "code" for c in cells):
                code = _with_colab_install(code, where, lang)
            cells.append(nbformat.v4.new_code_cell(code, metadata=meta))
        else:
            raise SourceError(f"{where}: unexpected {cell.cell_type} cell")
    if language_lines != 1:
        raise SourceError(f'{source.name}: needs exactly one line LANGUAGE = "en" in a code cell')
    for index, cell in enumerate(cells):
        cell["id"] = f"{source.stem[:2]}-{index:03d}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": dict(KERNEL),
        "language_info": {"name": "python"},
        "cbteach": {
            "lesson": source.stem,
            "lang": lang,
            "source": f"notebooks/src/{source.name}",
            "note": "generated by notebooks/build.py; edit the source, then run make notebooks",
        },
    }
    if answers:
        notebook.metadata["cbteach"]["answer_key"] = True
    return notebook


def target(source: Path, lang: str) -> Path:
    """Where the generated notebook of ``source`` in ``lang`` lives."""
    return ROOT / lang / f"{source.stem}.ipynb"


def answer_target(source: Path, lang: str) -> Path:
    """Where the answer key of ``source`` in ``lang`` lives (only for a lesson with solutions)."""
    return ANSWERS / lang / f"{source.stem}.ipynb"


def render_answers(source: Path, lang: str) -> nbformat.NotebookNode:
    """The answer key as committed: the learner's checked outputs, solutions shown open."""
    notebook = carry_outputs(render(source, lang, answers=True), target(source, lang))
    return keep_checked_outputs(notebook)


def build_answers(source: Path, lang: str) -> Path | None:
    """Write the answer key of ``source`` in ``lang`` (or remove a stale one); its path or None.

    Run after the learner's notebook is written: the answer key carries its checked outputs.
    """
    path = answer_target(source, lang)
    if not has_solutions(source):
        path.unlink(missing_ok=True)
        return None
    write(render_answers(source, lang), path)
    return path


def _clean_output(output: dict, count: int) -> dict:
    output = dict(output)
    if "execution_count" in output:
        output["execution_count"] = count
    if "metadata" in output:
        output["metadata"] = {}
    if output.get("output_type") == "error":  # keep the last line, not machine-specific paths
        output["traceback"] = [f"{ANSI_RED}{output['ename']}{ANSI_RESET}: {output['evalue']}"]
    if output.get("output_type") in ("display_data", "execute_result"):
        images = [k for k in output.get("data", {}) if k.startswith("image/")]
        if images:
            raise SourceError("a checked cell must not draw: images differ between machines")
        output["data"] = {k: v for k, v in output["data"].items() if "widget" not in k}
    return nbformat.from_dict(output)


def _merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how a stream is cut up depends on timing."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.get("output_type") == "stream"
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            text = "".join(previous["text"]) + "".join(output["text"])
            merged[-1] = nbformat.v4.new_output("stream", name=output["name"], text=text)
        else:
            merged.append(output)
    return merged


def keep_checked_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop every output except those of checked cells.

    A checked cell keeps an execution count (nbval skips cells that look unrun): its place
    among the code cells, which is what a top-to-bottom run gives. Other cells have none.
    """
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for count, cell in enumerate(code_cells, 1):
        checked = is_checked(cell)
        cell.execution_count = count if checked else None
        outputs = _merge_streams(cell.outputs) if checked else []
        cell.outputs = [_clean_output(o, count) for o in outputs]
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def execute(notebook: nbformat.NotebookNode, timeout: int = 900) -> nbformat.NotebookNode:
    """Run ``notebook`` top to bottom in a fresh kernel, in the fast configuration."""
    from nbclient import NotebookClient

    saved = {k: os.environ.get(k) for k in [*EXECUTE_ENV, "CBTEACH_OUT", "CBTEACH_LANG"]}
    with tempfile.TemporaryDirectory(prefix="cbteach-build-") as work:
        os.environ.update(EXECUTE_ENV)
        os.environ["CBTEACH_OUT"] = str(Path(work) / "out")
        os.environ.pop("CBTEACH_LANG", None)
        try:
            client = NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": work}},
            )
            client.execute()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return notebook


def write(notebook: nbformat.NotebookNode, path: Path) -> None:
    """Write atomically: a complete notebook or the previous one, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    nbformat.write(notebook, tmp)
    tmp.replace(path)


def carry_outputs(notebook: nbformat.NotebookNode, previous: Path) -> nbformat.NotebookNode:
    """Copy the stored outputs of checked cells whose code did not change from ``previous``.

    For edits to the prose only (``--no-execute``): the checked outputs stay, and a checked
    cell whose code changed is left empty, which ``tests/test_notebooks.py`` reports.
    """
    if not previous.exists():
        return notebook
    old = nbformat.read(previous, as_version=4)
    stored = {c.source: c.outputs for c in old.cells if c.cell_type == "code" and is_checked(c)}
    for cell in notebook.cells:
        if is_checked(cell) and cell.source in stored:
            cell.outputs = stored[cell.source]
    return notebook


def build(source: Path, lang: str, *, run: bool = True) -> Path:
    """Render (and, with ``run``, execute) one notebook and write it; returns its path.

    Without ``run``, checked cells whose code is unchanged keep their stored outputs.
    """
    notebook = render(source, lang)
    path = target(source, lang)
    notebook = execute(notebook) if run else carry_outputs(notebook, path)
    write(keep_checked_outputs(notebook), path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="name prefixes, e.g. 00 or 02_reduce")
    parser.add_argument(
        "--no-execute", action="store_true", help="render only; keep stored checked outputs"
    )
    parser.add_argument("--lang", choices=LANGS, action="append", help="default: both")
    args = parser.parse_args(argv)
    sources = lesson_sources(args.lessons)
    if not sources:
        parser.error(f"no lesson in {SOURCES} matches {args.lessons}")
    for source in sources:
        for lang in args.lang or LANGS:
            start = time.perf_counter()
            path = build(source, lang, run=not args.no_execute)
            took = time.perf_counter() - start
            print(f"{path.relative_to(ROOT.parent)}  ({took:.0f} s)", flush=True)
            key = build_answers(source, lang)
            if key is not None:
                print(f"{key.relative_to(ROOT.parent)}  (answer key)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
