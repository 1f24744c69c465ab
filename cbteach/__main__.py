"""``cbteach demo|lessons|lab|record|runs|messages|progress``: demo, workbook, recorder, message
sheet, and the teacher's view of who finished which exercise."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import keras

from cbteach import i18n, lessons, messages
from cbteach.recorded import RECORDINGS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cbteach", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="train with all three callbacks and explain each epoch")
    demo.add_argument("--lang", choices=i18n.LANGUAGES, default=None)
    demo.add_argument("--data", choices=("auto", "keras", "sample"), default=None)
    demo.add_argument("--epochs", type=int, default=50)
    demo.add_argument("--out", default="demo-out")
    demo.add_argument("--model", choices=("cnn", "mlp"), default="mlp")
    demo.add_argument("--seed", type=int, default=0)

    record = sub.add_parser("record", help="train without callbacks and save the curves")
    record.add_argument("name", help=f"one of {sorted(RECORDINGS)} or a new name")
    record.add_argument("--data", choices=("auto", "keras", "sample"), default="sample")
    record.add_argument("--epochs", type=int, default=60)
    record.add_argument("--model", choices=("cnn", "mlp"), default=None)
    record.add_argument("--learning-rate", type=float, default=None)
    record.add_argument("--batch-size", type=int, default=None)
    record.add_argument("--monitor", default=None)
    record.add_argument("--seed", type=int, default=0)
    record.add_argument("--out", default=None, help="file (default: the shipped folder)")

    sub.add_parser("runs", help="list the shipped recorded runs")
    for name, text in (
        ("lessons", "copy the lessons into a folder (never over a lesson you edited)"),
        ("lab", "copy the lessons if needed, then open JupyterLab there"),
    ):
        command = sub.add_parser(name, help=text)
        command.add_argument("folder", nargs="?", default=lessons.DEFAULT_FOLDER)
        # no argparse choices: a wrong one gets the catalog's message, in the learner's language
        command.add_argument("--lang", default="both", help=", ".join(lessons.CHOICES))
    sub.choices["lessons"].add_argument(
        "--answers",
        action="store_true",
        help="for the teacher: write the answer key (solutions) into FOLDER/answers instead",
    )
    report = sub.add_parser("progress", help="who finished which exercise, from learners' folders")
    report.add_argument("folders", nargs="+", help="one folder per learner (e.g. every home)")
    report.add_argument("--csv", default=None, help="also write the table to this CSV file")
    report.add_argument("--lang", choices=i18n.LANGUAGES, default=None)
    report.add_argument("--top", type=int, default=10, help="how many common wrong answers")
    messages.add_arguments(
        sub.add_parser("messages", help="every catalog message filled in, for review (Markdown)")
    )
    return parser


def _positive(value: int, name: str) -> None:
    if value < 1:
        raise SystemExit(i18n.t("cli.bad_positive", name=name, value=value))


def demo(args: argparse.Namespace) -> int:
    """The study notes' combined example, corrected, on real MNIST, explained epoch by epoch."""
    from cbteach import EventLog, device
    from cbteach.data import load_mnist
    from cbteach.training import train

    _positive(args.epochs, "--epochs")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    info = device.describe()
    print(i18n.t("cli.device", name=info["name"], backend=info["backend"], keras=info["keras"]))
    data = load_mnist(args.data, seed=args.seed)
    (out / "events.jsonl").unlink(missing_ok=True)
    log = EventLog(out / "events.jsonl")
    print(i18n.t("cli.training", epochs=args.epochs, model=args.model.upper()))
    # The "overfit" recording's settings: the MLP overfits within a few epochs on the sample,
    # so all three callbacks get to act (the CNN trains 50 epochs without any of them firing).
    preset = RECORDINGS["overfit"]
    run = train(
        _notes_callbacks(out / "checkpoints", log),
        data=data,
        model=args.model,
        epochs=args.epochs,
        batch_size=preset["batch_size"],
        learning_rate=preset["learning_rate"],
        seed=args.seed,
        extra_callbacks=[EpochLine(args.epochs)],
    )
    log.close()
    _write_outputs(run, data, out)
    keras.backend.clear_session()
    return 0


def _notes_callbacks(folder: Path, log) -> list:
    """The notes' three callbacks, corrected: ``.weights.h5``, a joined path, real names."""
    from cbteach import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau

    shared = {"monitor": "val_loss", "mode": "min", "log": log, "explain": True}
    checkpoint = folder / "weights.{epoch:02d}-{val_loss:.2f}.weights.h5"
    return [
        ModelCheckpoint(str(checkpoint), save_best_only=True, save_weights_only=True, **shared),
        ReduceLROnPlateau(factor=0.3, patience=10, verbose=1, **shared),
        EarlyStopping(patience=20, restore_best_weights=True, verbose=1, **shared),
    ]


