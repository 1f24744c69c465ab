"""One lesson notebook open in JupyterLab, driven through the page as a learner drives it.

Every wait is bounded and fails with a message that says what it waited for: the kernel, the
cell still running, the save.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

#: How long a notebook may take to open with its kernel idle.
OPEN_TIMEOUT_S = 90.0
#: How long Run All may take for one lesson (the fast plan runs one in about 15-30 s).
RUN_ALL_TIMEOUT_S = 300.0
#: How long a save may take to reach the disk.
SAVE_TIMEOUT_S = 30.0
#: Run All has stopped early when the kernel stays idle this long with cells left unrun.
STALL_S = 5.0
_POLL_S = 0.5

_KERNEL_STATUS = '.jp-StatusBar-TextItem[title^="Change kernel"]'
_IDLE = re.compile(r"\|\s*Idle$")
_TRACEBACK = "Traceback (most recent call last)"

_PROMPTS_JS = "els => els.map(e => (e.textContent || '').trim())"


class NotebookError(AssertionError):
    """The notebook did not open, run, or save as a learner would see it do."""


@dataclass
class NotebookPage:
    """``path`` (relative to the server's root ``root``) open in JupyterLab on ``page``."""

    page: Page
    root: Path
    path: str

    @property
    def panel(self) -> Locator:
        """The notebook's panel: the one shown (other tabs' panels are hidden)."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")

    @property
    def file(self) -> Path:
        """The notebook file the server reads and writes."""
        return self.root / self.path

    def cell_label(self, index: int) -> str:
        """``code cell 7 (`early = keras.callbacks.EarlyStopping(...`)``, for messages."""
        cells = [c for c in json.loads(self.file.read_text())["cells"] if c["cell_type"] == "code"]
        if index >= len(cells):
            return f"code cell {index + 1}"
        lines = "".join(cells[index]["source"]).splitlines()
        first = next((x for x in lines if x.strip() and not x.startswith("#")), "")
        return f"code cell {index + 1} of {len(cells)} (`{first[:70]}`)"

    # ------------------------------------------------------------------ opening
    def kernel_status(self) -> str:
        """The status bar's kernel item, e.g. ``Python 3 (ipykernel) | Idle``."""
        item = self.page.locator(_KERNEL_STATUS)
        return item.first.inner_text().strip() if item.count() else "(no kernel status yet)"

    def wait_for_kernel(self, timeout: float = OPEN_TIMEOUT_S) -> None:
        """Wait until the notebook shows its kernel idle, and still idle a moment later.

        JupyterLab may start a second kernel while it opens a notebook and drop the first;
        cells run before that would go to the dropped kernel.
        """
        deadline = time.monotonic() + timeout
        idle_since = None
        while True:
            status = self.kernel_status()
            now = time.monotonic()
            if _IDLE.search(status):
                idle_since = idle_since or now
                if now - idle_since >= 2.0:
                    return
            else:
                idle_since = None
            if now >= deadline:
                raise NotebookError(
                    f"{self.path}: the kernel was not idle within {timeout:g} s "
                    f"(status bar: {status!r})"
                )
            time.sleep(_POLL_S)

    # ------------------------------------------------------------------ running
    def prompts(self) -> list[str]:
        """Each code cell's input prompt: ``[ ]:``, ``[*]:`` or ``[12]:`` (textContent: cells
        scrolled out of view still count)."""
        return self.panel.locator(".jp-CodeCell .jp-InputPrompt").evaluate_all(_PROMPTS_JS)

    def menu(self, menu: str, command: str) -> None:
        """Open the menu bar's ``menu`` and click the item of JupyterLab's ``command``."""
        self.page.get_by_role("menuitem", name=menu, exact=True).click()
        self.page.locator(f'.lm-Menu-item[data-command="{command}"]').click()

    def run_all(self, timeout: float = RUN_ALL_TIMEOUT_S) -> float:
        """Run > Run All Cells, and wait until every code cell has run; the seconds it took.

        The notebook's kernel is fresh, so done means the prompts read ``[1]:`` to ``[N]:``
        (the committed notebook's own numbers do not count). Fails naming the cell still
        running after ``timeout``, or the first cell left unrun when the kernel went idle
        early (Run All stops at an error in a cell not tagged raises-exception).
        """
        started = time.monotonic()
        self.menu("Run", "runmenu:run-all")  # "Run All Cells"
        stalled_since = None
        while True:
            prompts = self.prompts()
            idle = bool(_IDLE.search(self.kernel_status()))
            running = [i for i, p in enumerate(prompts) if "*" in p]
            unrun = [i for i, p in enumerate(prompts) if p != f"[{i + 1}]:"]
            now = time.monotonic()
            if prompts and not unrun and idle:
                return now - started
            stalled_since = (stalled_since or now) if idle and not running else None
            if stalled_since is not None and now - stalled_since >= STALL_S:
                raise NotebookError(
                    f"{self.path}: Run All stopped with {len(unrun)} of {len(prompts)} code "
                    f"cells not run, from {self.cell_label(unrun[0])}; error outputs on the "
                    f"page:\n{self.error_texts()}"
                )
            if now - started >= timeout:
                where = self.cell_label(running[0]) if running else "no cell marked [*]"
                raise NotebookError(
                    f"{self.path}: Run All did not finish within {timeout:g} s; still running: "
                    f"{where}; {len(unrun)} of {len(prompts)} code cells not done"
                )
            time.sleep(_POLL_S)

    def error_outputs(self) -> Locator:
        """The error outputs on the page (tracebacks, as JupyterLab renders them)."""
        return self.panel.locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
            has_text=_TRACEBACK,
        )

    def error_texts(self, chars: int = 400) -> str:
        """The first ``chars`` characters of each error output on the page."""
        texts = self.error_outputs().evaluate_all("els => els.map(e => e.textContent)")
        return "\n---\n".join(t[:chars] for t in texts) or "(none)"

    # ------------------------------------------------------------------ saving
    def saved(self) -> dict | None:
        """The notebook on disk, if it shows the run (None while not, or while being written)."""
        try:
            notebook = json.loads(self.file.read_text(encoding="utf-8"))
        except ValueError:  # read while the server writes it
            return None
        return notebook if _ran_in_order(notebook) else None

    def save(self, timeout: float = SAVE_TIMEOUT_S) -> dict:
        """File > Save Notebook; the notebook as written, once the file shows the run.

        The run shows as execution counts 1 to N: the committed file has numbers of its own.
        """
        self.menu("File", "docmanager:save")  # "Save Notebook"
        deadline = time.monotonic() + timeout
        while True:
            notebook = self.saved()
            if notebook is not None:
                return notebook
            if time.monotonic() >= deadline:
                raise NotebookError(
                    f"{self.path}: the saved file did not show every code cell run within "
                    f"{timeout:g} s of File > Save Notebook"
                )
            time.sleep(_POLL_S)


