"""The lesson as committed, and nbval-lax's comparison of a cell's outputs with it.

Used by hub_load.py: which code cells to run, which are checked (``# NBVAL_CHECK_OUTPUT``),
which may raise, which show the Playground; and the comparison nbval ``--nbval-lax`` makes
after ``notebooks/nbval_sanitize.cfg``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SANITIZE_CFG = ROOT / "notebooks" / "nbval_sanitize.cfg"
WIDGET = "application/vnd.jupyter.widget-view+json"
# nbval's skip_compare (lax mode, no nbdime): never compared.
SKIP_COMPARE = {"metadata", "traceback", "prompt_number", "output_type", "name"}
SKIP_COMPARE |= {"execution_count", WIDGET, "image/png", "image/jpeg"}


def sanitize_patterns() -> list[tuple[str, str]]:
    """The regex/replace pairs of nbval_sanitize.cfg, read as nbval reads them."""
    text = SANITIZE_CFG.read_text(encoding="utf-8")
    return re.findall(r"^regex: (.*)$\n^replace: (.*)$", text, flags=re.MULTILINE)


def markers(cell) -> set[str]:
    """nbval's comment markers and metadata tags, as lower-case names."""
    found = {tag.lower() for tag in cell.get("metadata", {}).get("tags", [])}
    for line in cell.source.splitlines():
        line = line.strip()
        if line.startswith("#"):
            comment = line.lstrip("#").strip()
            if comment.startswith("NBVAL_"):
                found.add("nbval-" + comment[6:].lower().replace("_", "-"))
    return found


def load_lesson(lesson: str) -> tuple[Path, list[dict]]:
    """The lesson file and its code cells: source, what nbval checks, committed outputs."""
    path = ROOT / "notebooks" / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        tags = markers(cell)
        if "nbval-skip" in tags:
            continue
        check = "nbval-check-output" in tags and cell.execution_count is not None
        raises = bool(tags & {"nbval-raises-exception", "raises-exception"})
        outputs = [dict(o) for o in cell.outputs]
        cells.append({"index": len(cells), "source": cell.source, "check": check, "raises": raises})
        cells[-1].update(playground="Playground(" in cell.source, outputs=outputs)
    if not any(c["playground"] for c in cells) or not any(c["check"] for c in cells):
        raise SystemExit(f"{path} needs a Playground cell and checked cells")
    return path, cells


def coalesce(outputs: list[dict]) -> list[dict]:
    """nbval's coalesce_streams: one output per stream name, \\b and \\r applied."""
    merged, streams = [], {}
    for out in outputs:
        out = dict(out)
        if out.get("output_type") == "stream":
            if out["name"] in streams:
                streams[out["name"]]["text"] += out["text"]
                continue
            streams[out["name"]] = out
        merged.append(out)
    for out in streams.values():
        old = None
        while old is None or len(out["text"]) < len(old):
            old, out["text"] = out["text"], re.sub(r"[^\n]\b", "", out["text"])
        out["text"] = re.sub(r"^.*\r(?=[^\n])", "", out["text"], flags=re.MULTILINE)
    return merged


def flatten(outputs: list[dict], patterns) -> dict[str, list]:
    """nbval's compare_outputs view: key (stream name, MIME type, ename...) -> values."""
    flat: dict[str, list] = {}
    for out in coalesce(outputs):
        if out.get("output_type") == "stream":
            out = {"output_type": "stream", out["name"]: out["text"]}
        for key, value in out.items():
            items = value.items() if key == "data" else [(key, value)]
            for name, val in items:
                if name in SKIP_COMPARE:
                    continue
                if isinstance(val, str):
                    for regex, replace in patterns:
                        val = re.sub(regex, replace, val)
                flat.setdefault(name, []).append(val)
    return flat


def judge(cell: dict, outputs: list[dict], patterns) -> list[str]:
    """Failures of one executed cell: unexpected errors, checked outputs that differ."""
    where = f"cell {cell['index']}"
    fails = []
    for out in outputs:
        if out.get("output_type") == "error" and not cell["raises"]:
            fails.append(f"{where}: {out.get('ename')}: {out.get('evalue')}"[:300])
    if cell["check"]:
        got, want = flatten(outputs, patterns), flatten(cell["outputs"], patterns)
        if got != want:
            fails.append(f"{where}: checked output differs: got {got!r:.300} want {want!r:.300}")
    if cell["playground"] and not any(WIDGET in o.get("data", {}) for o in outputs):
        fails.append(f"{where}: the Playground cell showed no widget")
    return fails
