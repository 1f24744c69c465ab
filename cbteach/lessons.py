"""The workbook that ships in the package: copy the lessons into a folder, open JupyterLab there.

The wheel carries the lessons (``notebooks/ko`` and ``notebooks/en`` of the source tree,
as ``cbteach/lessons/{ko,en}``), so a learner who only ran ``pip install cbteach`` gets them
with ``cbteach lessons`` and opens them with ``cbteach lab``. In a source checkout (an
editable install) they are read from ``notebooks/`` itself.

The answer key (the lessons that have exercises, with their solutions shown open) ships beside
them (``cbteach/lessons/answers/{ko,en}``, ``notebooks/answers`` in a checkout) and is never
copied with the lessons: only :func:`copy_answers` (``cbteach lessons DIR --answers``) writes
it, into ``DIR/answers/{ko,en}``, for the teacher.

A learner's work is never overwritten: a lesson already in the folder and unchanged is left
as it is; one the learner edited is kept, and the fresh copy is written beside it
(``03_early_stopping.fresh.ipynb``, then ``.fresh-2``, ...), with a message that says so.

Example:

>>> report = copy_lessons("my-lessons", lang="ko")  # doctest: +SKIP
>>> [(each.path.name, each.status) for each in report][:1]  # doctest: +SKIP
[('00_setup.ipynb', 'copied')]
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from cbteach import i18n
from cbteach.atomic import write_atomically

__all__ = [
    "ANSWERS",
    "CHOICES",
    "DEFAULT_FOLDER",
    "Copied",
    "copy_answers",
    "copy_lessons",
    "lab_command",
    "source",
]

#: What ``--lang`` takes: one language's lessons, or both.
CHOICES = (*i18n.LANGUAGES, "both")
#: Where ``cbteach lessons`` and ``cbteach lab`` put the lessons when no folder is given.
DEFAULT_FOLDER = "cbteach-lessons"
#: What can happen to a lesson in the folder (:class:`Copied`), in the order they are counted.
_STATUSES = ("copied", "unchanged", "kept")
#: The answer key's folder, in the shipped lessons and in the folder ``--answers`` writes to.
ANSWERS = "answers"
#: The lesson JupyterLab opens first, per language.
FIRST_LESSON = "00_setup.ipynb"


@dataclasses.dataclass(frozen=True)
class Copied:
    """What happened to one lesson: ``copied``, ``unchanged`` or ``kept`` (edited by you).

    ``path`` is the lesson in the folder; ``fresh`` the copy written beside an edited one.
    """

    path: Path
    status: str
    fresh: Path | None = None


def source() -> Path:
    """The folder that holds ``ko/`` and ``en/``: the package's data, or the source tree's.

    Raises:
        FileNotFoundError: neither exists (a broken install), in the learner's language.
    """
    shipped = Path(str(resources.files("cbteach") / "lessons"))
    checkout = Path(__file__).resolve().parent.parent / "notebooks"
    for folder in (shipped, checkout):
        if (folder / "ko" / FIRST_LESSON).is_file():
            return folder
    raise FileNotFoundError(i18n.t("lessons.missing", where=shipped))


def _languages(lang: str) -> tuple[str, ...]:
    if lang == "both":
        return i18n.LANGUAGES
    if lang in i18n.LANGUAGES:
        return (lang,)
    raise ValueError(i18n.t("lessons.bad_lang", got=repr(lang), choices=", ".join(CHOICES)))


def _beside(path: Path) -> Path:
    """A free name next to ``path``: ``NN_name.fresh.ipynb``, then ``.fresh-2``, ..."""
    for n in range(1, 1000):
        suffix = ".fresh" if n == 1 else f".fresh-{n}"
        candidate = path.with_name(f"{path.stem}{suffix}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)


def _copy(shipped: Path, target: Path) -> None:
    write_atomically(str(target), lambda temporary: shutil.copyfile(shipped, temporary))


def _place(shipped: Path, target: Path) -> Copied:
    """Copy one lesson to ``target`` without ever writing over the learner's own work."""
    if not target.exists():
        _copy(shipped, target)
        return Copied(target, "copied")
    lesson = shipped.read_bytes()  # read once: compared with the copy and each fresh one
    if target.read_bytes() == lesson:
        return Copied(target, "unchanged")
    for earlier in sorted(target.parent.glob(f"{target.stem}.fresh*{target.suffix}")):
        if earlier.read_bytes() == lesson:
            return Copied(target, "kept", earlier)  # the fresh copy is already beside it
    fresh = _beside(target)
    _copy(shipped, fresh)
    return Copied(target, "kept", fresh)


