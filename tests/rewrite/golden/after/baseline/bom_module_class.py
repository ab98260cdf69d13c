import torch.nn as nn


# paramlint: budget=250
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 8, 3),
            nn.ReLU(),
        )
