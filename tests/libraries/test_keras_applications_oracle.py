"""Every ``keras.applications`` function, counted by paramlint from Keras's installed source (read, never
imported), equals Keras building it (``weights=None``; the default ``weights="imagenet"`` is counted as the
structure it builds, and nothing is downloaded).

Each function is built the way users write it, by default and with the usual transfer-learning arguments
(``include_top=False``, ``input_shape``, ``pooling``, ``classes``, ``alpha``, ``input_tensor``), and the usual
recipes (a frozen base under a new head) are checked the same way.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest


if importlib.util.find_spec("keras") is None:
    pytest.skip("keras is not installed", allow_module_level=True)
pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

import keras  # noqa: E402  (KERAS_BACKEND is set by conftest)

from .keras_worker import keras_counts  # noqa: E402
from .user_file import analyze_user_file  # noqa: E402

FUNCTIONS = sorted(name for name in dir(keras.applications) if name[:1].isupper() and callable(getattr(keras.applications, name)))


def _model_at(report: Any, line: int) -> Any:
    models = [m for m in report.models if m.outermost and m.line == line]
    assert len(models) == 1, [(m.name, m.line, m.outermost) for m in report.models]
    return models[0]


def test_every_function_is_checked() -> None:
    assert len(FUNCTIONS) >= 40, FUNCTIONS


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_counts_like_keras(name: str, tmp_path: Path) -> None:
    report = analyze_user_file(tmp_path, f"import keras\n\nmodel = keras.applications.{name}(weights=None)\n")
    model = _model_at(report, 3)
    assert model.complete, [p.message for p in model.problems][:3]
    assert (model.total, model.trainable) == keras_counts(f"import keras\nmodel = keras.applications.{name}(weights=None)\n")


# The arguments users pass, each on a few functions whose source handles them differently.
VARIANTS = [
    ("ResNet50", "include_top=False, weights=None, input_shape=(160, 160, 3)"),
    ("ResNet101V2", "include_top=False, weights=None, input_shape=(128, 128, 3), pooling='avg'"),
    ("VGG16", "include_top=False, weights=None, input_shape=(64, 64, 3), pooling='max'"),
    ("VGG19", "weights=None, classes=10"),
    ("Xception", "include_top=False, weights=None, input_shape=(96, 96, 3)"),
    ("InceptionV3", "include_top=False, weights=None, input_shape=(299, 299, 3), pooling='avg'"),
    ("InceptionResNetV2", "weights=None, classes=5, classifier_activation=None"),
    ("MobileNet", "weights=None, alpha=0.5, depth_multiplier=1, input_shape=(160, 160, 3), classes=3"),
    ("MobileNetV2", "include_top=False, weights=None, alpha=0.35, input_shape=(96, 96, 3)"),
    ("MobileNetV2", "weights=None, alpha=1.4, classes=7"),
    ("MobileNetV3Small", "weights=None, classes=10, alpha=0.75"),
    ("MobileNetV3Large", "include_top=False, weights=None, input_shape=(224, 224, 3), minimalistic=True"),
    ("MobileNetV3Large", "include_top=False, weights=None, include_preprocessing=False, pooling='avg'"),
    ("DenseNet121", "weights=None, include_top=False, input_tensor=keras.Input((96, 96, 3))"),
    ("DenseNet201", "weights=None, classes=2"),
    ("EfficientNetB0", "include_top=False, weights=None, input_shape=(128, 128, 3), pooling='avg'"),
    ("EfficientNetB3", "weights=None, classes=12, classifier_activation=None"),
    ("EfficientNetV2S", "include_top=False, weights=None, input_shape=(192, 192, 3), include_preprocessing=False"),
    ("EfficientNetV2B1", "weights=None, classes=4"),
    ("ConvNeXtTiny", "include_top=False, weights=None, input_shape=(96, 96, 3), pooling='avg'"),
    ("ConvNeXtSmall", "weights=None, classes=3, include_preprocessing=False"),
    ("NASNetMobile", "include_top=False, weights=None, input_shape=(224, 224, 3)"),
    ("NASNetLarge", "weights=None, classes=6"),
    ("ResNet50", ""),  # the default weights="imagenet": the structure it builds, nothing downloaded
    ("EfficientNetB0", "include_top=False, input_shape=(224, 224, 3)"),
]


@pytest.mark.parametrize("name,arguments", VARIANTS, ids=[f"{n}({a})" for n, a in VARIANTS])
def test_arguments_count_like_keras(name: str, arguments: str, tmp_path: Path) -> None:
    source = f"import keras\n\nmodel = keras.applications.{name}({arguments})\n"
    model = _model_at(analyze_user_file(tmp_path, source), 3)
    assert model.complete, [p.message for p in model.problems][:3]
    weights = arguments if "weights" in arguments else ", ".join(filter(None, [arguments, "weights=None"]))
    assert (model.total, model.trainable) == keras_counts(f"import keras\nmodel = keras.applications.{name}({weights})\n")


RECIPES = [
    pytest.param(
        "import keras\n\n"
        "base = keras.applications.ResNet50V2(include_top=False, weights=None, input_shape=(160, 160, 3))\n"
        "base.trainable = False\n"
        "inputs = keras.Input(shape=(160, 160, 3))\n"
        "x = keras.applications.resnet_v2.preprocess_input(inputs)\n"
        "x = base(x, training=False)\n"
        "x = keras.layers.GlobalAveragePooling2D()(x)\n"
        "x = keras.layers.Dropout(0.2)(x)\n"
        "outputs = keras.layers.Dense(5)(x)\n"
        "model = keras.Model(inputs, outputs)\n", id="frozen base, new head, preprocessing"),
    pytest.param(
        "from keras import layers, models\nfrom keras.applications import MobileNetV2\n\n"
        "base = MobileNetV2(include_top=False, weights=None, input_shape=(224, 224, 3))\n"
        "x = layers.GlobalAveragePooling2D()(base.output)\n"
        "out = layers.Dense(10, activation='softmax')(x)\n"
        "model = models.Model(inputs=base.input, outputs=out)\n"
        "for layer in model.layers[:100]:\n    layer.trainable = False\n", id="head on base.output, first layers frozen"),
    pytest.param(
        "import keras\nfrom keras.applications.efficientnet import EfficientNetB0\n\n"
        "model = keras.Sequential([\n"
        "    keras.Input(shape=(224, 224, 3)),\n"
        "    EfficientNetB0(include_top=False, weights=None, pooling='avg'),\n"
        "    keras.layers.Dense(3),\n])\n", id="a base inside a Sequential"),
    pytest.param(
        "import keras\nimport keras.applications as apps\n\n"
        "def make(n):\n    base = apps.DenseNet121(include_top=False, weights=None, input_shape=(128, 128, 3))\n"
        "    base.trainable = False\n    x = keras.layers.GlobalAveragePooling2D()(base.output)\n"
        "    return keras.Model(base.input, keras.layers.Dense(n)(x))\n\n"
        "model = make(4)\n", id="built in a function"),
]


SPELLINGS = [  # every import path users write reads Keras's source (tf.keras's applications are Keras's)
    "import tensorflow as tf\n\nmodel = tf.keras.applications.ResNet50(weights=None)\n",
    "from tensorflow.keras.applications import ResNet50\n\nmodel = ResNet50(weights=None)\n",
    "from keras.applications.resnet50 import ResNet50\n\nmodel = ResNet50(weights=None)\n",
    "import keras.applications as apps\n\nmodel = apps.resnet.ResNet50(weights=None)\n",
    "from keras.src.applications.resnet import ResNet50\n\nmodel = ResNet50(weights=None)\n",
]


@pytest.mark.parametrize("source", SPELLINGS)
def test_every_spelling_reads_the_same_source(source: str, tmp_path: Path) -> None:
    model = _model_at(analyze_user_file(tmp_path, source), 3)
    assert model.complete and (model.total, model.trainable) == keras_counts("import keras\nmodel = keras.applications.ResNet50(weights=None)\n")


@pytest.mark.parametrize("source", RECIPES)
def test_recipe_counts_like_keras(source: str, tmp_path: Path) -> None:
    report = analyze_user_file(tmp_path, source)
    models = [m for m in report.models if m.outermost and m.name == "model"]
    assert len(models) == 1, [(m.name, m.line) for m in report.models]
    assert models[0].complete, [p.message for p in models[0].problems]
    assert (models[0].total, models[0].trainable) == keras_counts(source)
