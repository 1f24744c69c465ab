"""The end-to-end test's fixtures: one JupyterLab server, Debian's Chromium, an artifacts folder.

These tests run only with ``CBTEACH_E2E=1`` (``make e2e`` sets it): plain ``pytest`` (``make
test-unit``) does not even collect them. With it set, anything missing (Playwright,
Chromium, a server that does not start) fails the run, never skips it.

Environment: ``CBTEACH_E2E_ARTIFACTS`` (default ``e2e-artifacts/`` at the repo root) gets a
screenshot of each step, the executed notebooks and the server's log;
``CBTEACH_E2E_DOCS=1`` also writes the Playground pictures ``docs/playground-{ko,en}.png``;
``CBTEACH_CHROMIUM`` names the browser (default: ``chromium`` on PATH).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
E2E_ENV = "CBTEACH_E2E"
ARTIFACTS_ENV = "CBTEACH_E2E_ARTIFACTS"
DOCS_ENV = "CBTEACH_E2E_DOCS"
CHROMIUM_ENV = "CBTEACH_CHROMIUM"
#: The browser window: wide enough for the Playground's 1100 px plot beside the file browser.
VIEWPORT = {"width": 1400, "height": 1600}

if os.environ.get(E2E_ENV) != "1":
    collect_ignore_glob = ["test_*.py"]  # make e2e runs them (CBTEACH_E2E=1); pytest alone not
else:
    try:
        import playwright.sync_api  # noqa: F401 - fail the run here, with what to install
    except ImportError as exc:
        raise pytest.UsageError(
            f"the end-to-end test needs Playwright ({exc}): pip install -e '.[e2e]' (make e2e does)"
        ) from exc


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say why ``pytest tests/e2e`` alone collects nothing."""
    if os.environ.get(E2E_ENV) != "1":
        return "tests/e2e: not collected without CBTEACH_E2E=1 (make e2e sets it)"
    return None


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder for screenshots and logs (``$CBTEACH_E2E_ARTIFACTS``, made if missing)."""
    folder = Path(os.environ.get(ARTIFACTS_ENV) or REPO / "e2e-artifacts").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def docs_dir() -> Path | None:
    """``docs/`` when the run should refresh the README pictures (``CBTEACH_E2E_DOCS=1``)."""
    return REPO / "docs" if _truthy(DOCS_ENV) else None


@pytest.fixture(scope="session")
def lab(artifacts: Path) -> Iterator[tuple]:
    """JupyterLab on a temporary copy of ``notebooks/``: ``(server, root)``; always stopped.

    The stop must be clean (``/api/shutdown`` answered, the server exited by itself, its
    kernels gone); otherwise the teardown fails. Its log is kept among the artifacts.
    """
    from lab_server import LabStartError, alive, descendants, start_lab, stop_server

    work = Path(tempfile.mkdtemp(prefix="cbteach-e2e-"))
    root = work / "notebooks"
    shutil.copytree(REPO / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    try:
        server = start_lab(root, work)  # stopped again by itself when it does not answer
    except LabStartError as exc:
        failure = str(exc)
    else:
        failure = None
    if failure is not None:  # outside the except: the message alone, no chained traceback
        shutil.copy(work / "jupyterlab.log", artifacts / "jupyterlab.log")
        shutil.rmtree(work, ignore_errors=True)
        pytest.fail(failure, pytrace=False)
    try:
        yield server, root
    finally:
        kernels = descendants(server.process.pid)
        how = stop_server(server)
        shutil.copy(server.log_path, artifacts / "jupyterlab.log")
        left = [pid for pid in kernels if alive(pid)]
        shutil.rmtree(work, ignore_errors=True)
        assert how == "shutdown", f"JupyterLab did not stop cleanly ({how}); see its log"
        assert not left, f"processes of JupyterLab still running after its stop: {left}"


def _chromium() -> str:
    path = os.environ.get(CHROMIUM_ENV) or shutil.which("chromium")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(
            f"no Chromium to run ({path or 'chromium is not on PATH'}): run "
            "`bash tests/e2e/install_browser.sh` (make e2e does), which installs Debian's "
            "`chromium fonts-noto-cjk`, or point $CBTEACH_CHROMIUM at a Chromium",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium from Debian, driven by Playwright (which downloads no browser)."""
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh browser page (its own cookies), in Korean-capable fonts, at :data:`VIEWPORT`."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()
