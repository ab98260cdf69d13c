# options: --param-budget=100
"""noqa on the Sequential( line silences that model's budget diagnostic, and only that."""
import torch.nn as nn

accepted = nn.Sequential(nn.Linear(100, 100))  # noqa: PRM101

accepted_everything = nn.Sequential(nn.Linear(100, 100))  # noqa

wrong_code = nn.Sequential(nn.Linear(100, 100))  # noqa: E501  # PRM101: 14, total=10100

# noqa: PRM101 on the line above does not count
reported = nn.Sequential(nn.Linear(100, 100))  # PRM101: 12, model='reported'

layer_line = nn.Sequential(  # PRM101: 14
    nn.Linear(100, 100),  # noqa: PRM101 here is the wrong line
)
