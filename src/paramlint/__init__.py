"""paramlint: count the parameters of Keras and PyTorch models from source, without running them."""
__version__ = "0.1.0"
