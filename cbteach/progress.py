"""Who answered what: each verdict appended to a file in the lesson folder, read back by the teacher.

The learner's side: every ``exercises.check_*`` and ``predictions.check`` verdict is appended,
as one JSON line, to ``cbteach-progress.jsonl`` in the kernel's working folder (the notebook's
folder on JupyterLab, JupyterHub and Colab): the lesson, the exercise, ``pass`` or ``fail``,
the attempt number, the time (UTC) and the catalog keys of the ✗ lines (what went wrong).
The file is rewritten whole through :func:`cbteach.atomic.write_atomically`, so a killed
kernel never leaves half a line. Recording never stands in the lesson's way: in a read-only
folder, or with a file it cannot use, the check still returns its verdict and one quiet
line says, once per kernel, that progress is not being recorded. A guess not yet written
(``✎``) is no answer and is not recorded. ``CBTEACH_PROGRESS`` names another folder, or
``off``.

The teacher's side: :func:`read_class` reads one folder per learner (every home on a hub)
and :func:`matrix`, :func:`to_csv` and :func:`common_mistakes` say who finished which
exercise and which wrong answers were common, in the teacher's language. A learner's folder
is not trusted: at most :data:`MAX_BYTES` and :data:`MAX_LINES` are read per learner, from at
most :data:`MAX_FILES` files, a symbolic link is refused, nothing outside the folder is
opened, and a damaged or edited file is reported as such (:class:`Learner`'s ``problems``),
never raised: a class of 30 is read in well under a second, whatever its folders hold.

Example:

>>> learners = read_class(["/home/learner01", "/home/learner02"])  # doctest: +SKIP
>>> print("\\n".join(matrix(learners, "en")))  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from cbteach import i18n
from cbteach.atomic import write_atomically, write_text

__all__ = [
    "FILE_NAME",
    "MAX_BYTES",
    "Learner",
    "common_mistakes",
    "matrix",
    "read_class",
    "read_learner",
    "record",
    "recorded",
    "report",
    "to_csv",
]

FILE_NAME = "cbteach-progress.jsonl"
ENV = "CBTEACH_PROGRESS"  # another folder for the file, or "off"
MAX_BYTES = 256 * 1024
"""The most bytes read per learner (about 1,500 answers; a workshop makes about 100)."""
MAX_LINES = 4000
"""The most lines parsed per learner."""
MAX_FILES = 8
"""The most progress files read per learner (a lesson folder per language, a few copies)."""
MAX_DEPTH = 4
"""How deep under a learner's folder the teacher's command looks (home/cbteach/notebooks/ko)."""
MAX_ENTRIES = 5000
"""The most folder entries looked at per learner while searching for progress files."""
MARKS = {"pass": "✓", "fail": "✗", None: "·"}

_NAME = re.compile(r"^[a-z0-9_]{1,40}$")
_LESSON = re.compile(r"^[0-9]{2}$")
_MAX_ATTEMPT = 1_000_000
_MAX_WRONG = 40
_warned = False


# ----------------------------------------------------------------------------- the learner's side


def folder() -> Path | None:
    """The folder the progress file goes in: ``CBTEACH_PROGRESS``, else the working folder.

    Example:

    >>> os.environ[ENV] = "off"; folder() is None
    True
    """
    chosen = os.environ.get(ENV, "").strip()
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    return Path(chosen) if chosen else Path.cwd()


def record(lesson: str, exercise: str, check):
    """Append ``check``'s verdict to the progress file; return ``check`` unchanged. Never raises.

    Args:
        lesson: the lesson, e.g. ``"05"``.
        exercise: the exercise or question, e.g. ``"ex1"`` or ``"es_stop"``.
        check: a :class:`~cbteach.judging.Check`; its ``ok`` and ``wrong`` (the keys of its ✗
            lines) are recorded. One that neither passed nor names a wrong answer (a guess
            not yet written) is not an answer and is not recorded.

    Example:

    >>> from cbteach.judging import Check
    >>> record("05", "ex1", Check(True, ["✓ Passed."])).ok  # doctest: +SKIP
    True
    """
    try:
        wrong = [str(key) for key in getattr(check, "wrong", ())][:_MAX_WRONG]
        where = folder() if check.ok or wrong else None
        if where is not None:
            where.mkdir(parents=True, exist_ok=True)
            _append(where / FILE_NAME, lesson, exercise, "pass" if check.ok else "fail", wrong)
    except Exception:  # noqa: BLE001 - recording must never break the lesson
        _warn_once()
    return check


def recorded(
    lesson: str = "",
    exercise: str = "",
    *,
    by: Callable[..., tuple[str, str]] | None = None,
) -> Callable:
    """Decorate a check so that its verdict is recorded (:func:`record`).

    Args:
        lesson: the lesson, e.g. ``"05"``.
        exercise: the exercise, e.g. ``"ex1"``.
        by: instead of the two, a function of the check's arguments that returns
            ``(lesson, exercise)`` (a prediction's lesson depends on its question).

    Example:

    >>> @recorded(lesson="05", exercise="ex1")
    ... def check_something(answer, lang=None): ...
    """

    def decorate(check_function: Callable) -> Callable:
        @functools.wraps(check_function)
        def checked(*args, **kwargs):
            verdict = check_function(*args, **kwargs)
            try:
                where = by(*args, **kwargs) if by is not None else (lesson, exercise)
            except Exception:  # noqa: BLE001 - recording must never break the lesson
                return verdict
            return record(*where, verdict)

        return checked

    return decorate


def _append(path: Path, lesson: str, exercise: str, verdict: str, wrong: list[str]) -> None:
    old = b""
    if path.is_symlink():
        path.unlink()  # written as a plain file from now on
    elif path.exists():
        with open(path, "rb") as file:
            old = file.read(MAX_BYTES + 1)
        if len(old) > MAX_BYTES:
            raise OSError("progress file full")
        if old and not old.endswith(b"\n"):
            old += b"\n"
    attempt = 1 + sum(
        1
        for entry in _entries(old)
        if entry.get("lesson") == lesson and entry.get("exercise") == exercise
    )
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    entry = {"lesson": lesson, "exercise": exercise, "verdict": verdict, "attempt": attempt}
    entry.update(time=now, wrong=wrong)
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    write_atomically(str(path), lambda temporary: Path(temporary).write_bytes(old + line))


def _entries(data: bytes) -> Iterable[dict]:
    for raw in data.splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if isinstance(entry, dict):
            yield entry


def _warn_once() -> None:
    global _warned
    if not _warned:
        _warned = True
        print(i18n.t("progress.not_recorded", file=FILE_NAME))


# ----------------------------------------------------------------------------- the teacher's side


@dataclass
class Learner:
    """One learner's answers as read from their folder, and what was wrong with the files.

    Args:
        name: the learner's name in the report (the folder's name).
        folder: the folder given.
        answers: per ``(lesson, exercise)``, the verdicts in attempt order (``"pass"`` or
            ``"fail"``) and the keys of the wrong answers.
        problems: ``(catalog key, values)`` for each problem with the files.
        bytes_read: bytes read from the learner's files (at most :data:`MAX_BYTES` + 1).
        lines_parsed: lines parsed from them (at most :data:`MAX_LINES`).
    """

    name: str
    folder: Path
    answers: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    problems: list[tuple[str, dict]] = field(default_factory=list)
    bytes_read: int = 0
    lines_parsed: int = 0

    def status(self, column: tuple[str, str]) -> str | None:
        """``"pass"`` once any attempt passed, ``"fail"`` when all failed, None if none."""
        verdicts = [verdict for verdict, _ in self.answers.get(column, [])]
        if not verdicts:
            return None
        return "pass" if "pass" in verdicts else "fail"

    def wrong(self, column: tuple[str, str]) -> set[str]:
        """Every wrong-answer key this learner got on ``column``."""
        return {key for _, keys in self.answers.get(column, []) for key in keys}


def read_learner(given: str | Path, name: str | None = None) -> Learner:
    """One learner's answers from every progress file under ``given`` (a home, a lesson folder).

    Looks at most :data:`MAX_DEPTH` folders deep, skips hidden folders and symbolic links,
    reads at most :data:`MAX_BYTES` and :data:`MAX_LINES` from at most :data:`MAX_FILES`
    files, and never opens a path outside ``given``.

    Args:
        given: the learner's folder.
        name: the learner's name in the report. Defaults to the folder's name.
    """
    root = Path(given).resolve()
    learner = Learner(name or root.name or str(root), root)
    if not root.is_dir():
        learner.problems.append(("no_folder", {}))
        return learner
    files, links = _find(root)
    for link in links:
        learner.problems.append(("symlink", {"path": _relative(link, root)}))
    if not files and not links:
        learner.problems.append(("no_file", {"file": FILE_NAME}))
    if len(files) > MAX_FILES:
        learner.problems.append(("too_many_files", {"count": MAX_FILES}))
    for path in files[:MAX_FILES]:
        _read_file(path, root, learner)
    return learner


def _find(root: Path) -> tuple[list[Path], list[Path]]:
    """The progress files under ``root`` and the symbolic links named like one."""
    files, links, seen, queue = [], [], 0, [(root, 0)]
    while queue and seen < MAX_ENTRIES:
        where, depth = queue.pop(0)
        try:
            entries = sorted(os.scandir(where), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries[: MAX_ENTRIES - seen]:
            seen += 1
            if entry.name == FILE_NAME:
                (links if entry.is_symlink() else files).append(Path(entry.path))
            elif depth < MAX_DEPTH and _is_folder(entry):
                queue.append((Path(entry.path), depth + 1))
    return files, links


def _is_folder(entry: os.DirEntry) -> bool:
    """A folder worth searching: not hidden, not a symbolic link."""
    return not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else path.name


def _read_file(path: Path, root: Path, learner: Learner) -> None:
    shown = _relative(path, root)
    try:
        if not path.resolve().is_relative_to(root):
            learner.problems.append(("outside", {"path": shown}))
            return
        data, size = _read_capped(path, MAX_BYTES - learner.bytes_read)
    except _NotAFile:
        learner.problems.append(("not_a_file", {"path": shown}))
        return
    except _HardLink:
        learner.problems.append(("hard_link", {"path": shown}))
        return
    except OSError:
        learner.problems.append(("unreadable", {"path": shown}))
        return
    learner.bytes_read += len(data)
    lines = data.splitlines(keepends=True)
    cut = len(data) < size or len(lines) > MAX_LINES - learner.lines_parsed
    if cut:
        limits = {"limit": MAX_BYTES // 1024, "count": MAX_LINES}
        learner.problems.append(("too_big", {"path": shown, **limits}))
    elif data and not data.endswith(b"\n"):
        learner.problems.append(("truncated", {"path": shown}))
    if lines and not lines[-1].endswith(b"\n"):
        lines.pop()  # whole lines only
    bad, edited, counts = 0, False, Counter()
    for raw in lines[: max(0, MAX_LINES - learner.lines_parsed)]:
        learner.lines_parsed += 1
        entry = _valid(raw)
        if entry is None:
            bad += 1
            continue
        column = (entry["lesson"], entry["exercise"])
        counts[column] += 1
        edited |= entry["attempt"] != counts[column]
        learner.answers.setdefault(column, []).append((entry["verdict"], tuple(entry["wrong"])))
    if bad:
        learner.problems.append(("malformed", {"path": shown, "count": bad}))
    if edited:
        learner.problems.append(("edited", {"path": shown}))


class _NotAFile(OSError):
    """The path is not a regular file (a FIFO, a device, a folder)."""


class _HardLink(OSError):
    """The file has another name too, perhaps outside the learner's folder."""


