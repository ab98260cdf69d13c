"""Differential tests: paramlint against the real Keras 3 (torch backend) and PyTorch.

The oracles are optional: without torch or keras installed, every test here skips cleanly.
``PARAMLINT_DIFF_EXAMPLES=5000 pytest tests/differential`` asks for a longer run (default 300
models per framework, derandomized so CI runs are reproducible), and as many random files of
nn.Module classes (test_diff_modules.py). ``python diff_modules_survey.py N`` runs
N module files without stopping and groups what disagrees.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, os.path.dirname(__file__))
