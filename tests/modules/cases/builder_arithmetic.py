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
