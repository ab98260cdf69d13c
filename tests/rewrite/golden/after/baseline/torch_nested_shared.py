"""Nested Sequentials are one row each; a layer instance used twice is counted once."""
import torch.nn as nn

shared = nn.Linear(16, 16)

# paramlint: budget=1.6k
encoder = nn.Sequential(  # expect: total=1377
    nn.Sequential(nn.Linear(32, 16), nn.ReLU()),
    shared,
    nn.ReLU(),
    shared,
    nn.Sequential(nn.Linear(16, 32), nn.Sequential(nn.Linear(32, 1))),
)
