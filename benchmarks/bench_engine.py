"""paramlint against the frameworks, measured in one run; prints ratios, asserts nothing.

1. Whole process: `paramlint --format json` on the worked examples vs a Python process that
   imports Keras (torch backend) or PyTorch, builds the same four models and counts them.
2. In process, frameworks already imported: building and counting VGG-16 (138M weights are
   allocated) vs paramlint analysing VGG-16's source.
3. In process: analysing a 20-layer model file (median of many runs).
4. A 10,000-layer Sequential: time and peak memory of the paramlint process.
5. A GPT-3-175B-shaped stack: counted exactly, checked against the closed form.

Run: python benchmarks/bench_engine.py [--rounds N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKED = ROOT / "fixtures" / "worked"
ENV = {**os.environ, "KERAS_BACKEND": "torch"}

KERAS_BUILD = """
import os, sys, types
import keras
tf = types.ModuleType("tensorflow"); tf.keras = keras
sys.modules.update({"tensorflow": tf, "tensorflow.keras": keras, "tensorflow.keras.layers": keras.layers,
                    "tensorflow.keras.models": keras.models})
total = 0
for path in sys.argv[1:]:
    ns = {"__name__": "bench"}
    exec(open(path).read(), ns)
    total += sum(v.count_params() for v in ns.values() if isinstance(v, keras.Model))
print(total)
"""
TORCH_BUILD = """
import sys, torch
total = 0
for path in sys.argv[1:]:
    ns = {"__name__": "bench"}
    exec(open(path).read(), ns)
    total += sum(sum(p.numel() for p in v.parameters()) for v in ns.values() if isinstance(v, torch.nn.Sequential))
print(total)
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def whole_process(rounds: int) -> None:
    keras_files = sorted(str(p) for p in WORKED.glob("*_keras.py"))
    torch_files = sorted(str(p) for p in WORKED.glob("*_torch.py"))
    runs: dict[str, list[float]] = {"paramlint": [], "keras": [], "torch": []}
    for _ in range(rounds):  # alternate, so drift hits every contender alike
        runs["paramlint"].append(timed([sys.executable, "-m", "paramlint", "--format", "json", str(WORKED)]))
        runs["keras"].append(timed([sys.executable, "-c", KERAS_BUILD, *keras_files]))
        runs["torch"].append(timed([sys.executable, "-c", TORCH_BUILD, *torch_files]))
    med = {k: statistics.median(v) for k, v in runs.items()}
    print("1. whole process, the 4 worked examples (both frameworks for paramlint), median of", rounds)
    print(f"   paramlint {med['paramlint']:.3f} s | keras {med['keras']:.3f} s | torch {med['torch']:.3f} s")
    print(f"   keras / paramlint = {med['keras'] / med['paramlint']:.1f}x (target >= 10x)")
    print(f"   torch / paramlint = {med['torch'] / med['paramlint']:.1f}x (target >= 4x)")


VGG16_TORCH = """import torch.nn as nn

CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]

layers = []
in_channels = 3
for v in CFG:
    if v == "M":
        layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    else:
        layers += [nn.Conv2d(in_channels, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
        in_channels = v

# paramlint: input-shape=(3, 224, 224)
vgg16 = nn.Sequential(
    *layers,
    nn.Flatten(),
    nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),
    nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(),
    nn.Linear(4096, 1000),
)
"""


