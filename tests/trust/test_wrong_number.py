"""Issue 11, item 1: an Embedding's input_dim is its vocabulary, never the model's input shape."""
from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import run_cli

SOURCE = """\
import keras
from keras import layers
model = keras.Sequential([layers.Embedding(input_dim=1000, output_dim=16), layers.Flatten(), layers.Dense(1)])
sized = keras.Sequential([keras.Input(shape=(10,)), layers.Embedding(input_dim=1000, output_dim=16), layers.Flatten(), layers.Dense(1)])
"""


def test_embedding_input_dim_is_not_an_input_shape(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    done = run_cli("m.py", "--format=json", cwd=tmp_path)
    unsized, sized = json.loads(done.stdout)["models"]
    assert (unsized["complete"], unsized["total"]) == (False, None)  # was complete with 32,001
    assert [p["code"] for p in unsized["problems"]] == ["PRM303"]
    assert (sized["complete"], sized["total"]) == (True, 16161)
