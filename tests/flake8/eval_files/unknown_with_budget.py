# options: --param-budget=1M
"""With a budget, a model that cannot be counted exactly says why (PRM3xx), on the culprit's line."""
import os

import torch.nn as nn
from tensorflow import keras
from paramlint_eval_absent_blocks import ResBlock  # a package installed nowhere paramlint looks

custom = nn.Sequential(nn.Linear(4, 4), nn.Frobnicate(4))  # PRM301: 41, layer='torch.nn.Frobnicate'

from_environment = nn.Sequential(
    nn.Linear(int(os.environ["HIDDEN"]), 10),  # PRM302: 15
)

no_input_shape = keras.Sequential([keras.layers.Dense(10)])  # PRM303: 36, model='no_input_shape', layer='Dense'

imported = nn.Sequential(nn.Linear(4, 4), ResBlock(4))  # PRM306: 43
