"""Keras image and audio preprocessing: Rescaling, Resizing, CenterCrop, RandomCrop, the Random* family, MelSpectrogram. No weights.

Augmentation layers hold a seed state variable, which Keras does not count as a weight.
"""
from __future__ import annotations

from ..spec import Call, Out, Spec, register
from ._common import data_format, join, require, same_shape, split


def to_size(c: Call, height_pos: int, fmt_pos: int) -> Out:
    """(height, width, ..., data_format): the image's spatial dims become (height, width).

    Keras reads a rank-3 input as one unbatched image, which a Sequential cannot express: refused.
    """
    height = c.int("height", height_pos, min=1)
    width = c.int("width", height_pos + 1, min=1)
    fmt = data_format(c, fmt_pos)
    if c.input is None:
        return Out(None)
    _, channels = split(c.need_input(rank=4), fmt)
    return Out(join((height, width), channels, fmt))


@register("keras.layers.Resizing")
def resizing(c: Call) -> Out:
    """(height, width, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode, fill_value, antialias, data_format)."""
    return to_size(c, 0, 8)


@register("keras.layers.CenterCrop")
def center_crop(c: Call) -> Out:
    """(height, width, data_format): smaller inputs are resized up, so the output is always (height, width)."""
    return to_size(c, 0, 2)


@register("keras.layers.RandomCrop")
def random_crop(c: Call) -> Out:
    """(height, width, seed, data_format)."""
    return to_size(c, 0, 3)


@register("keras.layers.Rescaling")
def rescaling(c: Call) -> Out:
    require(c, ("scale", 0))
    return same_shape(c)


@register("keras.layers.MelSpectrogram")
def mel_spectrogram(c: Call) -> Out:
    """(fft_length, sequence_stride=512, sequence_length, window, sampling_rate, num_mel_bins=128, ...): audio
    samples become (num_mel_bins, frames); the mel filter bank is a constant, not a weight."""
    c.int("fft_length", 0, 2048, min=1)
    stride = c.int("sequence_stride", 1, 512, min=1)
    bins = c.int("num_mel_bins", 5, 128, min=1)
    if c.input is None:
        return Out(None)
    samples = c.need_input(rank=2)[0]
    return Out((bins, None if samples is None else (samples + stride + 1) // stride))


def keeps_shape(*required: tuple[str, int]) -> Spec:
    """An augmentation that keeps the image shape; ``required`` are its arguments without defaults."""

    def spec(c: Call) -> Out:
        require(c, *required)
        return same_shape(c)

    return spec


# (name, required arguments and their positions) as in the Keras 3 constructors
_KEEP_SHAPE: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("RandomFlip", ()),
    ("RandomRotation", (("factor", 0),)),
    ("RandomZoom", (("height_factor", 0),)),
    ("RandomTranslation", (("height_factor", 0), ("width_factor", 1))),
    ("RandomContrast", (("factor", 0),)),
    ("RandomBrightness", (("factor", 0),)),
    ("RandomHue", (("factor", 0),)),
    ("RandomSaturation", (("factor", 0),)),
    ("RandomSharpness", (("factor", 0),)),
    ("RandomPosterization", (("factor", 0),)),
    ("RandomColorDegeneration", (("factor", 0),)),
    ("RandomColorJitter", ()),
    ("RandomGrayscale", ()),
    ("RandomInvert", ()),
    ("RandomShear", ()),
    ("RandomErasing", ()),
    ("RandomGaussianBlur", ()),
    ("RandomPerspective", ()),
    ("RandomElasticTransform", ()),
    ("AutoContrast", ()),
    ("Equalization", ()),
    ("Solarization", ()),
    ("MixUp", ()),
    ("CutMix", ()),
    ("AugMix", ()),
    ("RandAugment", ()),
    ("ContrastLimitedAdaptiveHistogramEqualization", (("value_range", 0),)),
    ("MaxNumBoundingBoxes", (("max_number", 0),)),
)

for _name, _required in _KEEP_SHAPE:
    register(f"keras.layers.{_name}")(keeps_shape(*_required))
