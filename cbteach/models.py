"""The two small MNIST models the lessons train: a CNN and an MLP.

>>> from cbteach.models import build_model, compile_model
>>> model = compile_model(build_model("cnn", seed=0), learning_rate=1e-3)
"""

from __future__ import annotations

import keras

from cbteach import i18n

MODELS = ("cnn", "mlp")


def build_model(name: str = "cnn", *, seed: int = 0) -> keras.Model:
    """An uncompiled model for 28×28×1 images and 10 classes (softmax output).

    ``"cnn"``: Conv2D(16) → MaxPool → Conv2D(32) → MaxPool → Flatten → Dropout(0.25)
    → Dense(10).
    ``"mlp"``: Flatten → Dense(128) → Dropout(0.2) → Dense(10).
    The same ``seed`` gives the same initial weights (``keras.utils.set_random_seed``).

    Args:
        name: ``"cnn"`` or ``"mlp"`` (case and spaces ignored). Defaults to `"cnn"`.
        seed: the seed of the initial weights. Defaults to `0`.

    Raises:
        ValueError: a name not in :data:`MODELS`, in the learner's language.

    Example:

    >>> model = build_model("mlp", seed=0)
    >>> model.name, model.output_shape
    ('mlp', (None, 10))
    """
    key = str(name).strip().lower()
    if key not in MODELS:
        valid = ", ".join(f'"{m}"' for m in MODELS)
        raise ValueError(i18n.t("models.unknown", name=repr(name), valid=valid))
    keras.utils.set_random_seed(seed)
    layers = keras.layers
    if key == "cnn":
        body = [
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(0.25),
        ]
    else:
        body = [
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.2),
        ]
    return keras.Sequential(
        [keras.Input(shape=(28, 28, 1)), *body, layers.Dense(10, activation="softmax")],
        name=key,
    )


def compile_model(
    model: keras.Model, *, learning_rate: float = 1e-3, steps_per_execution: int = 1
) -> keras.Model:
    """Compile ``model``: Adam(``learning_rate``), sparse categorical cross-entropy, accuracy.

    Returns the same model, so ``compile_model(build_model())`` reads as one step.
    ``steps_per_execution``: batches per call into the compiled step (Keras' argument);
    above 1, Keras calls the batch hooks once per that many batches.

    Args:
        model: the Keras model to compile.
        learning_rate: Adam's learning rate. Defaults to `1e-3`.
        steps_per_execution: batches per call into the compiled step. Defaults to `1`.

    Example:

    >>> model = compile_model(build_model("mlp"), learning_rate=3e-3)
    >>> type(model.optimizer).__name__, model.loss
    ('Adam', 'sparse_categorical_crossentropy')
    """
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model


def learning_rate(model) -> float | None:
    """The learning rate of ``model``'s optimizer as a float, as it stands now.

    Args:
        model: a compiled Keras model (anything with an ``optimizer``).

    Returns:
        The learning rate, or None when there is no single optimizer (none compiled, or a
        multi-optimizer that holds several).

    Example:

    >>> round(learning_rate(compile_model(build_model("mlp"), learning_rate=3e-3)), 6)
    0.003
    """
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or hasattr(optimizer, "optimizers"):
        return None
    try:
        return float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    except (TypeError, ValueError):
        return None
