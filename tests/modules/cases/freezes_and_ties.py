# incomplete: conditional, early
"""Freezes reach only the model they change; a parameter borrowed from outside the model is refused."""
import copy

import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, d=8, n=3):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))
        self.out = nn.Linear(d, n)


frozen_body = Head()
for p in frozen_body.body.parameters():
    p.requires_grad = False
untouched = Head()

shared_emb = nn.Embedding(10, 8)


class Borrower(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 10, bias=False)
        self.proj.weight = shared_emb.weight


outside_tie = Borrower()

conditional = Head(4, 2)
for name, p in conditional.named_parameters():
    if p.numel() > 10:
        p.requires_grad = False

half = Head(4, 2)
for name, p in half.named_parameters():
    if name.startswith("body.0") or name.endswith("bias"):
        p.requires_grad = False

replaced = Head()
replaced.body[2] = nn.Linear(8, 32)
replaced.out = nn.Linear(32, 5)
del replaced.body

copied = Head(2, 2)
twin = copy.deepcopy(copied)

early = Head()
for p in early.parameters():  # torch freezes the first parameter only: which one is not followed, so no split
    p.requires_grad = False
    break
