"""Runs paramlint on one file in a child process, bounded, and measures it.

A crash (a signal, a traceback, exit status 2) or a hang must not take the test run with it,
so every run is a subprocess with a wall-clock timeout and an address-space ceiling; its peak
memory comes from ``os.wait4``'s rusage of that one child.
"""
from __future__ import annotations

import json
import os
import re
import resource
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

TIMEOUT = float(os.environ.get("PARAMLINT_ROBUSTNESS_TIMEOUT", "60"))  # a hang, not a slow file
ADDRESS_SPACE = 4 * 1024**3  # bytes: a runaway allocation fails inside the child, not the machine
SECONDS_PER_FILE = 10.0  # what a "within limits" file may take (the interpreter's own limit is 5 s)
PEAK_RSS_KIB = 1024 * 1024  # 1 GiB, what a "within limits" file may use; the 50 MB case included


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_kib: int
    hung: bool = False
    data: Optional[dict[str, Any]] = field(default=None, repr=False)

    @property
    def crashed(self) -> bool:
        """A signal, a Python traceback, or our own internal-error exit status."""
        return self.returncode < 0 or self.returncode == 2 or "Traceback" in self.stderr

    def codes(self) -> list[str]:
        data = self.data or {}
        found = [p["code"] for m in data.get("models", []) for p in m["problems"]]
        return found + [n["code"] for n in data.get("notes", [])]


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(argv: list[str], cwd: Optional[Path] = None, timeout: float = TIMEOUT, stdin: Optional[bytes] = None) -> Run:
    """Run ``argv`` and return its outcome, its wall time and its peak resident memory."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"paramlint-robust-{os.getpid()}-{time.monotonic_ns()}"
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                preexec_fn=_limit_memory, start_new_session=True)
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        hung = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                hung = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    for suffix in (".out", ".err"):
        os.unlink(f"{out_path}{suffix}")
    result = Run(proc.returncode, stdout, stderr, seconds, usage.ru_maxrss, hung)
    try:
        result.data = json.loads(stdout)
    except ValueError:
        result.data = None
    return result


def cli(path: Path, *options: str, timeout: float = TIMEOUT) -> Run:
    """``python -m paramlint --format json PATH`` in a bounded child, run from the file's folder."""
    return run([sys.executable, "-m", "paramlint", "--format", "json", *options, path.name], cwd=path.parent, timeout=timeout)


def flake8_available() -> bool:
    try:
        import flake8  # noqa: F401

        import paramlint.flake8_plugin  # noqa: F401
    except ImportError:
        return False
    return True


def flake8(*args: str, cwd: Optional[Path] = None, timeout: float = TIMEOUT) -> Run:
    return run([sys.executable, "-m", "flake8", "--isolated", "--select=PRM", *args], cwd=cwd, timeout=timeout)


# -- the invariants every analysed file must satisfy ----------------------------------------

def model_problems(data: dict[str, Any]) -> list[str]:
    """Every way a JSON report breaks "exact or explicitly incomplete"; empty when it holds."""
    wrong = []
    for m in data.get("models", []):
        where = f"{m['path']}:{m['line']} {m['name']!r}"
        if m["complete"]:
            if not all(isinstance(m[k], int) and not isinstance(m[k], bool) and m[k] >= 0 for k in ("total", "trainable", "non_trainable")):
                wrong.append(f"{where}: complete with counts {m['total']}, {m['trainable']}, {m['non_trainable']}")
            elif m["trainable"] + m["non_trainable"] != m["total"]:
                wrong.append(f"{where}: trainable + non-trainable != total")
            elif sum(layer["params"] for layer in m["layers"]) != m["total"]:
                wrong.append(f"{where}: layer rows do not add up to the total {m['total']}")
        else:
            if m["total"] is not None:  # allowed only when the total is exact and just the split is unknown
                if m["trainable"] is not None or m["non_trainable"] is not None:
                    wrong.append(f"{where}: incomplete but gives a split")
                elif any(layer["params"] is None for layer in m["layers"]) or sum(layer["params"] for layer in m["layers"]) != m["total"]:
                    wrong.append(f"{where}: incomplete with a total {m['total']} its layers do not add up to")
            if not any(p["code"].startswith(("PRM2", "PRM3")) for p in m["problems"]):
                wrong.append(f"{where}: incomplete without a PRM2xx/PRM3xx problem naming the cause")
        for p in m["problems"]:
            if not isinstance(p["line"], int) or p["line"] < 1:
                wrong.append(f"{where}: {p['code']} without a line")
            if "\n" in p["message"]:
                wrong.append(f"{where}: {p['code']} message spans lines")
    return wrong


