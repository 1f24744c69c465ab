"""What every lesson notebook starts with: the language, the device, and a plan that fits it.

>>> from cbteach import workbook
>>> plan = workbook.start("ko")  # prints the device and the plan   # doctest: +SKIP
>>> plan.epochs, plan.source  # on a laptop CPU                     # doctest: +SKIP
(40, 'sample')

Three plans, chosen from the device and ``$CBTEACH_FAST``:

- **fast** (``CBTEACH_FAST=1``, what the test suite runs): the MNIST sample, few epochs:
  just enough for each callback to act, so every notebook runs in well under a minute;
- **cpu** (no GPU): the MNIST sample and enough epochs to overfit;
- **gpu**: full MNIST (``source="auto"``: Keras' download, falling back to the sample) and fewer
  epochs (30 against 40), each on over ten times as much data.

``$CBTEACH_DATA`` still overrides the data source of any plan. All three train the MLP at
learning rate 3e-3 with batch size 32, the settings of the shipped ``overfit`` recording, under
which the model overfits within a few epochs and all three callbacks get to act.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from cbteach import data, device, i18n

FAST_ENV = "CBTEACH_FAST"
OUT_ENV = "CBTEACH_OUT"
DATA_ENV = "CBTEACH_DATA"
DEFAULT_OUT = "cbteach-out"

# epochs per training run, and the data source, for each plan
EPOCHS = {"fast": 15, "cpu": 40, "gpu": 30}
SOURCES = {"fast": "sample", "cpu": "sample", "gpu": "auto"}

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


@dataclass(frozen=True)
class Plan:
    """How the lessons train here: ``kind`` is ``"fast"``, ``"cpu"`` or ``"gpu"``.

    Pass its fields on: ``load_mnist(plan.source)``, ``train(..., epochs=plan.epochs,
    model=plan.model, batch_size=plan.batch_size, learning_rate=plan.learning_rate)``.

    Args:
        kind: ``"fast"``, ``"cpu"`` or ``"gpu"``.
        epochs: epochs per training run.
        source: the data source for :func:`cbteach.data.load_mnist`.
        model: the model's name. Defaults to ``"mlp"``.
        batch_size: Defaults to 32.
        learning_rate: Defaults to 3e-3.
        seed: Defaults to 0.
        device: what :func:`cbteach.device.describe` found.

    Example:

    ```python
    plan = workbook.plan()
    data = load_mnist(plan.source)
    run = train(callbacks, data=data, **plan.train_args)
    ```
    """

    kind: str
    epochs: int
    source: str
    model: str = "mlp"
    batch_size: int = 32
    learning_rate: float = 3e-3
    seed: int = 0
    device: dict = field(default_factory=dict, compare=False)

    @property
    def fast(self) -> bool:
        """True in the test suite's small configuration (``CBTEACH_FAST=1``)."""
        return self.kind == "fast"

    @property
    def train_args(self) -> dict:
        """The keyword arguments of :func:`cbteach.training.train` that the plan fixes."""
        return {
            "epochs": self.epochs,
            "model": self.model,
            "batch_size": self.batch_size,
            "learning_rate": self.learning_rate,
            "seed": self.seed,
        }

    def describe(self, lang: str | None = None) -> list[str]:
        """The translated lines :func:`start` prints: device, then what will be trained.

        Args:
            lang: ``"ko"`` or ``"en"``. Defaults to the language in use.

        Example:

        ```python
        print("\n".join(plan().describe("en")))
        ```
        """
        info = self.device or device.describe()
        key = "workbook.device_gpu" if info.get("gpu") else "workbook.device_cpu"
        values = {k: info.get(k, "?") for k in ("name", "backend", "keras")}
        return [
            i18n.t(key, lang, **values),
            i18n.t(
                f"workbook.plan_{self.kind}",
                lang,
                epochs=self.epochs,
                model=self.model.upper(),
                batch_size=self.batch_size,
                learning_rate=f"{self.learning_rate:g}",
                env=FAST_ENV,
                data=i18n.t(f"workbook.data_{self.source}", lang),
            ),
        ]


