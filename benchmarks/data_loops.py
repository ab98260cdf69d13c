"""A model file with data-generation loops (the shape of the Keras 2.3.1 ``conv_lstm.py`` example): the
analysis must cost what the model code costs, and give the same JSON on a quiet and on a loaded machine.

Prints the in-process analysis time of the file with and without its data code (a ratio), and compares the
JSON of ``paramlint --format json`` run pinned to one core beside a busy loop on the other with a quiet run.
``python benchmarks/data_loops.py``
"""
from __future__ import annotations

import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODEL = '''
from keras.models import Sequential
from keras.layers import ConvLSTM2D, BatchNormalization, Conv3D
import numpy as np

seq = Sequential()
seq.add(ConvLSTM2D(filters=40, kernel_size=(3, 3), input_shape=(None, 40, 40, 1), padding="same", return_sequences=True))
seq.add(BatchNormalization())
seq.add(ConvLSTM2D(filters=40, kernel_size=(3, 3), padding="same", return_sequences=True))
seq.add(BatchNormalization())
seq.add(Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same", data_format="channels_last"))
seq.compile(loss="binary_crossentropy", optimizer="adadelta")
'''

DATA = '''

def generate_movies(n_samples=1200, n_frames=15):
    row = 80
    col = 80
    noisy_movies = np.zeros((n_samples, n_frames, row, col, 1), dtype=np.float64)
    shifted_movies = np.zeros((n_samples, n_frames, row, col, 1), dtype=np.float64)
    for i in range(n_samples):
        n = np.random.randint(3, 8)
        for j in range(n):
            xstart = np.random.randint(20, 60)
            ystart = np.random.randint(20, 60)
            directionx = np.random.randint(0, 3) - 1
            directiony = np.random.randint(0, 3) - 1
            w = np.random.randint(2, 4)
            for t in range(n_frames):
                x_shift = xstart + directionx * t
                y_shift = ystart + directiony * t
                noisy_movies[i, t, x_shift - w: x_shift + w, y_shift - w: y_shift + w, 0] += 1
                if np.random.randint(0, 2):
                    noise_f = (-1) ** np.random.randint(0, 2)
                    noisy_movies[i, t, x_shift - w - 1: x_shift + w + 1, y_shift - w - 1: y_shift + w + 1, 0] += noise_f * 0.1
    return noisy_movies, shifted_movies


noisy_movies, shifted_movies = generate_movies(n_samples=1200)
for step in range(5000):
    total = step * 2 + 1
print("done", total)
'''


def analysis_ms(source: str, rounds: int = 7) -> float:
    from paramlint.lint.analyze import analyze

    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        analyze(source)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def cli_json(path: Path, pin: bool) -> str:
    cmd = [sys.executable, "-m", "paramlint", "--format", "json", str(path)]
    if pin and os.path.exists("/usr/bin/taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout


def main() -> None:
    model_only, whole = analysis_ms(MODEL), analysis_ms(MODEL + DATA)
    print(f"model code alone: {model_only:.2f} ms; with the data-generation loops: {whole:.2f} ms "
          f"({whole / model_only:.1f}x; target: at most 100 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "conv_lstm.py"
        path.write_text(MODEL + DATA)
        quiet = cli_json(path, pin=False)
        loaders = [multiprocessing.Process(target=busy, args=(20.0,)) for _ in range(os.cpu_count() or 2)]
        for p in loaders:
            p.start()
        try:
            loaded = cli_json(path, pin=True)
        finally:
            for p in loaders:
                p.terminate()
        print(f"same JSON pinned to one core under load as on a quiet run: {quiet == loaded}")


if __name__ == "__main__":
    main()
