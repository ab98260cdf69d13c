# incomplete: near_tie
"""How library builders size their modules from values computed at build time: a convolution's stored arguments,
widths from tensor arithmetic, stage indices from ``getattr`` with a default, a backbone sliced out of an
``nn.Sequential``."""
import math
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchEmbed(nn.Module):
    """Sizes from what a convolution keeps of its arguments: ``stride`` is a tuple even when given as an int."""

    def __init__(self, frames: int = 16, size: int = 32) -> None:
        super().__init__()
        self.proj = nn.Conv3d(3, 8, kernel_size=3, stride=(2, 4, 4), padding=1)
        self.pool = nn.Conv2d(8, 8, 3, 2)
        grid = [n // s for n, s in zip((frames, size, size), self.proj.stride)]
        self.pos = nn.Parameter(torch.zeros(1, grid[0] * grid[1] * grid[2], self.proj.out_channels))
        k = self.pool.kernel_size[0] * self.pool.stride[1] + self.pool.padding[0] + self.pool.dilation[1] + self.pool.groups
        self.head = nn.Linear(k, self.pool.in_channels)


patch_embed = PatchEmbed()


class Block(nn.Module):
    """A block marks itself where it changes resolution; the plain ones never set the flag."""

    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride, 1)
        if stride > 1:
            self._is_stage_start = True


class ConvBN(nn.Sequential):
    def __init__(self, cin: int, cout: int) -> None:
        super().__init__(nn.Conv2d(cin, cout, 1), nn.BatchNorm2d(cout))


def _features() -> nn.Sequential:
    return nn.Sequential(ConvBN(3, 8), Block(8, 8, 1), Block(8, 16, 2), Block(16, 16, 1), nn.MaxPool2d(2),
                         Block(16, 32, 2), ConvBN(32, 64), nn.MaxPool2d(2), nn.Conv2d(64, 64, 1))


class Staged(nn.Module):
    """Stages found by a flag some blocks set (``getattr`` with a default) and by the pooling layers, the trunk cut
    out of the backbone by slicing it, a head per stage."""

    def __init__(self) -> None:
        super().__init__()
        features = _features()
        stages = [i for i, b in enumerate(features) if isinstance(b, (Block, ConvBN)) and getattr(b, "_is_stage_start", False)]
        pools = [i for i, m in enumerate(features) if isinstance(m, nn.MaxPool2d)]
        self.trunk = nn.Sequential(*features[:pools[-1]])
        self.tail = features[pools[-1]:]
        self.heads = nn.ModuleList([nn.Linear(len(stages) + i, 4) for i in range(len(pools))])
        self.heads.insert(1, nn.Linear(stages[-1], 2))
        self.first = features[1:3][-1]


staged = Staged()
trunk_only = _features()[:4]
for _p in trunk_only[1:].parameters():
    _p.requires_grad = False


def _quantized_widths(depth: int, w_0: int, w_a: float, w_m: float, quant: int = 8) -> tuple[list[int], list[int]]:
    """Widths on a log scale, quantized (RegNet's design space): torch arithmetic on a few known numbers."""
    cont = torch.arange(depth) * w_a + w_0
    steps = torch.round(torch.log(cont / w_0) / math.log(w_m))
    widths = (torch.round(torch.divide(w_0 * torch.pow(w_m, steps), quant)) * quant).int().tolist()
    starts = [i for i, (w, before) in enumerate(zip(widths + [0], [0] + widths)) if w != before]
    depths = torch.diff(torch.tensor(starts)).int().tolist()
    return torch.unique(torch.tensor(widths)).tolist(), depths


class Quantized(nn.Module):
    def __init__(self, depth: int = 18, w_0: int = 80, w_a: float = 34.01, w_m: float = 2.25) -> None:
        super().__init__()
        widths, depths = _quantized_widths(depth, w_0, w_a, w_m)  # 80 * 2.25 / 8 is 22.5: torch rounds it to even
        stages = []
        cin = 3
        for width, n in zip(widths, depths):
            stages.append(nn.Sequential(*[nn.Conv2d(cin if i == 0 else width, width, 3, groups=1) for i in range(n)]))
            cin = width
        self.stages = nn.Sequential(*stages)
        ramp = torch.arange(2, 11, 3).float() ** 2 / 3 - 1  # 0.333.., 7.0, 20.333..
        sizes = [int(v) for v in torch.ceil(torch.sqrt(torch.exp(torch.log(ramp + 2))))]
        runs = torch.unique_consecutive(torch.tensor([4, 4, 2, 2, 4])).tolist()
        self.heads = nn.ModuleList([nn.Linear(a, b) for a, b in zip(sizes, runs)])
        self.bias = nn.Parameter(torch.zeros(int(torch.floor(-torch.tensor(2.5)).item()) + 6, len(torch.arange(5))))
        self.scale = nn.Linear(int(float(torch.tensor([2.5]) * 4)), 3)
        self.gains = nn.Parameter(torch.tensor([1.0, 2.0, 4.0]))
        self.gain = nn.Parameter(torch.tensor(0.5))
        self.none = nn.Linear(len(set()) + 1, 1)


class NearTie(nn.Module):
    """A width on a rounding boundary after a transcendental function: torch's last bit decides, never a guess."""

    def __init__(self) -> None:
        super().__init__()
        width = torch.round(torch.log(torch.tensor([math.exp(2.5)]))).int().tolist()[0] * 8 + 8
        self.fc = nn.Linear(width, 2)


quantized = Quantized()
quantized_other = Quantized(16, 48, 27.89, 2.09)
near_tie = NearTie()


class Squeeze(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.fc = nn.Conv2d(channels, channels // 4, 1)
        self.back = nn.Conv2d(channels // 4, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.back(F.relu(self.fc(F.adaptive_avg_pool2d(x, 1))))
        return torch.sigmoid(scale) * x  # (N, C, 1, 1) broadcast over (N, C, H, W)


class Extractor(nn.Module):
    """A backbone returning several feature maps; the head learns their widths by running it on a dummy image."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 12, 3, 2, 1), Squeeze(12))
        self.scale = nn.Parameter(torch.ones(12) * 20)
        self.register_buffer("mean", torch.zeros(3))
        self.extra = nn.ModuleList([nn.Conv2d(12, 20, 3, 2, 1), nn.Conv2d(20, 28, 3, 2, 1)])

    def forward(self, x: torch.Tensor) -> "OrderedDict[str, torch.Tensor]":
        x = self.stem(x)
        out = [self.scale.view(1, -1, 1, 1) * F.normalize(x)]
        for block in self.extra:
            x = block(x)
            out.append(x)
        return OrderedDict([(str(i), v) for i, v in enumerate(out)])


def _out_channels(model: nn.Module, size: int) -> list[int]:
    with torch.no_grad():
        features = model(torch.zeros((1, 3, size, size), device=next(model.parameters()).device))
        if isinstance(features, torch.Tensor):
            features = OrderedDict([("0", features)])
        return [x.size(1) for x in features.values()]


class Detector(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.backbone = Extractor()
        widths = self.backbone.out_channels if hasattr(self.backbone, "out_channels") else _out_channels(self.backbone, 64)
        self.heads = nn.ModuleList([nn.Conv2d(w, 6, 3, padding=1) for w in widths])
        self.mean_width = nn.Linear(len(self.backbone.mean.view(-1, 1)) if hasattr(self.backbone, "mean") else 1, 2)


detector = Detector()