def _read_capped(path: Path, budget: int) -> tuple[bytes, int]:
    """At most ``budget`` bytes of a regular file opened without following a link; its size."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotAFile(str(path))
        if info.st_nlink > 1:  # cbteach's renames never make one: a hard link to another file
            raise _HardLink(str(path))
        chunks, left = [], max(0, min(budget, info.st_size))
        while left > 0:
            chunk = os.read(fd, min(left, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), info.st_size
    finally:
        os.close(fd)


def _valid(raw: bytes) -> dict | None:
    """A line as the recorder writes it, or None."""
    if not raw.strip():
        return None
    try:
        entry = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(entry, dict):
        return None
    lesson, exercise, wrong = entry.get("lesson"), entry.get("exercise"), entry.get("wrong")
    attempt = entry.get("attempt")
    if not (isinstance(lesson, str) and _LESSON.match(lesson)):
        return None
    if not (isinstance(exercise, str) and _NAME.match(exercise)):
        return None
    if entry.get("verdict") not in ("pass", "fail") or not isinstance(entry.get("time"), str):
        return None
    if not (isinstance(attempt, int) and not isinstance(attempt, bool)):
        return None
    if not 1 <= attempt <= _MAX_ATTEMPT or not isinstance(wrong, list):
        return None
    if len(wrong) > _MAX_WRONG or not all(isinstance(k, str) and _NAME.match(k) for k in wrong):
        return None
    return entry


def read_class(folders: Iterable[str | Path]) -> list[Learner]:
    """Every learner's answers, one folder per learner, in the order given.

    A learner is named after their folder. Folders of one name (``/home/kim/cbteach/notebooks/ko``,
    ``/home/lee/cbteach/notebooks/ko``) are named after the folder below the one they share: the
    home (``kim``, ``lee``).

    Args:
        folders: one folder per learner (every learner's home, or lesson folder).
    """
    paths = [Path(given).resolve() for given in folders]
    names = [path.name for path in paths]
    if len(set(names)) < len(names):
        shared = Path(os.path.commonpath(paths)) if paths else Path("/")
        depth = len(shared.parts)
        names = [p.parts[depth] if len(p.parts) > depth else p.name for p in paths]
    return [read_learner(path, name) for path, name in zip(paths, names)]


# ----------------------------------------------------------------------------- the report


def columns(learners: list[Learner]) -> list[tuple[str, str]]:
    """Every ``(lesson, exercise)`` anyone answered, by lesson, then exercise."""
    return sorted({column for learner in learners for column in learner.answers})


def matrix(learners: list[Learner], lang: str | None = None) -> list[str]:
    """The learner × exercise table: ✓ passed, ✗ tried and not yet passed, · not tried.

    Args:
        learners: from :func:`read_class`.
        lang: the teacher's language, ``"ko"`` or ``"en"``. Defaults to the one in use.
    """
    cols = columns(learners)
    heads = [f"{lesson}/{exercise}" for lesson, exercise in cols]
    first, passed = i18n.t("progress.learner", lang), i18n.t("progress.passed", lang)
    width = max(_width(name) for name in [first, passed, *(each.name for each in learners)])
    rows = [[first, *heads]]
    rows += [[each.name, *(MARKS[each.status(col)] for col in cols)] for each in learners]
    rows.append(
        [passed, *(str(sum(each.status(col) == "pass" for each in learners)) for col in cols)]
    )
    widths = [width, *(len(head) for head in heads)]
    return [" ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip() for row in rows]


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: a Hangul syllable takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def problems(learners: list[Learner], lang: str | None = None) -> list[str]:
    """One line per problem with a learner's files, in the teacher's language."""
    return [
        i18n.t(f"progress.problem_{key}", lang, learner=learner.name, **values)
        for learner in learners
        for key, values in learner.problems
    ]


def common_mistakes(learners: list[Learner], lang: str | None = None, top: int = 10) -> list[str]:
    """The class's most common wrong answers, as sentences: "11 of 30 set ...".

    A learner counts once per wrong answer, however often they made it.

    Args:
        learners: from :func:`read_class`.
        lang: the teacher's language. Defaults to the one in use.
        top: how many sentences at most. Defaults to 10.
    """
    counts = Counter(
        (column, key)
        for learner in learners
        for column in learner.answers
        for key in learner.wrong(column)
    )
    total = len(learners)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [_mistake(column, key, count, total, lang) for (column, key), count in ranked]


def _mistake(column: tuple[str, str], key: str, count: int, total: int, lang) -> str:
    lesson, exercise = column
    values = {"count": count, "total": total, "exercise": f"{lesson}/{exercise}"}
    if f"progress.wrong_{key}" in i18n.catalog(i18n.resolve(lang)):
        return i18n.t(f"progress.wrong_{key}", lang, **values)
    return i18n.t("progress.wrong_other", lang, name=key, **values)


def report(learners: list[Learner], lang: str | None = None, top: int = 10) -> list[str]:
    """What ``cbteach progress`` prints: the matrix, the files' problems, the common mistakes.

    Args:
        learners: from :func:`read_class`.
        lang: the teacher's language. Defaults to the one in use.
        top: how many common mistakes at most. Defaults to 10.
    """
    lines = [i18n.t("progress.heading_matrix", lang, count=len(learners)), ""]
    lines += matrix(learners, lang)
    trouble = problems(learners, lang)
    if trouble:
        lines += ["", i18n.t("progress.heading_problems", lang), *(f"- {p}" for p in trouble)]
    mistakes = common_mistakes(learners, lang, top)
    lines += ["", i18n.t("progress.heading_mistakes", lang)]
    lines += [f"- {m}" for m in mistakes] or [i18n.t("progress.no_mistakes", lang)]
    return lines


def to_csv(learners: list[Learner], path: str | Path) -> Path:
    """The matrix as a CSV file (written atomically): a learner per row, an exercise per column.

    Cells are ``pass``, ``fail`` or empty; the last column holds the problems' catalog keys.

    Args:
        learners: from :func:`read_class`.
        path: the CSV file to write.
    """
    cols = columns(learners)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["learner", *(f"{lesson}/{exercise}" for lesson, exercise in cols), "problems"])
    for learner in learners:
        cells = [learner.status(col) or "" for col in cols]
        keys = " ".join(key for key, _ in learner.problems)
        writer.writerow([_cell(learner.name), *cells, keys])
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return write_text(path, out.getvalue())


def _cell(text: str) -> str:
    """A name a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