def _ran_in_order(notebook: dict) -> bool:
    """Its code cells hold execution counts 1 to N: one fresh kernel ran them all, in order."""
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    return [c.get("execution_count") for c in code] == list(range(1, len(code) + 1))


def open_notebook(page: Page, url: str, root: Path, path: str) -> NotebookPage:
    """Open ``url`` (the notebook's JupyterLab address) and wait for its idle kernel."""
    page.goto(url)
    notebook = NotebookPage(page, root, path)
    expect(notebook.panel, f"{path} open in JupyterLab").to_have_count(
        1, timeout=OPEN_TIMEOUT_S * 1000
    )
    notebook.wait_for_kernel()
    return notebook


def unexpected_errors(ran: dict, committed: dict) -> list[str]:
    """What is wrong with the error outputs of ``ran`` (empty when nothing is).

    A cell tagged ``raises-exception`` must fail as its committed output does (same error
    type: the lesson shows Keras' own error on purpose; a tagged cell with no stored error
    may fail or not); any other cell must not fail.
    """
    problems = []
    code_ran = [c for c in ran["cells"] if c["cell_type"] == "code"]
    code_committed = [c for c in committed["cells"] if c["cell_type"] == "code"]
    for index, (cell, kept) in enumerate(zip(code_ran, code_committed, strict=True), 1):
        errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
        expected = [o["ename"] for o in kept.get("outputs", []) if o["output_type"] == "error"]
        got = [o["ename"] for o in errors]
        tagged = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        if not tagged and errors:
            first = errors[0]
            problems.append(f"code cell {index}: {first['ename']}: {first['evalue'][:200]}")
        elif tagged and expected and got != expected:
            problems.append(f"code cell {index} (raises-exception): expected {expected}, got {got}")
    return problems
