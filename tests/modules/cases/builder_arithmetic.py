"""How library builders size their modules from values computed at build time: a convolution's stored arguments,
widths from tensor arithmetic, stage indices from ``getattr`` with a default, a backbone sliced out of an
``nn.Sequential``."""
import torch
import torch.nn as nn


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