def _write_outputs(run, data, out: Path) -> None:
    """run.json and events, the timeline picture, then the summary sentences on screen."""
    from cbteach.plots import plot_run
    from cbteach.summary import summarize

    run.save(out)
    plot_run(run).savefig(out / "timeline.png", dpi=110)
    _, test_accuracy = run.model.evaluate(data.x_test, data.y_test, verbose=0)
    print()
    for line in summarize(run, test_accuracy=test_accuracy):
        print(line)
    print(i18n.t("cli.outputs", out=out))


class EpochLine(keras.callbacks.Callback):
    """Prints one translated line of metrics per epoch, before the callbacks explain it."""

    def __init__(self, epochs: int) -> None:
        super().__init__()
        self.epochs = epochs

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        nan = float("nan")
        line = i18n.t(
            "cli.epoch_line",
            epoch=epoch + 1,
            epochs=self.epochs,
            loss=logs.get("loss", nan),
            val_loss=logs.get("val_loss", nan),
            val_accuracy=logs.get("val_accuracy", nan),
        )
        print(line, flush=True)


def record(args: argparse.Namespace) -> int:
    """Train without callbacks for a fixed number of epochs and save the curves for replay."""
    from cbteach import recorded
    from cbteach.data import load_mnist
    from cbteach.training import train

    _positive(args.epochs, "--epochs")
    preset = RECORDINGS.get(args.name, RECORDINGS["overfit"])
    model = args.model or preset["model"]
    learning_rate = args.learning_rate or preset["learning_rate"]
    batch_size = args.batch_size or preset["batch_size"]
    monitor = args.monitor or preset["monitor"]
    command = shlex.join(
        [
            "python",
            "-m",
            "cbteach",
            "record",
            args.name,
            f"--data={args.data}",
            f"--epochs={args.epochs}",
            f"--model={model}",
            f"--learning-rate={learning_rate}",
            f"--batch-size={batch_size}",
            f"--monitor={monitor}",
            f"--seed={args.seed}",
        ]
    )
    data = load_mnist(args.data, seed=args.seed)
    run = train(
        (),
        data=data,
        model=model,
        epochs=args.epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=args.seed,
        verbose=2,
        name=args.name,
    )
    record_ = recorded.to_record(run, name=args.name, command=command, suggested_monitor=monitor)
    path = recorded.write(record_, args.out or recorded.folder() / f"{args.name}.json")
    print(i18n.t("cli.recorded", path=path, epochs=run.epochs))
    return 0


def runs(_: argparse.Namespace) -> int:
    """List the shipped recorded runs with their provenance."""
    from cbteach import recorded

    for name in recorded.names():
        run = recorded.load(name)
        provenance = run.provenance
        made_on = f"{provenance['backend']} {provenance['backend_version']}"
        print(f"{name}: {run.epochs} epochs · {made_on} · {provenance['command']}")
    return 0


def copy(args: argparse.Namespace) -> int:
    """``cbteach lessons``: the lessons (or, with ``--answers``, the answer key) into a folder,
    an edited one kept as it is."""
    copy_them = lessons.copy_answers if args.answers else lessons.copy_lessons
    try:
        report = copy_them(args.folder, args.lang)
    except (FileNotFoundError, ValueError) as error:
        raise SystemExit(str(error)) from None
    for line in lessons.describe(report, answers=args.answers):
        print(line)
    return 0


def lab(args: argparse.Namespace, extra: list[str]) -> int:
    """``cbteach lab``: the lessons (copied if needed), opened in JupyterLab."""
    try:
        return lessons.lab(args.folder, args.lang, extra)
    except (ModuleNotFoundError, ValueError) as error:
        raise SystemExit(str(error)) from None


def progress_report(args: argparse.Namespace) -> int:
    """``cbteach progress DIR...``: the learner × exercise table, the common wrong answers."""
    from cbteach import progress

    _positive(args.top, "--top")
    learners = progress.read_class(args.folders)
    for line in progress.report(learners, top=args.top):
        print(line)
    if args.csv:
        print(i18n.t("progress.csv_written", path=progress.to_csv(learners, args.csv)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m cbteach`` and of the ``cbteach`` command."""
    args, extra = _parser().parse_known_args(argv)
    if extra and args.command != "lab":  # lab hands what it does not know to JupyterLab
        _parser().parse_args(argv)  # the usual error for an unknown argument
    if args.command == "messages":
        return messages.write(args)
    if getattr(args, "lang", None) in i18n.LANGUAGES:
        i18n.set_language(args.lang)
    if args.command == "lab":
        return lab(args, extra)
    commands = {"demo": demo, "lessons": copy, "record": record, "runs": runs}
    commands["progress"] = progress_report
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
