"""Nested Sequentials are one row each; a layer instance used twice is counted once."""
import torch.nn as nn

shared = nn.Linear(16, 16)  # [paramlint] 272 params

encoder = nn.Sequential(  # expect: total=1377  # [paramlint] total 1,377 params (all trainable)
    nn.Sequential(nn.Linear(32, 16), nn.ReLU()),  # [paramlint] total 528 params (all trainable)
    shared,
    nn.ReLU(),  # [paramlint] 0 params
    shared,
    nn.Sequential(nn.Linear(16, 32), nn.Sequential(nn.Linear(32, 1))),  # [paramlint] total 577 params (all trainable); total 33 params (all trainable)
)
