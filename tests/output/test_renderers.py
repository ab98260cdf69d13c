"""Unit tests of the renderers on reports built in-process (no subprocess)."""
from __future__ import annotations

import json
import re

from paramlint.lint.analyze import analyze
from paramlint.lint.report import FileReport
from paramlint.lint.settings import Settings
from paramlint.output import json_format, markdown, table
from paramlint.output.common import CellMap, memory

LONG = """import torch.nn as nn
# paramlint: input-shape=(64,)
a_model_whose_name_goes_on_and_on_and_on_well_past_any_terminal = nn.Sequential(
    nn.Linear(64, 4096),
    nn.Sequential(nn.Linear(4096, 32), nn.Linear(32, 32)),
)
"""
PIPES = """import torch.nn as nn
model = nn.Sequential()
model.add_module("a|b<c>", nn.Linear(2, 2))
"""


def report(source: str, path: str = "m.py") -> FileReport:
    return analyze(source, Settings(), path)


def test_fits_80_columns_with_long_names() -> None:
    for explain in (False, True):
        text = table.render([report(LONG)], table.Style(explain=explain))
        assert max(len(line) for line in text.splitlines()) <= 80, text
        assert "…" in text
        assert "266,240" in text and "--" in text  # the big layer, and the container's empty cell


def test_heaviest_layer_has_the_longest_bar() -> None:
    text = table.render([report(LONG)])
    big = next(line for line in text.splitlines() if "(Linear)" in line and "266,240" in line)
    assert "█████▍" in big and "66.8%" in big


def test_colour_only_when_asked() -> None:
    plain = table.render([report(LONG)], table.Style(color=False))
    assert "\x1b[" not in plain
    coloured = table.render([report(LONG)], table.Style(color=True))
    assert "\x1b[1m" in coloured  # the heavy layer stands out


def test_ascii_terminal_gets_ascii_bars() -> None:
    text = table.render([report(LONG)], table.Style(unicode=False))
    text.encode("ascii")
    first = text.split("\nModel: ")[0]  # the outer model's table (its nested Sequential follows as a part)
    bars = [re.findall(r" (#+) +[\d.]+%$", line) for line in first.splitlines() if line.endswith("%")]
    assert bars == [["#####"], ["###"], ["#"]]  # 66.8%, 32.9%, 0.3% of 5 cells; a non-zero share shows one


def test_incomplete_model_shows_what_is_known() -> None:
    text = table.render([report("import torch.nn as nn\nm = nn.Sequential(nn.Linear(3, 4), Mystery())\n")])
    assert "Total params: ? (the counted layers hold 16; 1 layer not counted)" in text
    assert "Not counted exactly, because:" in text and "Mystery" in text


def test_memory_states_units() -> None:
    assert memory(62958) == "245.93 KiB"
    assert memory(10) == "40 B"
    assert memory(25_000_000) == "95.37 MiB"


def test_markdown_escapes_names() -> None:
    text = markdown.render([report(PIPES)])
    assert "<details>" in text and "</details>" in text
    row = next(line for line in text.splitlines() if "Linear" in line and line.startswith("|"))
    assert "a\\|b&lt;c&gt;" in row


def test_json_contract_keeps_v1_keys_and_adds_cells() -> None:
    data = json_format.to_data([report(LONG)])
    assert data["version"] == 1 and set(data) >= {"version", "models", "errors"}
    model = data["models"][0]
    assert set(model) >= {"path", "line", "column", "name", "framework", "complete", "total", "trainable",
                          "non_trainable", "budget", "input_shape", "layers", "problems"}
    assert "cell" not in model
    cells = {"m.py": CellMap(starts=(1, 3), numbers=(2, 5))}
    located = json_format.to_data([report(LONG)], cells)["models"][0]
    assert (located["cell"], located["line"]) == (5, 1)
    assert json.loads(json_format.render([report(LONG)], cells))["models"][0]["layers"][0]["cell"] == 5
