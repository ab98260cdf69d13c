"""Whole PyTorch models (issue 8): flake8 overhead on class-based model files and on torch files without
models, and the whole process against building the model with PyTorch. Prints ratios, asserts nothing.

Usage: python benchmarks/bench_modules.py [--rounds N] [--files N] [--part all|flake8|process] [--keep DIR]

1. flake8 CPU overhead, with and without the plugin (the machinery of ``flake8_overhead.py``: same
   driver, alternating rounds, median; "with" sets a budget no model exceeds, so every model is counted
   and checked and flake8 pays no re-tokenizing for findings):
   (c) class-based models: the files of ``fixtures/modules`` plus generated files, each defining 1-3
       ``nn.Module`` classes in the styles real code uses (layers as attributes, an ``nn.ModuleList``
       filled in a loop, a helper method returning an ``nn.Sequential``, a block class used by another)
       and instantiating them. Target <= 1.25x.
   (d) files that import torch but define no model: training scripts, losses, metrics, data transforms,
       a loss module instantiated (not a model). Target <= 1.02x.
2. Whole process, wall clock: ``paramlint --format json`` on ``fixtures/modules/resnet_torchvision.py``
   (torchvision's resnet.py shape: 3 classes, 14 helpers and builders; paramlint counts all ten models
   it makes) vs a Python process that imports torch and builds ResNet-50 from the same file on the meta
   device (``with torch.device("meta"):``, no weights allocated) and counts it. Target >= 10x. Also
   printed: against building all ten models the file makes, as paramlint counts them.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flake8_overhead import measure  # noqa: E402 - the shared flake8 machinery

ROOT = Path(__file__).resolve().parent.parent
MODULE_FIXTURES = ROOT / "fixtures" / "modules"
RESNET = MODULE_FIXTURES / "resnet_torchvision.py"

# --- (c) class-based model files ---------------------------------------------------------------------

ACTS = ("nn.ReLU()", "nn.GELU()", "nn.SiLU()", "nn.Tanh()")


def _attribute_class(rng: random.Random, name: str) -> str:
    width = rng.choice((16, 32, 64))
    lines = [f"class {name}(nn.Module):", "    def __init__(self, in_channels=3, num_classes=10):",
             "        super().__init__()"]
    cin = "in_channels"
    for i in range(rng.randint(2, 5)):
        lines.append(f"        self.conv{i} = nn.Conv2d({cin}, {width}, 3, padding=1)")
        lines.append(f"        self.bn{i} = nn.BatchNorm2d({width})")
        cin, width = str(width), width * 2
    lines += [f"        self.act = {rng.choice(ACTS)}", "        self.pool = nn.AdaptiveAvgPool2d(1)",
              f"        self.fc = nn.Linear({cin}, num_classes)", "",
              "    def forward(self, x):", "        return self.fc(torch.flatten(self.pool(self.act(x)), 1))", ""]
    return "\n".join(lines)


def _modulelist_class(rng: random.Random, name: str) -> str:
    dim = rng.choice((64, 128, 256))
    return f'''class {name}(nn.Module):
    def __init__(self, dim={dim}, depth={rng.randint(2, 8)}, expansion={rng.choice((2, 4))}):
        super().__init__()
        self.embed = nn.Linear(32, dim)
        self.blocks = nn.ModuleList()
        for _ in range(depth):
            self.blocks.append(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim * expansion), {rng.choice(ACTS)},
                                             nn.Linear(dim * expansion, dim)))
        self.head = self._head(dim, {rng.choice((2, 10, 100))})

    def _head(self, dim, classes):
        return nn.Sequential(nn.LayerNorm(dim), nn.Dropout(0.1), nn.Linear(dim, classes))

    def forward(self, x):
        x = self.embed(x)
        for block in self.blocks:
            x = x + block(x)
        return self.head(x)
'''


def _block_classes(rng: random.Random, name: str) -> str:
    return f'''class {name}Block(nn.Module):
    expansion = {rng.choice((1, 2, 4))}

    def __init__(self, channels, stride=1):
        super({name}Block, self).__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels * self.expansion, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels * self.expansion)

    def forward(self, x):
        return torch.relu(self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))))


class {name}(nn.Module):
    def __init__(self, block={name}Block, widths=({rng.choice((16, 32))}, {rng.choice((64, 128))}), num_classes=10):
        super({name}, self).__init__()
        self.stem = nn.Conv2d(3, widths[0], 3, padding=1)
        stages, in_channels = [], widths[0]
        for width in widths:
            stages.append(self._stage(block, in_channels, width))
            in_channels = width * block.expansion
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(in_channels, num_classes)

    def _stage(self, block, in_channels, width):
        return nn.Sequential(nn.Conv2d(in_channels, width, 1), block(width))

    def forward(self, x):
        return self.fc(self.stages(self.stem(x)).mean((2, 3)))
'''


def generate_class_corpus(dest: Path, files: int, seed: int = 8) -> int:
    rng = random.Random(seed)
    for i in range(files):
        parts, names = [], []
        for j in range(rng.randint(1, 3)):
            name = f"Net{i}_{j}"
            maker = rng.choice((_attribute_class, _modulelist_class, _block_classes))
            parts.append(maker(rng, name))
            names.append(name)
        instances = "\n".join(f"model_{k} = {n}()" for k, n in enumerate(names))
        text = "import torch\nimport torch.nn as nn\n\n\n" + "\n\n".join(parts) + "\n\n" + instances + "\n"
        (dest / f"classes_{i:03d}.py").write_text(text)
    for path in sorted(MODULE_FIXTURES.glob("*.py")):
        shutil.copyfile(path, dest / path.name)
    return files + len(list(MODULE_FIXTURES.glob("*.py")))


# --- (d) torch files without models ------------------------------------------------------------------

NO_MODEL_TEMPLATES = (
    '''def train_one_epoch(model, loader, optimizer, device, epoch, log_interval={n}):
    model.train()
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    total = 0.0
    for batch_idx, (data, target) in enumerate(loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        loss = criterion(model(data), target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        total += loss.item()
        if batch_idx % log_interval == 0:
            print(f"epoch {{epoch}} [{{batch_idx * len(data)}}/{{len(loader.dataset)}}] loss {{loss.item():.4f}}")
    return total / max(1, len(loader))
''',
    '''@torch.no_grad()
def evaluate_{n}(model, loader, device):
    model.eval()
    correct, seen = 0, 0
    for data, target in loader:
        logits = model(data.to(device))
        correct += (logits.argmax(dim=1) == target.to(device)).sum().item()
        seen += target.numel()
    return correct / max(1, seen)
''',
    '''def focal_loss_{n}(logits, targets, gamma=2.0, alpha=0.25):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
    return (alpha_t * loss).mean()
''',
    '''class RandomCrop{n}:
    def __init__(self, size={n}):
        self.size = size

    def __call__(self, img):
        _, h, w = img.shape
        top = torch.randint(0, h - self.size + 1, (1,)).item()
        left = torch.randint(0, w - self.size + 1, (1,)).item()
        return img[:, top:top + self.size, left:left + self.size]
''',
    '''class CsvDataset{n}(torch.utils.data.Dataset):
    def __init__(self, rows, transform=None):
        self.rows = rows
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        x = torch.tensor(self.rows[index][:-1], dtype=torch.float32)
        y = torch.tensor(self.rows[index][-1], dtype=torch.long)
        return (self.transform(x) if self.transform else x), y
''',
    '''def cosine_schedule_{n}(optimizer, warmup, total):
    def lr_lambda(step):
        if step < warmup:
            return step / max(1, warmup)
        progress = (step - warmup) / max(1, total - warmup)
        return 0.5 * (1.0 + math.cos(math.pi * progress))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
''',
)


def generate_no_model_corpus(dest: Path, files: int, seed: int = 9) -> int:
    rng = random.Random(seed)
    header = "import math\n\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"
    for i in range(files):
        chunks = [rng.choice(NO_MODEL_TEMPLATES).format(n=rng.randint(2, 64)) for _ in range(rng.randint(3, 8))]
        (dest / f"utils_{i:03d}.py").write_text(header + "\n\n".join(chunks))
    return files


# --- 2. whole process --------------------------------------------------------------------------------

TORCH_META = """
import sys, torch
ns = {"__name__": "bench"}
with torch.device("meta"):
    exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), ns)  # builds the file's own model, cifar
    models = [ns[name]() for name in sys.argv[2:]]
