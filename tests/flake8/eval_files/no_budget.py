# options:
"""Without any budget, "could not count" (PRM3xx) stays quiet; broken models (PRM2xx) are always reported."""
import torch.nn as nn
from tensorflow import keras

custom = nn.Sequential(nn.Linear(4, 4), MyBlock(4))

no_input_shape = keras.Sequential([keras.layers.Dense(10)])

impossible = nn.Sequential(  # model line: the problem sits on the layer's line
    nn.Linear(4, 8),
    nn.Conv2d(3, 8, 3, groups=2),  # PRM202: 5, layer='Conv2d'
)