def _copy_all(origin: Path, into: Path, languages: tuple[str, ...]) -> list[Copied]:
    report = []
    for language in languages:
        (into / language).mkdir(parents=True, exist_ok=True)
        for shipped in sorted((origin / language).glob("*.ipynb")):
            report.append(_place(shipped, into / language / shipped.name))
    return report


def copy_lessons(folder: str | Path = DEFAULT_FOLDER, lang: str = "both") -> list[Copied]:
    """Copy the lessons into ``folder/ko`` and ``folder/en``; never overwrite an edited one.

    The answer key is not among them (see :func:`copy_answers`).

    Args:
        folder: where to put them; made if missing.
        lang: ``"ko"``, ``"en"`` or ``"both"``.

    Returns:
        One :class:`Copied` per lesson, in lesson order.

    Raises:
        ValueError: an unknown ``lang``, in the learner's language.
    """
    languages = _languages(lang)
    return _copy_all(source(), Path(folder), languages)


def copy_answers(folder: str | Path = DEFAULT_FOLDER, lang: str = "both") -> list[Copied]:
    """Copy the answer key, for the teacher, into ``folder/answers/ko`` and ``.../en``.

    The answer key is each lesson that has exercises, with its solutions shown open. The same
    rules as :func:`copy_lessons`: a file already there and edited is kept, the fresh one
    written beside it.

    Raises:
        ValueError: an unknown ``lang``, in the learner's language.
        FileNotFoundError: the installation holds no answer key, in the learner's language.
    """
    languages = _languages(lang)
    origin = source() / ANSWERS
    if not all((origin / language).is_dir() for language in languages):
        raise FileNotFoundError(i18n.t("lessons.missing", where=origin))
    return _copy_all(origin, Path(folder) / ANSWERS, languages)


def describe(report: list[Copied], lang: str | None = None, *, answers: bool = False) -> list[str]:
    """The lines ``cbteach lessons`` prints: the edited lessons one by one, then a count.

    With ``answers``, the count says it is the answer key, for the teacher only.
    """
    lines = [
        i18n.t("lessons.kept", lang, path=each.path, fresh=each.fresh.name)
        for each in report
        if each.status == "kept"
    ]
    counts = {status: sum(each.status == status for each in report) for status in _STATUSES}
    folder = report[0].path.parent.parent if report else Path(DEFAULT_FOLDER)
    done = "lessons.answers_done" if answers else "lessons.done"
    lines.append(i18n.t(done, lang, folder=folder, **counts))
    return lines


def lab_command(folder: str | Path, lang: str, extra: list[str] | tuple[str, ...] = ()) -> list:
    """The JupyterLab command ``cbteach lab`` runs: rooted at ``folder``, the first lesson open.

    Raises:
        ModuleNotFoundError: JupyterLab is not installed, with the line that installs it.
    """
    first = f"{_languages(lang)[0]}/{FIRST_LESSON}"
    if find_spec("jupyterlab") is None:
        raise ModuleNotFoundError(i18n.t("lessons.no_jupyterlab"))
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={Path(folder).resolve()}",
        f"--LabApp.default_url=/lab/tree/{first}",
        *extra,
    ]


def lab(folder: str | Path, lang: str, extra: list[str] | tuple[str, ...] = ()) -> int:
    """Copy the lessons if needed, then run JupyterLab there until it is stopped."""
    command = lab_command(folder, lang, extra)
    for line in describe(copy_lessons(folder, lang)):
        print(line)
    return subprocess.call(command)