if len(models) > 1:
    models.append(ns["cifar"])
print(sum(sum(p.numel() for p in m.parameters()) for m in models))
"""
BUILDERS = ("resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnext50_32x4d", "resnext101_32x8d",
            "wide_resnet50_2", "wide_resnet101_2")


def _wall(cmd: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=cwd)
    return time.perf_counter() - start, out.stdout


def whole_process(rounds: int, work: Path) -> None:
    import json

    target = work / "resnet.py"
    shutil.copyfile(RESNET, target)
    ours = [sys.executable, "-m", "paramlint", "--format", "json", str(target)]
    one = [sys.executable, "-c", TORCH_META, str(target), "resnet50"]
    every = [sys.executable, "-c", TORCH_META, str(target), *BUILDERS]
    runs: dict[str, list[float]] = {"paramlint": [], "torch resnet50": [], "torch all ten": []}
    outputs: dict[str, str] = {}
    for cmd, key in ((ours, "paramlint"), (one, "torch resnet50"), (every, "torch all ten")):  # warm the page cache
        outputs[key] = _wall(cmd, work)[1]
    for _ in range(rounds):
        for cmd, key in ((ours, "paramlint"), (one, "torch resnet50"), (every, "torch all ten")):
            runs[key].append(_wall(cmd, work)[0])
    med = {k: statistics.median(v) for k, v in runs.items()}
    models = json.loads(outputs["paramlint"])["models"]
    outer = [m for m in models if m.get("part_of") is None]
    counted = sum(m["total"] for m in outer if m["total"] is not None)
    print(f"2. whole process on {RESNET.relative_to(ROOT)}, median of {rounds} (wall clock)")
    print(f"   paramlint --format json: {med['paramlint']:.3f} s ({len(outer)} outermost models reported, "
          f"{sum(1 for m in outer if m['complete'])} complete, {counted:,} parameters in the complete ones)")
    print(f"   import torch + ResNet-50 on the meta device: {med['torch resnet50']:.3f} s"
          f" ({int(outputs['torch resnet50']):,} parameters)")
    print(f"   import torch + all ten models on the meta device: {med['torch all ten']:.3f} s"
          f" ({int(outputs['torch all ten']):,} parameters)")
    ratio = med["torch resnet50"] / med["paramlint"]
    print(f"   torch (ResNet-50) / paramlint = {ratio:.1f}x ({'meets' if ratio >= 10 else 'MISSES'} the target >= 10x);"
          f" torch (all ten) / paramlint = {med['torch all ten'] / med['paramlint']:.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=1, help="flake8 -j (default 1: steadier on a shared machine)")
    parser.add_argument("--files", type=int, default=200, help="generated files in each flake8 corpus")
    parser.add_argument("--part", choices=("all", "flake8", "process"), default="all")
    parser.add_argument("--keep", type=Path, help="build the corpora here and keep them")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="paramlint-bench-modules-"))
    try:
        classes, plain, work = root / "class_models", root / "torch_no_models", root / "process"
        for folder in (classes, plain, work):
            folder.mkdir(parents=True, exist_ok=True)
        if args.part in ("all", "flake8"):
            print(f"(c) {generate_class_corpus(classes, args.files)} files of class-based models")
            measure("(c) class-based models, every model within budget", classes, args.rounds, args.jobs, 1.25, "10B")
            print(f"(d) {generate_no_model_corpus(plain, args.files)} files that import torch and define no model")
            measure("(d) torch without models", plain, args.rounds, args.jobs, 1.02, "10B")
        if args.part in ("all", "process"):
            whole_process(args.rounds, work)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
