# options: --extend-select=PRM9
"""PRM9xx (off by default) gives each model's count, for editors; assumed defaults are said."""
import torch.nn as nn


def build(hidden=128):
    return nn.Sequential(nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 10))  # PRM901: 12, total=101770, trainable=101770  # PRM902: 12


counted = nn.Sequential(nn.Linear(2, 3))  # PRM901: 11, model='counted', total=9, trainable=9

uncountable = nn.Sequential(nn.Linear(2, 3), Unknown())