def in_process_vgg(rounds: int) -> None:
    import torch

    from paramlint.lint.analyze import analyze

    torch.set_num_threads(1)
    ns: dict[str, object] = {}
    framework = []
    for _ in range(max(1, rounds // 2)):
        start = time.perf_counter()
        exec(VGG16_TORCH, ns)  # noqa: S102 - our own benchmark source
        model = ns["vgg16"]
        count = sum(p.numel() for p in model.parameters())  # type: ignore[attr-defined]
        framework.append(time.perf_counter() - start)
        del model, ns["vgg16"]
    ours = []
    for _ in range(rounds * 5):
        start = time.perf_counter()
        report = analyze(VGG16_TORCH, path="vgg16.py")
        ours.append(time.perf_counter() - start)
    total = report.models[0].total
    f, p = statistics.median(framework), statistics.median(ours)
    print("2. in process, VGG-16 (PyTorch already imported)")
    print(f"   torch build+count {f * 1000:.0f} ms ({count:,}) | paramlint {p * 1000:.2f} ms ({total:,}) | ratio {f / p:.0f}x (target >= 100x)")
    assert count == total, (count, total)


def twenty_layers(rounds: int) -> None:
    from paramlint.lint.analyze import analyze

    body = "".join(f"    layers.Dense({16 + i}, activation='relu'),\n" for i in range(19))
    source = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n\n"
              f"model = keras.Sequential([\n    keras.Input(shape=(32,)),\n{body}    layers.Dense(10),\n])\n")
    analyze(source)  # warm: the first call pays imports
    times = []
    for _ in range(rounds * 40):
        start = time.perf_counter()
        analyze(source)
        times.append(time.perf_counter() - start)
    print(f"3. in process, a 20-layer model file: median {statistics.median(times) * 1000:.2f} ms (target <= 5 ms)")


def ten_thousand_layers() -> None:
    source = "import torch.nn as nn\n\nmodel = nn.Sequential(\n" + "".join("    nn.Linear(8, 8),\n" for _ in range(10_000)) + ")\n"
    # VmHWM, not ru_maxrss: the latter survives exec and would report the parent's peak.
    hwm = "int([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]) / 1024"
    probe = (
        "import sys, time\nfrom paramlint.lint.analyze import analyze\n"
        "src = open(sys.argv[1]).read()\nt = time.perf_counter(); r = analyze(src)\n"
        f"print(time.perf_counter() - t, {hwm}, r.models[0].total)\n"
    )
    baseline = f"import paramlint.lint.analyze\nprint({hwm})\n"
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(source)
    try:
        out = subprocess.run([sys.executable, "-c", probe, fh.name], check=True, capture_output=True, text=True).stdout.split()
        base = float(subprocess.run([sys.executable, "-c", baseline], check=True, capture_output=True, text=True).stdout)
    finally:
        os.unlink(fh.name)
    seconds, peak, total = float(out[0]), float(out[1]), int(out[2])
    print(f"4. a 10,000-layer Sequential: {seconds:.2f} s, peak RSS {peak:.0f} MB ({peak - base:.0f} MB above the"
          f" {base:.0f} MB of an idle process) (targets <= 2 s, <= 200 MB); total {total:,} (expected {10_000 * 72:,})")


def gpt3() -> None:
    from paramlint.lint.analyze import analyze

    d, heads, ff, n_layers, vocab, ctx = 12288, 96, 4 * 12288, 96, 50257, 2048
    source = (
        "import torch.nn as nn\n\nD, HEADS, FF, LAYERS, VOCAB = "
        f"{d}, {heads}, {ff}, {n_layers}, {vocab}\n\n"
        "blocks = [nn.TransformerEncoderLayer(D, HEADS, FF, batch_first=True, norm_first=True) for _ in range(LAYERS)]\n"
        "gpt3 = nn.Sequential(nn.Embedding(VOCAB, D), *blocks, nn.LayerNorm(D), nn.Linear(D, VOCAB, bias=False))\n"
    )
    start = time.perf_counter()
    report = analyze(source)
    elapsed = time.perf_counter() - start
    model = report.models[0]
    # closed form, independent of the engine: attention 4d^2+4d, two linears 2*d*ff+ff+d, two norms 4d
    block = 4 * d * d + 4 * d + 2 * d * ff + ff + d + 4 * d
    expected = vocab * d + n_layers * block + 2 * d + d * vocab
    print(f"5. GPT-3-175B-shaped stack ({n_layers} blocks, d={d}, context {ctx} not a parameter): {model.total:,} parameters"
          f" in {elapsed * 1000:.0f} ms; closed form {expected:,}: {'equal' if model.total == expected else 'DIFFERENT'};"
          f" the framework would allocate {model.total * 4 / 2**30:,.0f} GiB of float32 weights")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    whole_process(args.rounds)
    in_process_vgg(args.rounds)
    twenty_layers(args.rounds)
    ten_thousand_layers()
    gpt3()


if __name__ == "__main__":
    main()
