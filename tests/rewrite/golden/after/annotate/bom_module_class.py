import torch.nn as nn


class Net(nn.Module):  # [paramlint] total 224 params (all trainable), with default arguments
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(  # [paramlint] total 224 params (all trainable), with default arguments
            nn.Conv2d(3, 8, 3),  # [paramlint] 224 params
            nn.ReLU(),  # [paramlint] 0 params
        )
