"""The layout the docs describe is the layout the code has: every module listed, imports downward.

docs/MAINTAINERS.md's "Layout" table (the README links it) lists the modules so that each imports
only modules listed above it (docs/MAINTAINERS.ko.md's "구성" table the same, in the same order). These tests read the imports from
the source, so a new module, or an import that climbs the table, fails here first.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cbteach"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
ENGLISH, KOREAN = "docs/MAINTAINERS.md", "docs/MAINTAINERS.ko.md"
SECTIONS = {ENGLISH: ("## Layout", "\n## "), KOREAN: ("## 구성", "\n## ")}


def table_order(readme: str) -> list[str]:
    """The cbteach modules of a page's layout table, top to bottom."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    head, end = SECTIONS[readme]
    section = text[text.index(head) :]
    section = section[: section.index(end, len(head))]
    order = []
    for line in section.splitlines():
        if line.startswith("| `cbteach/"):
            order += re.findall(r"cbteach/(\w+)\.py", line.split(" | ")[0])
    return order


def imports_of(module: str) -> set[str]:
    """The cbteach modules ``module`` imports, at the top or inside a function."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "cbteach":
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cbteach."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("cbteach.")}
    return found & set(MODULES)


@pytest.mark.parametrize("readme", SECTIONS)
def test_every_module_is_in_the_layout_table_once(readme):
    order = table_order(readme)
    assert sorted(order) == MODULES, set(MODULES) ^ set(order)


def test_both_readmes_list_the_modules_in_the_same_order():
    assert table_order(ENGLISH) == table_order(KOREAN)


@pytest.mark.parametrize("module", MODULES)
def test_a_module_imports_only_modules_above_it(module):
    order = table_order(ENGLISH)
    above = set(order[: order.index(module)])
    assert imports_of(module) <= above, imports_of(module) - above


@pytest.mark.parametrize("module", ["events", "run", "i18n", "atomic", "playground", "retrain"])
def test_logic_modules_import_no_widgets(module):
    source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    assert "ipywidgets" not in re.findall(r"^\s*(?:import|from) (\w+)", source, re.MULTILINE)


def test_events_knows_no_keras():
    source = (PACKAGE / "events.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from) keras", source, re.MULTILINE)


@pytest.mark.parametrize("module", ["plots", "timeline", "replay", "summary", "recorded"])
def test_readers_of_a_run_never_import_training(module):
    assert "training" not in imports_of(module)
