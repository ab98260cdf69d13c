"""The text gate run before parsing: it passes every file that can create a model, and few that cannot."""
from __future__ import annotations

import pytest

from paramlint.gate import may_define_models

CAN = {
    "a Sequential": "import keras\nm = keras.Sequential()\n",
    "an nn.Module subclass": "import torch.nn as nn\nclass Net(nn.Module):\n    pass\n",
    "a bare layer": "import torch\nmodel = torch.nn.Linear(3, 1)\n",
    "a layer imported by name": "from torch.nn import Linear\nm = Linear(2, 2)\n",
    "a Keras layer imported by name": "from tensorflow.keras.layers import Dense\nd = Dense(2)\n",
    "a tf_keras model through an alias": "import tf_keras as K\nm = K.models.Model(inputs, outputs)\n",
    "a TF1 compat layer by name": "from tensorflow.compat.v1.keras.layers import Dense\nd = Dense(2)\n",
    "a Keras 2 layer module": "from keras.layers.core import Dense\nd = Dense(2)\n",
    "a tf_keras layer by name": "from tf_keras.layers import Dense\nd = Dense(2)\n",
    "an application imported by name": "from keras.applications.resnet50 import ResNet50\nm = ResNet50()\n",
    "a tf.keras application by name": "from tensorflow.keras.applications import MobileNetV2\nm = MobileNetV2()\n",
}
CANNOT = {
    "no framework": "class Net(Base):\n    def __init__(self):\n        self.fc = make()\n",
    "a dataset of torch tensors": (
        "import torch\nfrom torch.utils.data import Dataset\n\n\nclass Rows(Dataset):\n"
        "    def __getitem__(self, i):\n        return torch.zeros(3)\n"
    ),
}


@pytest.mark.parametrize("source", CAN.values(), ids=CAN.keys())
def test_files_that_can_create_a_model_pass(source: str) -> None:
    assert may_define_models(source)


@pytest.mark.parametrize("source", CANNOT.values(), ids=CANNOT.keys())
def test_files_that_cannot_are_stopped(source: str) -> None:
    assert not may_define_models(source)


IMPORTS = {
    "a relative import": "from .blocks import ConvBlock\nmodel = ConvBlock(3, 8)\n",
    "a project module": "import models.blocks as b\nmodel = b.make()\n",
    "one of several names": "import os, mylib\nnet = mylib.build()\n",
}


@pytest.mark.parametrize("source", IMPORTS.values(), ids=IMPORTS.keys())
def test_a_file_calling_what_it_imports_from_a_followed_module_passes(source: str) -> None:
    assert may_define_models(source)


def test_imports_of_the_standard_library_alone_do_not_pass() -> None:
    assert not may_define_models("import os\nfrom pathlib import Path\nprint(Path(os.getcwd()))\n")