# -- expectations written in a hostile file's header ----------------------------------------

HEADER = re.compile(rb"^#\s*(expect|build|why)(?:\[(<|>=)(\d+)\.(\d+)\])?:\s*(.*?)\s*$")


def header(data: bytes) -> dict[str, list[str]]:
    """``# expect: ...``, ``# build: ...`` and ``# why: ...`` lines from the top of a file, any line ending.

    ``# expect[<3.12]: ...`` / ``# expect[>=3.12]: ...`` apply only to the running Python's version.
    """
    found: dict[str, list[str]] = {}
    for line in re.split(rb"\r\n|\r|\n", data[:4096].lstrip(b"\xef\xbb\xbf")):
        match = HEADER.match(line.strip(b"\x00\x0c\t "))
        if not match:
            continue
        key, op, major, minor, text = match.groups()
        if op is not None and (sys.version_info[:2] >= (int(major), int(minor))) != (op == b">="):
            continue
        found.setdefault(key.decode(), []).append(text.decode("ascii", "replace"))
    return found


def build(template: bytes, recipe: str) -> bytes:
    """Expand a small committed template into the hostile input (huge files are never committed).

    ``repeat N``: the lines marked ``# @repeat`` appear N times. ``size BYTES``: as many times as
    it takes for the file to reach BYTES. ``nest N OPEN CLOSE``: ``@NEST@`` becomes
    OPEN*N + "1" + CLOSE*N (shell quoting, '' for nothing).
    """
    words = shlex.split(recipe)
    kind, count = words[0], int(words[1].replace("_", ""))
    if kind == "nest":
        opening, closing = words[2], words[3]
        return template.replace(b"@NEST@", (opening * count + "1" + closing * count).encode())
    lines = template.splitlines(keepends=True)
    marked = b"".join(ln for ln in lines if ln.rstrip().endswith(b"# @repeat"))
    at = next(i for i, ln in enumerate(lines) if ln.rstrip().endswith(b"# @repeat"))
    rest = [ln for ln in lines if not ln.rstrip().endswith(b"# @repeat")]
    if kind == "size":
        count = max(1, (count - sum(map(len, rest))) // len(marked) + 1)
    elif kind != "repeat":
        raise ValueError(f"unknown build recipe {recipe!r}")
    return b"".join(rest[:at]) + marked * count + b"".join(rest[at:])


def check_expectations(expect: list[str], result: Run) -> list[str]:
    """The tokens of ``# expect:`` lines, each a claim about the JSON report; the ones that fail."""
    data = result.data or {}
    models, errors = data.get("models", []), data.get("errors", [])
    failed = []
    for token in " ".join(expect).split():
        key, _, value = token.partition("=")
        if key == "total":
            totals = [m["total"] for m in models]
            ok = bool(models) and all(m["complete"] for m in models) and sum(totals) == int(value.replace("_", ""))
        elif key == "models":
            ok = len(models) == int(value)
        elif key == "complete":
            ok = bool(models) and all(m["complete"] for m in models)
        elif key == "incomplete":
            ok = bool(models) and not any(m["complete"] for m in models)
        elif key == "error":
            ok = bool(errors) and all(value.replace("_", " ") in e["message"] for e in errors)
        elif key == "no-error":
            ok = not errors
        elif key == "exit":
            ok = result.returncode == int(value)
        elif re.fullmatch(r"PRM\d{3}", key):
            ok = key in result.codes()
        elif key.startswith("!") and re.fullmatch(r"PRM\d{3}", key[1:]):
            ok = key[1:] not in result.codes()
        else:
            ok = False
            token = f"{token} (unknown expectation)"
        if not ok:
            failed.append(token)
    return failed