def fast_mode(lang: str | None = None) -> bool:
    """Whether ``$CBTEACH_FAST`` asks for the small configuration (1/true/yes/on).

    Unset or empty, 0/false/no/off mean no; any other value raises ``ValueError``.

    Args:
        lang: the language of the error message. Defaults to the language in use.

    Example:

    ```python
    if fast_mode():
        epochs = 5
    ```
    """
    raw = os.environ.get(FAST_ENV, "")
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(i18n.t("workbook.bad_fast", lang, env=FAST_ENV, value=repr(raw)))


def plan(fast: bool | None = None, lang: str | None = None) -> Plan:
    """The plan for this machine: fast, cpu or gpu, and its data source.

    Args:
        fast: the small configuration. Defaults to what ``$CBTEACH_FAST`` says.
        lang: the language of error messages. Defaults to the language in use.

    Example:

    ```python
    run = train(callbacks, **plan().train_args)
    ```
    """
    info = device.describe()
    use_fast = fast_mode(lang) if fast is None else bool(fast)
    kind = "fast" if use_fast else ("gpu" if info["gpu"] else "cpu")
    source = os.environ.get(DATA_ENV, "").strip().lower() or SOURCES[kind]
    if source not in data.SOURCES:
        raise ValueError(i18n.t("data.bad_source_env", lang, source=repr(source)))
    return Plan(kind=kind, epochs=EPOCHS[kind], source=source, device=info)


def quiet_tensorflow() -> None:
    """Keep TensorFlow's Python warnings (tf.function retracing and the like) out of lessons.

    Lessons build many tiny models on purpose; TensorFlow's "triggered tf.function retracing"
    advice is about production loops and only distracts there. Errors still show.

    Example:

    ```python
    quiet_tensorflow()  # workbook.start() does this for you
    ```
    """
    logging.getLogger("tensorflow").setLevel(logging.ERROR)


def start(lang: str, *, fast: bool | None = None) -> Plan:
    """Set the lessons' language, print the device and the plan, and return the plan.

    It also makes cbteach's plots pyplot figures, so that a plotting cell ends with
    ``plt.show()`` as in any matplotlib lesson, applies the Korean font to every matplotlib
    figure (:func:`cbteach.plots.use_korean_font`), and quiets TensorFlow's Python warnings.

    Args:
        lang: the lessons' language, ``"ko"`` or ``"en"``.
        fast: the test suite's small configuration. Defaults to what ``$CBTEACH_FAST`` says.

    Returns:
        The :class:`Plan` for this machine.

    Example:

    ```python
    plan = workbook.start("ko")
    data = load_mnist(plan.source)
    ```
    """
    from cbteach import plots

    i18n.set_language(lang)
    plots.use_pyplot(True)
    plots.use_korean_font()
    quiet_tensorflow()
    chosen = plan(fast, lang)
    for line in chosen.describe(lang):
        print(line)
    return chosen


def output_folder(lesson: str, root: str | os.PathLike | None = None) -> Path:
    """A new, empty folder for what one run of a lesson writes: ``cbteach-out/<lesson>/run-N``.

    ``N`` is one more than the highest run already there, so running a lesson again never
    overwrites or deletes the checkpoints of an earlier run.

    Args:
        lesson: the lesson's short name, e.g. ``"01_model_checkpoint"``.
        root: where the lesson folders go. Defaults to ``$CBTEACH_OUT``, else
            ``cbteach-out`` beside the notebook.

    Example:

    ```python
    folder = output_folder("01_model_checkpoint")
    ModelCheckpoint(str(folder / "best.keras"), save_best_only=True)
    ```
    """
    base = Path(root if root is not None else os.environ.get(OUT_ENV) or DEFAULT_OUT) / lesson
    base.mkdir(parents=True, exist_ok=True)
    taken = [
        int(p.name.removeprefix("run-"))
        for p in base.iterdir()
        if p.name.startswith("run-") and p.name.removeprefix("run-").isdigit()
    ]
    number = max(taken, default=0) + 1
    while True:
        folder = base / f"run-{number}"
        try:
            folder.mkdir()
        except FileExistsError:  # another kernel took this number a moment ago
            number += 1
            continue
        return folder
