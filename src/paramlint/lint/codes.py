"""The one table of diagnostic codes. flake8, the CLI, JSON, SARIF and the README all read it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class Code:
    code: str
    rule: str
    template: str  # str.format over a finding's fields; one line
    when: str  # "always", "budget" (only when a budget applies to the model), "opt-in"
    severity: str  # "error", "warning", "note"
    what: str
    why: str
    example: str

    fix: str = ""  # the one thing to do, the default of the ``{fix}`` field (a finding may bring its own)

    def message(self, fields: Mapping[str, Any]) -> str:
        values = _Fields({"fix": self.fix, **fields})
        if self.code == "PRM304" and "fix" not in fields:
            values["fix"] = limit_fix(str(fields.get("limit", "")))
        if self.code == "PRM306" and "fix" not in fields:
            values["fix"] = import_fix(str(fields.get("reason", "")), str(fields.get("module", "")))
        return self.template.format_map(values)


# PRM304: the [tool.paramlint.limits] key behind each limit a finding names
LIMIT_KEYS = {"evaluation steps": "steps", "list size": "items", "loop iterations": "items", "call depth": "depth",
              "time": "seconds", "integer size": "int_bits", "file size": "characters",
              "imported modules": "steps"}


def limit_fix(limit: str) -> str:
    key = LIMIT_KEYS.get(limit)
    if key is None:
        return "simplify the code there (Python's own parser sets this bound)" if limit == "nesting depth" else "simplify the code there"
    return f"raise {key} in [tool.paramlint.limits] of pyproject.toml, or simplify the code there"


def import_fix(reason: str, module: str) -> str:
    if reason.startswith("import cycle"):
        return "import the module instead of the name (import pkg.mod; pkg.mod.Name), or break the cycle"
    return (f"point paramlint at the environment that has '{module}': python-path = [\"path/to/venv\"] in [tool.paramlint] "
            "or --python-path (under pre-commit, add the package to the hook's additional_dependencies)")


class _Fields(dict):  # type: ignore[type-arg]
    """Formats missing fields as '?' so a message never raises."""

    def __missing__(self, key: str) -> str:
        return "?"


CODES: tuple[Code, ...] = (
    Code("PRM000", "internal-error", "paramlint could not analyse this file ({error}); please report it", "always", "error",
         "paramlint itself failed on this file.", "An internal failure must never take flake8 down; it is shown once so it can be reported.",
         "# any file that triggers a bug in paramlint"),
    Code("PRM101", "total-over-budget", "model '{model}' has {total:,} parameters (> budget {budget:,})", "budget", "error",
         "The model's total parameter count is above its budget.",
         "Budgets stop a model from growing unnoticed: every extra parameter costs memory, time and money.",
         "# paramlint: budget=1k\nmodel = nn.Sequential(nn.Linear(100, 100))  # 10,100 > 1,000"),
    Code("PRM102", "trainable-over-budget", "model '{model}' has {trainable:,} trainable parameters (> budget {budget:,})", "budget", "error",
         "The model's trainable parameter count is above its trainable budget.",
         "Frozen backbones are cheap to carry; the trainable part is what training and fine-tuning pay for.",
         "flake8 --param-budget-trainable=1000"),
    Code("PRM201", "input-size-mismatch", "{layer}: {arg}={declared} but the previous layer produces {actual}", "always", "error",
         "A layer's declared input size disagrees with what the layer before it produces.",
         "The model cannot run: PyTorch raises a shape error on the first forward pass.",
         "nn.Sequential(nn.Linear(10, 20), nn.Linear(30, 5))  # 30 != 20"),
    Code("PRM202", "impossible-configuration", "{layer}: {reason}", "always", "error",
         "A layer's configuration is one the framework refuses (output size <= 0, groups not dividing channels, ...).",
         "The model cannot be built; the count would describe a model that does not exist.",
         "nn.Conv2d(3, 8, 3, groups=2)  # 3 input channels not divisible by 2 groups"),
    Code("PRM301", "unknown-layer", "cannot count '{layer}': not a layer paramlint knows; {fix}", "budget", "warning",
         "The model uses a layer outside paramlint's catalog (or a name it cannot resolve to one).",
         "The budget cannot be checked when part of the model is not counted.",
         "model = nn.Sequential(MyCustomBlock(64))",
         fix="declare its count with '# paramlint: params=N' on its line"),
    Code("PRM302", "value-not-static", "cannot count {what}: {reason}; {fix}", "budget", "warning",
         "A value the count depends on is not known from the source alone.",
         "paramlint never guesses: a count built on a guessed value could be wrong.",
         "model = nn.Sequential(nn.Linear(int(os.environ['H']), 10))",
         fix="write the value in the file (a literal or a module constant), or declare the layer's count with '# paramlint: params=N' on its line"),
    Code("PRM303", "input-shape-unknown",
         "model '{model}' gives no input shape, so {layer} cannot be sized; {fix}",
         "budget", "warning",
         "A Keras model (or a PyTorch one with lazy modules) gives no input shape; the framework itself cannot count it before it runs.",
         "Layers such as Dense and Conv2D size their weights from their input.",
         "model = keras.Sequential([keras.layers.Dense(10)])",
         fix="put keras.Input(shape=...) first, or add '# paramlint: input-shape=(...)' on the line above the model"),
    Code("PRM304", "analysis-limit", "analysis stopped: {limit} limit reached ({value}); {fix}", "budget", "warning",
         "The file needs more work than paramlint's bounded analysis allows (loop iterations, list sizes, depth, time).",
         "Analysis is bounded so that no file can hang a commit.",
         "for _ in range(10**12): model.add(Dense(1))"),
    Code("PRM305", "bad-directive", "cannot read directive '{directive}': {reason}", "always", "error",
         "A '# paramlint:' comment could not be read.",
         "A directive that is silently ignored would leave a model without the budget or shape its author meant.",
         "# paramlint: budget=lots"),
    Code("PRM306", "import-not-followed", "cannot count {what}: {reason}; {fix}", "budget", "warning",
         "A value the count depends on comes from an import paramlint cannot follow: the module is not found (not installed "
         "where paramlint looks), compiled, or the name is not yet bound because of an import cycle.",
         "paramlint reads imported modules' source to count what they build; without it the count would be a guess.",
         "from mylib.blocks import ResBlock  # mylib installed in another environment\nmodel = nn.Sequential(ResBlock(64))"),
    Code("PRM901", "model-count", "model '{model}' has {total:,} parameters ({trainable:,} trainable)", "opt-in", "note",
         "Information: the model's parameter count, for editors.",
         "Seeing the size of a model where it is defined helps keep it in check.",
         "flake8 --extend-select=PRM9"),
    Code("PRM902", "assumed-defaults", "model '{model}' counted with assumed values: {assumption}", "opt-in", "note",
         "Information: the count used default values (function parameter defaults, argparse defaults) or a declared count (params=N).",
         "A different argument at run time gives a different model; the count holds for the defaults.",
         "def build(hidden=128): return nn.Sequential(nn.Linear(784, hidden))"),
)

BY_CODE: dict[str, Code] = {c.code: c for c in CODES}

# engine finding kind -> code
FINDING_CODES: dict[str, str] = {
    "mismatch": "PRM201",
    "invalid_config": "PRM202",
    "unsupported_layer": "PRM301",
    "unknown_value": "PRM302",
    "needs_input_shape": "PRM303",
    "limit_reached": "PRM304",
    "import_not_followed": "PRM306",
}


def markdown_table() -> str:
    """The README's code table, generated from the registry (a test keeps the README in sync)."""
    when = {"always": "on", "budget": "on when a budget applies", "opt-in": "off (opt in: `--extend-select=PRM9`)"}
    lines = ["| code | rule | default | what it means |", "| --- | --- | --- | --- |"]
    for c in CODES:
        lines.append(f"| `{c.code}` | {c.rule} | {when[c.when]} | {c.what} |")
    return "\n".join(lines)
