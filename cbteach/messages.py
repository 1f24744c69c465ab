"""The review sheet: every catalog message filled in with real values, Korean beside English.

A reviewer reads what a learner reads: not ``{monitor} {value} — 최고 기록 {best_before}…`` but
``에포크 5 · EarlyStopping · val_loss 0.2413 — 최고 기록 0.2245…``. The values are the ones
cbteach's own code passes when it replays the shipped recordings and small curves through
real Keras callbacks, judges exercise answers and refuses bad inputs
(``message_samples.observed``), so no rendered sentence contradicts itself or Keras. A key
that no such scenario reaches gets hand-typed values: ``message_samples.SAMPLES`` (by
placeholder name) and ``message_samples.OVERRIDES`` (by key). A sample may depend on the
language (``where`` is "에포크 17, 27에서" in Korean and "at epochs 17, 27" in English).
Explain lines are shown with the head a learner sees before them (``epoch 5 · EarlyStopping · ``).

``docs/MESSAGES.md`` is this sheet, committed for each release::

    python -m cbteach messages --out docs/MESSAGES.md
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cbteach import atomic, i18n
from cbteach.message_samples import OVERRIDES, SAMPLES, observed

__all__ = [
    "OVERRIDES",
    "SAMPLES",
    "add_arguments",
    "main",
    "render",
    "render_sheet",
    "sample_values",
    "write",
]

#: The callback whose explain line a reason key is, for the head shown before it.
_HEADS = {"es_": "EarlyStopping", "rlr_": "ReduceLROnPlateau", "mc_": "ModelCheckpoint"}
_NOT_EXPLAIN = {"events.head", "events.event_line_broken"}
#: The epoch in the head of an explain line that no replay printed, where the default
#: (``SAMPLES["epoch"]``) would not fit the sentence: a first value is epoch 1.
_HEAD_EPOCH = {"events.mc_saved_missing": 7}


def sample_values(key: str, lang: str) -> dict[str, object]:
    """The values ``key`` is filled with in ``lang``: its placeholders' samples and overrides.

    Args:
        key: a catalog key, ``"file.name"``.
        lang: ``"ko"`` or ``"en"`` (some samples are sentences of their own).

    Example:

    >>> sample_values("summary.es_stopped", "en")["patience"]
    3
    """
    names = i18n.placeholders(i18n.catalog(lang)[key])
    chosen = {name: SAMPLES[name] for name in names if name in SAMPLES}
    chosen.update(OVERRIDES.get(key, {}))
    values = {name: value(lang) if callable(value) else value for name, value in chosen.items()}
    seen = observed(lang).get(key, {})
    values.update({name: value for name, value in seen.items() if name in names})
    return values


def _head(key: str, lang: str, values: dict) -> str:
    """The ``epoch 9 · EarlyStopping · `` a learner sees before an explain line, or ""."""
    file, _, name = key.partition(".")
    if file != "events" or key in _NOT_EXPLAIN:
        return ""
    callback = next((cb for prefix, cb in _HEADS.items() if name.startswith(prefix)), None)
    callback = callback or "EarlyStopping"
    epoch = _HEAD_EPOCH.get(key, values.get("epoch", SAMPLES["epoch"]))
    head = {"epoch": epoch, "callback": callback, **observed(lang).get(key, {}).get("__head__", {})}
    return i18n.t("events.head", lang, **head) + " · "


def render(key: str, lang: str) -> str:
    """The message ``key`` in ``lang`` as a learner would read it, filled with sample values.

    Args:
        key: a catalog key, ``"file.name"``.
        lang: ``"ko"`` or ``"en"``.

    Example:

    >>> render("common.epoch", "ko")
    '에포크 9'
    """
    values = sample_values(key, lang)
    return _head(key, lang, values) + i18n.t(key, lang, **values)


def _cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell (shown as written, not as HTML)."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def render_sheet(lang: str = "both") -> str:
    """Every catalog message rendered with sample values, as one Markdown document.

    Args:
        lang: ``"ko"`` or ``"en"`` for one column, ``"both"`` for Korean beside English.
            Defaults to ``"both"``.

    Example:

    >>> render_sheet("en").startswith("# Every message")
    True
    """
    langs = i18n.LANGUAGES if lang == "both" else (i18n.resolve(lang),)
    keys = list(i18n.catalog(langs[0]))
    intro = (
        "Each sentence that cbteach's code can print, filled in with the values its own code "
        "passes when it replays the shipped recordings and small curves through real Keras "
        "callbacks (hand-typed values only where no replay reaches: `cbteach/messages.py`), "
        "so that a reviewer reads what a learner reads. Explain lines "
        "carry the head printed before them. Generated: `python -m cbteach messages "
        f"--lang {lang} --out docs/MESSAGES.md`; do not edit by hand."
    )
    lines = ["# Every message, filled in", "", intro]
    header = {"ko": "한국어", "en": "English"}
    current = None
    for key in keys:
        file, _, name = key.partition(".")
        if file != current:
            current = file
            lines += [
                "",
                f"## {file}",
                "",
                "| key | " + " | ".join(header[x] for x in langs) + " |",
                "|---|" + "---|" * len(langs),
            ]
        cells = [_cell(render(key, x)) for x in langs]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The sheet's options, shared by ``python -m cbteach messages`` and this module's ``main``.

    Args:
        parser: the parser that gets ``--lang`` and ``--out``.

    Returns:
        ``parser``.

    Example:

    >>> add_arguments(argparse.ArgumentParser()).parse_args(["--lang", "en"])
    Namespace(lang='en', out=None)
    """
    parser.add_argument("--lang", choices=(*i18n.LANGUAGES, "both"), default="both")
    parser.add_argument("--out", default=None, help="write the sheet here instead of printing it")
    return parser


def write(args: argparse.Namespace) -> int:
    """Print the sheet, or write it to ``args.out`` (atomically: a reader never sees half).

    Args:
        args: the parsed options of :func:`add_arguments` (``lang``, ``out``).

    Returns:
        The exit status, 0.

    Example:

    >>> args = argparse.Namespace(lang="en", out="docs/MESSAGES.en.md")
    >>> write(args)  # doctest: +SKIP
    0
    """
    sheet = render_sheet(args.lang)
    if args.out:
        atomic.write_text(args.out, sheet)
    else:
        sys.stdout.write(sheet)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cbteach messages [--lang ko|en|both] [--out FILE]``: print or write the sheet.

    Args:
        argv: the command-line arguments after ``messages``. Defaults to ``sys.argv[1:]``.

    Example:

    >>> main(["--lang", "en", "--out", "/tmp/messages-en.md"])  # doctest: +SKIP
    0
    """
    parser = argparse.ArgumentParser(
        prog="python -m cbteach messages",
        description="Every catalog message filled in with sample values, ko beside en.",
    )
    return write(add_arguments(parser).parse_args(argv))


if __name__ == "__main__":  # python -m cbteach.messages
    raise SystemExit(main())
