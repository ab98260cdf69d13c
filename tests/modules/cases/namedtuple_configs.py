"""Configurations held in namedtuples, as EfficientNet ports and research repositories write them: a
collections.namedtuple of block arguments unpacked, indexed and _replace()d, defaults= for the rightmost fields,
a typing.NamedTuple class with a default, and a deep copy of a table of them."""
import collections
import copy
from collections import namedtuple
from typing import NamedTuple

import torch.nn as nn

BlockArgs = collections.namedtuple("BlockArgs", ["kernel_size", "num_repeat", "input_filters", "output_filters", "stride"])
Stage = namedtuple("Stage", "width depth, stride", defaults=(1,))


class Head(NamedTuple):
    features: int
    classes: int = 10


BLOCKS = [BlockArgs(3, 1, 32, 16, 1), BlockArgs(kernel_size=3, num_repeat=2, input_filters=16, output_filters=24, stride=2)]


def build(head=Head(24)):
    layers = []
    for args in BLOCKS:
        k, n, cin, cout, s = args
        for i in range(args.num_repeat):
            layers.append(nn.Conv2d(cin, cout, k, stride=s, padding=k // 2))
            args = args._replace(input_filters=args.output_filters, stride=1)
            cin = args.input_filters
    st = Stage(24, 2)
    layers.append(nn.Conv2d(st.width, st[0] * 2, 1, stride=st.stride))
    layers.append(nn.Flatten())
    layers.append(nn.Linear(48, head.classes))
    return nn.Sequential(*layers)


model = build()
wide = build(Head(24, classes=3))
STAGES = copy.deepcopy([Stage(8, 1), Stage(16, 2, stride=2)])
staged = nn.Sequential(*[nn.Conv2d(s.width, s.width * 2, 3, stride=s.stride) for s in STAGES])
