# options: --param-budget=1k
"""PyTorch models against a global budget: PRM101 on the Sequential( line, silence under it."""
import torch
import torch.nn as nn
from torch.nn import Linear, ReLU, Sequential

over = nn.Sequential(  # PRM101: 8, model='over', total=10100, budget=1000
    nn.Linear(100, 100),
)

under = nn.Sequential(nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 2))

exactly_at_budget = nn.Sequential(nn.Linear(999, 1))

aliased = Sequential(Linear(40, 40), ReLU())  # PRM101: 11, model='aliased', total=1640

nested = torch.nn.Sequential(  # PRM101: 10, model='nested', total=1072
    torch.nn.Sequential(nn.Linear(16, 32), nn.ReLU()),
    nn.Linear(32, 16),
)


def make(width):
    return nn.Sequential(nn.Linear(width, width))  # PRM101: 12, total=4160


wide = make(64)  # the count is reported where the Sequential( call is written
