"""build_model / compile_model: the models the lessons train."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cbteach import i18n
from cbteach.models import MODELS, build_model, compile_model


@pytest.fixture(autouse=True)
def clean_language(no_language):
    """Each test starts with no language chosen."""


def test_models_lists_both():
    assert MODELS == ("cnn", "mlp")


@pytest.mark.parametrize("name", MODELS)
def test_model_maps_images_to_ten_probabilities(name, sample):
    model = build_model(name)
    assert isinstance(model, keras.Model)
    assert model.input_shape == (None, 28, 28, 1)
    assert model.output_shape == (None, 10)
    probs = model.predict(sample.x_val[:4], verbose=0)
    assert probs.shape == (4, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_cnn_has_the_documented_layers():
    kinds = [type(layer).__name__ for layer in build_model("cnn").layers]
    assert kinds == [
        "Conv2D",
        "MaxPooling2D",
        "Conv2D",
        "MaxPooling2D",
        "Flatten",
        "Dropout",
        "Dense",
    ]
    kinds = [type(layer).__name__ for layer in build_model("mlp").layers]
    assert kinds == ["Flatten", "Dense", "Dropout", "Dense"]


@pytest.mark.parametrize("name", MODELS)
def test_same_seed_same_initial_weights(name):
    a = build_model(name, seed=7).get_weights()
    b = build_model(name, seed=7).get_weights()
    c = build_model(name, seed=8).get_weights()
    assert len(a) == len(b)
    for wa, wb in zip(a, b):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a[0], c[0])


def test_name_is_forgiving_about_case_and_spaces():
    assert build_model(" CNN ").name == "cnn"


@pytest.mark.parametrize(("lang", "words"), [("en", "Unknown model"), ("ko", "알 수 없는 모델")])
def test_unknown_model_lists_the_valid_names(lang, words):
    i18n.set_language(lang)
    with pytest.raises(ValueError) as info:
        build_model("resnet")
    message = str(info.value)
    assert words in message and "'resnet'" in message
    assert '"cnn"' in message and '"mlp"' in message


def test_compile_model_uses_adam_with_the_learning_rate():
    model = build_model("mlp")
    assert compile_model(model, learning_rate=3e-4) is model
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(3e-4)
    assert model.loss == "sparse_categorical_crossentropy"


def test_cnn_learns_the_sample_in_two_epochs(sample):
    model = compile_model(build_model("cnn", seed=0))
    history = model.fit(
        sample.x_train,
        sample.y_train,
        validation_data=(sample.x_val, sample.y_val),
        epochs=2,
        batch_size=64,
        verbose=0,
    )
    assert len(history.history["val_accuracy"]) == 2
    assert history.history["val_accuracy"][-1] > 0.8
    assert history.history["val_loss"][-1] < history.history["val_loss"][0]
