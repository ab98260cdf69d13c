"""Test-wide setup: Keras runs on the torch backend (its numpy backend needs jax)."""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
