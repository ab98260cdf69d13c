"""The Keras catalog against real Keras 3: counts, trainable split and output shapes, case by case.

Each oracle case is one engine ``Layer``; the Keras layer is built from the same name, positional
arguments and keywords, so the two can only disagree through the spec.
"""
from __future__ import annotations

import os
from typing import Any, Optional

import pytest

from paramlint.engine import REGISTRY, InvalidConfig, Layer, NeedsInputShape, Unknown, UnknownValue, count_stack
from paramlint.engine.values import Symbol

Shape = tuple[Optional[int], ...]


def L(name: str, *args: Any, **kwargs: Any) -> Layer:
    return Layer(f"keras.layers.{name}", args, kwargs)


def case(layer: Layer, shape: Shape, id: str = "") -> Any:
    label = id or layer.type_name + "(" + ", ".join([repr(a) for a in layer.args] + [f"{k}={v!r}" for k, v in layer.kwargs.items()]) + ")"
    return pytest.param(layer, shape, id=f"{label}@{shape}")


def K(name: str, *args: Any, **kwargs: Any) -> Layer:
    """Shorthand for the many nested layers in wrapper cases."""
    return L(name, *args, **kwargs)


CASES = [
    # core
    case(L("Dense", 16), (8,)),
    case(L("Dense", 16, use_bias=False), (4, 8)),
    case(L("Dense", 5, None, False), (3,)),
    case(L("Dense", 4, lora_rank=2), (8,)),
    case(L("Embedding", 100, 8), (10,)),
    case(L("Embedding", 50, 4, lora_rank=3), (6,)),
    case(L("Masking"), (5, 3)),
    case(L("Identity"), (4,)),
    # convolutions
    case(L("Conv1D", 8, 3), (10, 4)),
    case(L("Conv1D", 8, 3, padding="causal", dilation_rate=2), (10, 4)),
    case(L("Conv1D", 8, 4, strides=2, padding="same"), (11, 4)),
    case(L("Convolution1D", 6, 5, 1, "valid", None, 1, 2), (12, 4)),
    case(L("Conv1D", 4, 3, strides=2, padding="causal"), (9, 2)),
    case(L("Conv2D", 32, 3), (28, 28, 3)),
    case(L("Conv2D", 16, (3, 5), strides=(2, 1), padding="same"), (9, 10, 3)),
    case(L("Conv2D", 16, 4, strides=3, padding="same"), (10, 11, 4)),
    case(L("Conv2D", 8, 3, dilation_rate=2), (12, 12, 2)),
    case(L("Conv2D", 16, 3, groups=4, use_bias=False), (8, 8, 8)),
    case(L("Conv2D", 8, 3, data_format="channels_first"), (3, 10, 12)),
    case(L("Conv2D", 8, 3, trainable=False), (6, 6, 2)),
    case(L("Conv2D", 4, 3, lora_rank=2), (6, 6, 3)),
    case(L("Conv2D", 8, 3, padding="SAME"), (5, 5, 1)),
    case(L("Conv2D", 8, 3), (None, None, 3)),
    case(L("Convolution2D", 4, 1), (5, 5, 2)),
    case(L("Conv3D", 4, 3), (6, 6, 6, 2)),
    case(L("Conv3D", 4, (1, 2, 3), strides=2, padding="same", data_format="channels_first"), (2, 5, 6, 7)),
    case(L("Convolution3D", 2, 2, groups=2), (4, 4, 4, 4)),
    case(L("Conv1DTranspose", 4, 3), (5, 2)),
    case(L("Conv1DTranspose", 4, 3, strides=2, padding="same"), (5, 2)),
    case(L("Conv1DTranspose", 4, 3, strides=2, output_padding=1), (5, 2)),
    case(L("Convolution1DTranspose", 2, 4, dilation_rate=2), (5, 3)),
    case(L("Conv2DTranspose", 8, 3, strides=2, padding="same", output_padding=1), (7, 7, 4)),
    case(L("Conv2DTranspose", 8, 4, strides=2, padding="same", output_padding=(0, 1)), (7, 7, 4)),
    case(L("Conv2DTranspose", 8, 4, strides=2), (7, 7, 4)),
    case(L("Conv2DTranspose", 8, (3, 2), strides=(2, 3), padding="same", data_format="channels_first", use_bias=False), (4, 5, 6)),
    case(L("Convolution2DTranspose", 8, 3, 1, "valid", None, None, 2), (5, 5, 2)),
    case(L("Conv3DTranspose", 4, 3, strides=2, padding="same"), (3, 3, 3, 2)),
    case(L("Conv3DTranspose", 4, 2, 2, "valid", "channels_first", 1), (2, 3, 3, 3)),
    case(L("Convolution3DTranspose", 2, 3), (2, 2, 2, 1)),
    case(L("SeparableConv1D", 8, 3, depth_multiplier=2), (10, 4)),
    case(L("SeparableConvolution1D", 8, 3, padding="same", use_bias=False), (10, 4)),
    case(L("SeparableConv2D", 16, 3, strides=2, depth_multiplier=3), (9, 9, 3)),
    case(L("SeparableConvolution2D", 8, 3, data_format="channels_first", dilation_rate=2), (3, 9, 9)),
    case(L("DepthwiseConv1D", 3, depth_multiplier=2), (10, 4)),
    case(L("DepthwiseConv1D", 4, 2, "same", use_bias=False), (9, 3)),
    case(L("DepthwiseConv2D", 3), (8, 8, 3)),
    case(L("DepthwiseConv2D", 3, strides=2, dilation_rate=2), (11, 11, 2)),
    case(L("SeparableConv2D", 4, 3, strides=2, dilation_rate=2), (11, 11, 2)),
    case(L("DepthwiseConv2D", 3, strides=2, padding="same", depth_multiplier=4, data_format="channels_first"), (2, 9, 9)),
    # pooling
    case(L("MaxPooling1D"), (10, 3)),
    case(L("MaxPool1D", 3, padding="same"), (10, 3)),
    case(L("MaxPooling2D"), (9, 9, 3)),
    case(L("MaxPool2D", (3, 2), strides=(1, 2)), (9, 9, 3)),
    case(L("MaxPooling2D", 3, 2, "same", "channels_first"), (3, 10, 11)),
    case(L("MaxPooling3D"), (4, 4, 4, 2)),
    case(L("MaxPooling2D", 2, 1), (None, 5, 3)),
    case(L("MaxPool3D", 2, padding="same"), (5, 5, 5, 1)),
    case(L("AveragePooling1D", 2), (9, 3)),
    case(L("AvgPool1D", 3, 1), (9, 3)),
    case(L("AveragePooling2D", 2, padding="same"), (7, 7, 3)),
    case(L("AvgPool2D", (2, 3), data_format="channels_first"), (3, 8, 9)),
    case(L("AveragePooling3D", 2), (4, 4, 4, 2)),
    case(L("AvgPool3D", 3, 2, "same"), (5, 5, 5, 1)),
    case(L("GlobalAveragePooling1D"), (5, 3)),
    case(L("GlobalAvgPool1D", keepdims=True), (5, 3)),
    case(L("GlobalAveragePooling2D"), (4, 4, 3)),
    case(L("GlobalAvgPool2D", "channels_first", True), (3, 4, 5)),
    case(L("GlobalAveragePooling3D", keepdims=True), (2, 2, 2, 3)),
    case(L("GlobalAvgPool3D"), (2, 2, 2, 3)),
    case(L("GlobalMaxPooling1D"), (5, 3)),
    case(L("GlobalMaxPool1D", keepdims=True), (5, 3)),
    case(L("GlobalMaxPooling2D", keepdims=True), (4, 4, 3)),
    case(L("GlobalMaxPool2D", data_format="channels_first"), (3, 4, 5)),
    case(L("GlobalMaxPooling3D"), (2, 2, 2, 3)),
    case(L("GlobalMaxPool3D", keepdims=True), (2, 2, 2, 3)),
    # reshaping
    case(L("Flatten"), (3, 4, 5)),
    case(L("Flatten", data_format="channels_first"), (2, 3)),
    case(L("Flatten"), (None, 3)),
    case(L("Reshape", (-1, 4)), (3, 8)),
    case(L("Reshape", (2, 3, 4)), (24,)),
    case(L("Reshape", (-1, 4)), (None, 8)),
    case(L("Permute", (2, 1)), (3, 4)),
    case(L("Permute", (3, 1, 2)), (2, 3, 4)),
    case(L("RepeatVector", 3), (5,)),
    case(L("ZeroPadding1D"), (5, 3)),
    case(L("ZeroPadding1D", (1, 2), data_format="channels_first"), (3, 5)),
    case(L("ZeroPadding2D"), (4, 4, 2)),
    case(L("ZeroPadding2D", ((1, 2), (3, 4))), (4, 4, 2)),
    case(L("ZeroPadding2D", (1, 2), "channels_first"), (2, 4, 4)),
    case(L("ZeroPadding3D"), (2, 2, 2, 1)),
    case(L("ZeroPadding3D", (1, (0, 2), 3), data_format="channels_first"), (1, 2, 2, 2)),
    case(L("Cropping1D"), (6, 2)),
    case(L("Cropping1D", (0, 3)), (6, 2)),
    case(L("Cropping2D"), (5, 5, 2)),
    case(L("Cropping2D", ((1, 0), (2, 1))), (6, 6, 2)),
    case(L("Cropping2D", 1, "channels_first"), (2, 5, 6)),
    case(L("Cropping3D"), (4, 4, 4, 1)),
    case(L("Cropping3D", (0, 1, (1, 2)), data_format="channels_first"), (1, 4, 4, 4)),
    case(L("UpSampling1D"), (3, 2)),
    case(L("UpSampling1D", 3), (3, 2)),
    case(L("UpSampling2D"), (3, 4, 2)),
    case(L("UpSampling2D", (2, 3), "channels_first", "bilinear"), (2, 3, 4)),
    case(L("UpSampling3D"), (2, 2, 2, 1)),
    case(L("UpSampling3D", (1, 2, 3), "channels_first"), (1, 2, 2, 2)),
    # regularization
    case(L("Dropout", 0.5), (4,)),
    case(L("AlphaDropout", 0.1), (4,)),
    case(L("GaussianDropout", 0.2), (4,)),
    case(L("GaussianNoise", 0.1), (4,)),
    case(L("SpatialDropout1D", 0.2), (5, 3)),
    case(L("SpatialDropout2D", 0.2), (4, 4, 3)),
    case(L("SpatialDropout3D", 0.2), (2, 2, 2, 3)),
    case(L("ActivityRegularization", 0.01), (4,)),
    # activations
    case(L("Activation", "relu"), (4,)),
    case(L("ReLU"), (4,)),
    case(L("ReLU", 6.0), (4,)),
    case(L("LeakyReLU"), (4,)),
    case(L("ELU"), (4,)),
    case(L("Softmax"), (4,)),
    case(L("PReLU"), (4, 5)),
    case(L("PReLU", shared_axes=[1, 2]), (4, 4, 3)),
    case(L("PReLU", shared_axes=2), (3, 5)),
    case(L("PReLU", shared_axes=[1]), (None, 3)),
    # normalization
    case(L("BatchNormalization"), (8,)),
    case(L("BatchNormalization", center=False), (4, 4, 6)),
    case(L("BatchNormalization", scale=False), (5,)),
    case(L("BatchNormalization", center=False, scale=False), (5,)),
    case(L("BatchNormalization", axis=1), (3, 4, 5)),
    case(L("BatchNormalization", -2), (3, 4)),
    case(L("BatchNormalization", renorm=True), (6,)),
    case(L("BatchNormalization", trainable=False), (6,)),
    case(L("LayerNormalization"), (5, 6)),
    case(L("LayerNormalization", axis=[1, 2]), (3, 4, 5)),
    case(L("LayerNormalization", center=False), (7,)),
    case(L("LayerNormalization", -2, scale=False), (3, 4)),
    case(L("LayerNormalization", center=False, scale=False), (3, 4)),
    case(L("GroupNormalization", 4), (8, 8, 8)),
    case(L("GroupNormalization", groups=-1), (5, 6)),
    case(L("GroupNormalization", 2, 1, center=False), (4, 3, 3)),
    case(L("RMSNormalization"), (6,)),
    case(L("RMSNormalization", axis=[-2, -1]), (3, 4)),
    case(L("UnitNormalization"), (5,)),
    # recurrent
    case(L("SimpleRNN", 8), (5, 3)),
    case(L("SimpleRNN", 4, return_sequences=True, use_bias=False), (5, 3)),
    case(L("SimpleRNN", 3, return_state=True), (4, 2)),
    case(L("LSTM", 8), (5, 3)),
    case(L("LSTM", 4, return_sequences=True), (None, 3)),
    case(L("LSTM", 4, use_bias=False), (5, 3)),
    case(L("LSTM", 2, return_state=True), (4, 2)),
    case(L("GRU", 8), (5, 3)),
    case(L("GRU", 8, reset_after=False), (5, 3)),
    case(L("GRU", 4, return_sequences=True, use_bias=False), (5, 3)),
    case(L("GRU", 4, use_bias=False, reset_after=False), (5, 3)),
    case(L("ConvLSTM1D", 4, 3), (3, 8, 2)),
    case(L("ConvLSTM1D", 4, 3, padding="same", return_sequences=True), (3, 8, 2)),
    case(L("ConvLSTM2D", 4, 3), (3, 6, 6, 2)),
    case(L("ConvLSTM2D", 4, 3, data_format="channels_first", return_sequences=True), (3, 2, 6, 6)),
    case(L("ConvLSTM2D", 2, 3, strides=2, use_bias=False), (2, 7, 7, 1)),
    case(L("ConvLSTM3D", 2, 2), (2, 4, 4, 4, 1)),
    # wrappers
    case(L("Bidirectional", K("LSTM", 8)), (5, 3)),
    case(L("Bidirectional", K("LSTM", 4, return_sequences=True), "sum"), (5, 3)),
    case(L("Bidirectional", K("GRU", 4), "mul"), (5, 3)),
    case(L("Bidirectional", K("SimpleRNN", 4), merge_mode="ave"), (5, 3)),
    case(L("Bidirectional", K("LSTM", 3), merge_mode=None), (5, 3)),
    case(L("Bidirectional", K("GRU", 4, return_sequences=True, reset_after=False)), (5, 3)),
    case(L("Bidirectional", K("LSTM", 4), backward_layer=K("LSTM", 4, go_backwards=True)), (5, 3)),
    case(L("Bidirectional", K("SimpleRNN", 3, trainable=False)), (5, 3)),
    case(L("Bidirectional", K("LSTM", 4), backward_layer=K("GRU", 4, go_backwards=True)), (5, 3)),
    case(L("Bidirectional", K("LSTM", 4, return_sequences=True), None), (5, 3)),
    case(L("Bidirectional", K("ConvLSTM2D", 2, 3)), (3, 5, 5, 2)),
    case(L("TimeDistributed", K("Dense", 8)), (5, 4)),
    case(L("TimeDistributed", K("Conv2D", 4, 3)), (3, 6, 6, 2)),
    case(L("TimeDistributed", K("BatchNormalization")), (3, 4)),
    # preprocessing and augmentation
    case(L("Rescaling", 1 / 255), (8, 8, 3)),
    case(L("Resizing", 4, 5), (8, 8, 3)),
    case(L("Resizing", 4, 5, data_format="channels_first"), (3, 8, 8)),
    case(L("CenterCrop", 4, 4), (8, 8, 3)),
    case(L("CenterCrop", 10, 12), (8, 8, 3)),
    case(L("RandomCrop", 4, 5), (8, 8, 3)),
    case(L("RandomCrop", 4, 5, data_format="channels_first"), (3, 8, 8)),
    case(L("RandomFlip"), (8, 8, 3)),
    case(L("RandomRotation", 0.1), (8, 8, 3)),
    case(L("RandomZoom", 0.1), (8, 8, 3)),
    case(L("RandomTranslation", 0.1, 0.2), (8, 8, 3)),
    case(L("RandomContrast", 0.1), (8, 8, 3)),
    case(L("RandomBrightness", 0.1), (8, 8, 3)),
    case(L("RandomHue", 0.1), (8, 8, 3)),
    case(L("RandomSaturation", 0.1), (8, 8, 3)),
    case(L("RandomSharpness", 0.1), (8, 8, 3)),
    case(L("RandomPosterization", 4), (8, 8, 3)),
    case(L("RandomColorDegeneration", 0.1), (8, 8, 3)),
    case(L("RandomColorJitter"), (8, 8, 3)),
    case(L("RandomGrayscale"), (8, 8, 3)),
    case(L("RandomInvert"), (8, 8, 3)),
    case(L("RandomShear", 0.1), (8, 8, 3)),
    case(L("RandomErasing"), (8, 8, 3)),
    case(L("RandomGaussianBlur"), (8, 8, 3)),
    case(L("RandomPerspective"), (8, 8, 3)),
    case(L("RandomElasticTransform"), (8, 8, 3)),
    case(L("AutoContrast"), (8, 8, 3)),
    case(L("Equalization"), (8, 8, 3)),
    case(L("Solarization"), (8, 8, 3)),
    case(L("MixUp"), (8, 8, 3)),
    case(L("CutMix"), (8, 8, 3)),
    case(L("AugMix"), (8, 8, 3)),
    case(L("RandAugment"), (8, 8, 3)),
    # feature preprocessing: Normalization's statistics are non-trainable weights unless given
    case(L("Normalization"), (5,)),
    case(L("Normalization", axis=-1), (4, 6)),
    case(L("Normalization", axis=(1, 2)), (4, 6)),
    case(L("Normalization", axis=None), (4, 6)),
    case(L("Normalization", 1), (3, 4, 5)),
    case(L("Normalization", axis=[-1, 1]), (3, 4, 5)),
    case(L("Normalization", mean=2.0, variance=4.0), (5,)),
    case(L("Normalization", -1, [1.0, 2.0, 3.0], [1.0, 1.0, 1.0]), (2, 3)),
    case(L("Normalization", invert=True), (3,)),
    case(L("Discretization", [0.0, 1.0, 2.0]), (4,)),
    case(L("Discretization", num_bins=5), (4,)),
    case(L("Discretization", [0.0, 1.0], output_mode="one_hot"), (4,)),
    case(L("Discretization", [0.0, 1.0], output_mode="one_hot"), (4, 1)),
    case(L("Discretization", num_bins=4, output_mode="multi_hot"), (4,)),
    case(L("Discretization", num_bins=4, output_mode="count"), (3, 5)),
    case(L("CategoryEncoding", 6), (3,)),
    case(L("CategoryEncoding", num_tokens=6, output_mode="one_hot"), (1,)),
    case(L("CategoryEncoding", num_tokens=6, output_mode="one_hot"), (3,)),
    case(L("CategoryEncoding", 4, "count"), (2, 3)),
    case(L("CategoryEncoding", 4, "binary"), (5,)),
    case(L("MelSpectrogram"), (16000,)),
    case(L("MelSpectrogram", num_mel_bins=64, sequence_stride=160), (8000,)),
    case(L("ContrastLimitedAdaptiveHistogramEqualization", (0, 255)), (16, 16, 3)),
    case(L("MaxNumBoundingBoxes", 3), (8, 8, 3)),
    # EinsumDense: the three equation forms, bias over some output axes, a partial output shape, LoRA
    case(L("EinsumDense", "ab,bc->ac", 16), (8,)),
    case(L("EinsumDense", "ab,bc->ac", (16,), bias_axes="c"), (8,)),
    case(L("EinsumDense", "abc,cd->abd", (None, 6), bias_axes="d"), (5, 4)),
    case(L("EinsumDense", "abc,cde->abde", (None, 2, 3), bias_axes="de"), (5, 4)),
    case(L("EinsumDense", "abc,cde->abde", (5, 2, 3), bias_axes="e"), (5, 4)),
    case(L("EinsumDense", "...b,bc->...c", 7, bias_axes="c"), (3, 4, 5)),
    case(L("EinsumDense", "...b,bc->...c", 7), (5,)),
    case(L("EinsumDense", "ab...,bc->ac...", (6, 4)), (5, 4)),
    case(L("EinsumDense", "abcd,cde->abe", (None, 3), bias_axes="e"), (5, 4, 2)),
    case(L("EinsumDense", "ab,bc->ac", 8, lora_rank=2), (6,)),
    case(L("EinsumDense", equation="abc,cd->abd", output_shape=(None, 4), bias_axes="d", trainable=False), (3, 5)),
    # more core, pooling, wrappers, recurrent
    case(L("ReversibleEmbedding", 100, 8), (10,)),
    case(L("ReversibleEmbedding", 50, 4, tie_weights=False), (6,)),
    case(L("Lambda", Symbol("keras.ops.abs"), output_shape=(4,)), (4,)),
    case(L("Lambda", Symbol("keras.ops.abs"), (2, 3)), (2, 3)),
    case(L("AdaptiveAveragePooling1D", 4), (10, 3)),
    case(L("AdaptiveMaxPooling1D", 3, "channels_first"), (3, 10)),
    case(L("AdaptiveAveragePooling2D", (2, 3)), (9, 9, 4)),
    case(L("AdaptiveMaxPooling2D", 1, data_format="channels_first"), (4, 7, 7)),
    case(L("AdaptiveAveragePooling3D", 2), (4, 4, 4, 2)),
    case(L("AdaptiveMaxPooling3D", (1, 2, 3)), (5, 5, 5, 1)),
    case(L("SpectralNormalization", K("Dense", 4)), (3,)),
    case(L("SpectralNormalization", K("Conv2D", 8, 3), power_iterations=2), (6, 6, 3)),
    case(L("SpectralNormalization", K("Conv1D", 4, 3, use_bias=False)), (6, 3)),
    case(L("SpectralNormalization", K("Embedding", 20, 5)), (7,)),
    case(L("SpectralNormalization", K("Dense", 6, trainable=False)), (3,)),
    case(L("RNN", K("LSTMCell", 4)), (5, 3)),
    case(L("RNN", K("GRUCell", 4), return_sequences=True), (5, 3)),
    case(L("RNN", K("GRUCell", 4, reset_after=False)), (5, 3)),
    case(L("RNN", K("SimpleRNNCell", 6, use_bias=False)), (None, 3)),
    case(L("RNN", [K("LSTMCell", 4), K("GRUCell", 3)], True), (5, 2)),
    case(L("RNN", K("StackedRNNCells", [K("SimpleRNNCell", 4), K("LSTMCell", 2)])), (5, 3)),
    case(L("RNN", K("LSTMCell", 4, trainable=False)), (5, 3)),
    case(L("RNN", K("LSTMCell", 3), return_state=True), (5, 3)),
    case(L("Pipeline", [K("RandomFlip"), K("Rescaling", 0.5), K("Resizing", 4, 4)]), (8, 8, 3)),
    case(L("Pipeline", [K("Normalization"), K("Dense", 4)]), (6,)),
]

# Layers whose Keras implementation needs TensorFlow (its lookup tables and string ops), with the input dtype
# they are fed: checked where TensorFlow is installed (Keras itself refuses to construct them otherwise).
TF_CASES = [
    case(L("Hashing", 5), (3,)),
    case(L("Hashing", 4, output_mode="one_hot"), (1,)),
    case(L("Hashing", 4, output_mode="one_hot"), (3,)),
    case(L("Hashing", num_bins=6, salt=7, output_mode="multi_hot"), (3,)),
    case(L("Hashing", 6, 0, output_mode="count"), (2, 3)),
    case(L("StringLookup"), (3,)),
    case(L("StringLookup", vocabulary=["a", "b", "c"]), (4,)),
    case(L("StringLookup", vocabulary=["a", "b"], invert=True), (4,)),
    case(L("StringLookup", max_tokens=10, pad_to_max_tokens=True, output_mode="multi_hot"), (3,)),
    case(L("StringLookup", max_tokens=10, pad_to_max_tokens=True, output_mode="one_hot"), (1,)),
    case(L("StringLookup", max_tokens=10, pad_to_max_tokens=True, output_mode="one_hot"), (2,)),
    case(L("StringLookup", max_tokens=8, output_mode="tf_idf", pad_to_max_tokens=True), (3,)),
    case(L("IntegerLookup"), (3,)),
    case(L("IntegerLookup", vocabulary=[1, 2, 3], output_mode="int"), (2, 2)),
    case(L("IntegerLookup", max_tokens=7, pad_to_max_tokens=True, output_mode="count"), (3,)),
    case(L("TextVectorization"), (1,)),
    case(L("TextVectorization", output_sequence_length=12), (1,)),
    case(L("TextVectorization", 100, output_sequence_length=12), ()),
    case(L("TextVectorization", max_tokens=9, output_mode="multi_hot", pad_to_max_tokens=True), (1,)),
    case(L("TextVectorization", max_tokens=9, output_mode="tf_idf", pad_to_max_tokens=True), ()),
    case(L("TextVectorization", max_tokens=9, split=None, output_mode="count", pad_to_max_tokens=True), ()),
    case(L("TextVectorization", max_tokens=9, split=None, output_mode="count", pad_to_max_tokens=True), (1,)),
]
INPUT_DTYPES = {"Hashing": "int64", "IntegerLookup": "int64", "StringLookup": "string", "TextVectorization": "string"}

# Configurations Keras refuses; the engine must refuse them too, as an impossible configuration.
REFUSED = [
    case(L("Conv2D", 6, 3, groups=4), (8, 8, 8)),
    case(L("Conv2D", 8, 3, groups=4), (8, 8, 6)),
    case(L("Conv2D", 4, 5), (3, 3, 1)),
    case(L("Conv2D", 4, 3, strides=2, dilation_rate=2), (9, 9, 1)),
    case(L("Conv2D", 4, 3, padding="causal"), (9, 9, 1)),
    case(L("Conv2DTranspose", 4, 3, strides=2, output_padding=2), (5, 5, 1)),
    case(L("Dense", 0), (4,)),
    case(L("SimpleRNN", 0), (4, 2)),
    case(L("MaxPooling2D", 3), (2, 2, 1)),
    case(L("MaxPooling2D", padding="SAME"), (4, 4, 1)),
    case(L("GroupNormalization", 3), (4, 4)),
    case(L("Cropping1D", (3, 3)), (6, 2)),
    case(L("Reshape", (5, -1)), (12,)),
    case(L("Reshape", (5, 2)), (12,)),
    case(L("Dropout", 1.5), (4,)),
    case(L("Bidirectional", K("LSTM", 4, go_backwards=True)), (5, 3)),
    case(L("Bidirectional", K("LSTM", 4), "max"), (5, 3)),
    case(L("Permute", (1, 3)), (2, 3)),
    case(L("BatchNormalization", 0), (4,)),
    case(L("Bidirectional", K("LSTM", 4), backward_layer=K("LSTM", 4)), (5, 3)),
    case(L("Bidirectional", K("LSTM", 4), backward_layer=K("LSTM", 4, go_backwards=True, return_sequences=True)), (5, 3)),
    case(L("Normalization", mean=[1.0, 2.0]), (2,)),
    case(L("Normalization", axis=2), (4,)),
    case(L("Normalization", 1), (None, 3)),
    case(L("Normalization", mean=[[1.0, 2.0]], variance=[[1.0, 2.0]]), (2,)),
    case(L("Discretization"), (4,)),
    case(L("Discretization", [0.0], num_bins=3), (4,)),
    case(L("Discretization", [0.0], output_mode="hot"), (4,)),
    case(L("CategoryEncoding"), (4,)),
    case(L("CategoryEncoding", 0), (4,)),
    case(L("CategoryEncoding", 3, "tf_idf"), (4,)),
    case(L("EinsumDense", "ab,bc", 4), (3,)),
    case(L("EinsumDense", "abc,cd->abd", (7, 4)), (5, 3)),
    case(L("EinsumDense", "ab,bc->ac", 4, bias_axes="x"), (3,)),
    case(L("EinsumDense", "ab,bd->ac", 4), (3,)),
    case(L("EinsumDense", "abc,cd->abd", (None, None)), (5, 3)),
    case(L("LSTMCell", 4), (3,)),
    case(L("RNN", K("Dense", 4)), (5, 3)),
    case(L("SpectralNormalization", K("Dense", 4), power_iterations=0), (3,)),
    case(L("ReversibleEmbedding", 0, 4), (3,)),
]


def to_keras(value: Any, keras: Any) -> Any:
    """The real Keras object for an engine value: the same constructor, arguments and keywords."""
    if isinstance(value, Layer):
        cls = getattr(keras.layers, value.type_name)
        return cls(*(to_keras(a, keras) for a in value.args), **{k: to_keras(v, keras) for k, v in value.kwargs.items()})
    if isinstance(value, list) and any(isinstance(v, Layer) for v in value):
        return [to_keras(v, keras) for v in value]
    if isinstance(value, Symbol):  # a function such as keras.ops.abs
        import functools
        import importlib

        module, _, attr = value.qualname.rpartition(".")
        return functools.reduce(getattr, [attr], importlib.import_module(module))
    return value


@pytest.fixture(scope="module")
def keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return pytest.importorskip("keras")


# Keras 3.15's Equalization returns its symbolic input itself, which a Sequential rejects as a cycle;
# these are checked on the layer alone, called on a symbolic input.
STANDALONE = {"keras.layers.Equalization"}


def keras_counts(keras: Any, layer: Layer, shape: Shape) -> tuple[int, int, int, Any]:
    import numpy as np

    if layer.qualname in STANDALONE:
        model = to_keras(layer, keras)
        model.output_shape = model(keras.Input(shape)).shape
    else:
        model = keras.Sequential([keras.Input(shape, dtype=INPUT_DTYPES.get(layer.type_name)), to_keras(layer, keras)])
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return model.count_params(), trainable, frozen, model.output_shape


def engine_row(layer: Layer, shape: Shape) -> Any:
    result = count_stack("keras", [(None, layer)], shape)
    assert result.problems == []
    return result.rows[0]


@pytest.mark.oracle
@pytest.mark.parametrize(("layer", "shape"), CASES)
def test_matches_keras(keras: Any, layer: Layer, shape: Shape) -> None:
    total, trainable, frozen, out_shape = keras_counts(keras, layer, shape)
    row = engine_row(layer, shape)
    assert (row.params, row.trainable, row.non_trainable) == (total, trainable, frozen)
    if row.output_shape is None:  # several outputs (return_state, merge_mode=None): no single shape flows on
        assert isinstance(out_shape, list) or isinstance(out_shape[0], tuple)
    else:
        assert (None, *row.output_shape) == tuple(out_shape)
    assert (row.formula == "") == (total == 0)


@pytest.mark.oracle
@pytest.mark.parametrize(("layer", "shape"), TF_CASES)
def test_matches_keras_with_tensorflow(keras: Any, layer: Layer, shape: Shape) -> None:
    pytest.importorskip("tensorflow")
    test_matches_keras(keras, layer, shape)


@pytest.mark.oracle
@pytest.mark.parametrize(("layer", "shape"), REFUSED)
def test_refuses_what_keras_refuses(keras: Any, layer: Layer, shape: Shape) -> None:
    with pytest.raises(Exception):  # noqa: B017  (Keras raises ValueError or TypeError, depending on the check)
        keras_counts(keras, layer, shape)
    result = count_stack("keras", [(None, layer)], shape)
    assert [type(p) for p in result.problems] == [InvalidConfig]
    assert result.rows[0].params is None


# The positional orders the specs read arguments by (``_`` = not read), checked against Keras' constructors.
POSITIONS = {
    "Conv1D Conv2D Conv3D": "filters kernel_size strides padding data_format dilation_rate groups _ use_bias",
    "Conv1DTranspose Conv2DTranspose": "filters kernel_size strides padding output_padding data_format dilation_rate _ use_bias",
    "Conv3DTranspose": "filters kernel_size strides padding data_format output_padding dilation_rate _ use_bias",
    "SeparableConv1D SeparableConv2D": "filters kernel_size strides padding data_format dilation_rate depth_multiplier _ use_bias",
    "DepthwiseConv1D DepthwiseConv2D": "kernel_size strides padding depth_multiplier data_format dilation_rate _ use_bias",
    "MaxPooling1D MaxPooling3D AveragePooling2D": "pool_size strides padding data_format",
    "GlobalMaxPooling2D GlobalAveragePooling3D": "data_format keepdims",
    "Dense": "units _ use_bias _ _ _ _ _ _ _ lora_rank _ quantization_config",
    "Embedding": "input_dim output_dim _ _ _ _ _ lora_rank _ quantization_config",
    "BatchNormalization": "axis _ _ center scale _ _ _ _ _ _ _ _ renorm",
    "LayerNormalization": "axis _ center scale",
    "GroupNormalization": "groups axis _ center scale",
    "RMSNormalization UnitNormalization": "axis",
    "PReLU": "_ _ _ shared_axes",
    "ReLU": "max_value negative_slope threshold",
    "LeakyReLU": "negative_slope",
    "SimpleRNN": "units _ use_bias" + " _" * 12 + " return_sequences return_state go_backwards stateful",
    "LSTM": "units _ _ use_bias" + " _" * 14 + " return_sequences return_state go_backwards stateful",
    "GRU": "units _ _ use_bias" + " _" * 13 + " return_sequences return_state go_backwards stateful _ reset_after",
    "ConvLSTM1D ConvLSTM2D ConvLSTM3D": "filters kernel_size strides padding data_format dilation_rate _ _ use_bias"
    + " _" * 14 + " return_sequences return_state go_backwards stateful",
    "Bidirectional": "layer merge_mode _ backward_layer",
    "TimeDistributed": "layer",
    "Resizing": "height width _ _ _ _ _ _ data_format",
    "CenterCrop": "height width data_format",
    "RandomCrop": "height width _ data_format",
    "ZeroPadding1D ZeroPadding2D ZeroPadding3D": "padding data_format",
    "Cropping2D Cropping3D": "cropping data_format",
    "UpSampling2D UpSampling3D": "size data_format",
    "Cropping1D": "cropping",
    "UpSampling1D": "size",
    "Flatten": "data_format",
    "Reshape": "target_shape",
    "Permute": "dims",
    "RepeatVector": "n",
    "Dropout AlphaDropout GaussianDropout SpatialDropout2D": "rate",
    "GaussianNoise": "stddev",
    "Activation": "activation",
    "Rescaling": "scale",
    "RandomRotation RandomContrast RandomBrightness RandomHue RandomSaturation": "factor",
    "RandomTranslation": "height_factor width_factor",
    "RandomZoom": "height_factor",
}


@pytest.mark.oracle
@pytest.mark.parametrize("names", list(POSITIONS))
def test_positional_order_matches_keras(keras: Any, names: str) -> None:
    import inspect

    expected = POSITIONS[names].split()
    for name in names.split():
        params = [p for p in inspect.signature(getattr(keras.layers, name).__init__).parameters if p != "self"]
        assert [p if e != "_" else "_" for p, e in zip(params, expected)] == expected, name


def names_in(layer: Layer) -> set[str]:
    nested = [v for v in (*layer.args, *layer.kwargs.values()) if isinstance(v, Layer)]
    return {layer.qualname}.union(*(names_in(n) for n in nested))


def test_every_keras_spec_has_an_oracle_case() -> None:
    from tests.engine.test_keras_graph_specs import CASES as GRAPH_CASES, TF_CASES as GRAPH_TF_CASES

    covered = set().union(*(names_in(p.values[0]) for p in (*CASES, *TF_CASES, *GRAPH_CASES, *GRAPH_TF_CASES)))
    # keras.Variable is no layer (a custom layer's add_weight): tests/keras checks it against Keras through custom layers
    missing = sorted(name for name in REGISTRY if name.startswith("keras.layers.") and name not in covered)
    assert missing == []


# -- hand-computed numbers and failure outcomes (no framework needed) ------------------------------

def test_conv_formula_and_count() -> None:
    row = engine_row(L("Conv2D", 32, 3), (32, 32, 3))
    assert (row.params, row.output_shape, row.formula) == (896, (30, 30, 32), "(3*3*3 + 1) * 32 = 896")


def test_batch_norm_splits_trainable() -> None:
    row = engine_row(L("BatchNormalization"), (10, 64))
    assert (row.params, row.trainable, row.non_trainable) == (256, 128, 128)
    assert row.formula == "4 * 64 = 256 (gamma, beta trainable; mean, variance not)"


def test_grouped_conv_and_gru_by_hand() -> None:
    # (3*3*(8/4)) * 16 = 288 without bias; GRU reset_after: 3 * (3*8 + 8*8 + 2*8) = 312
    assert engine_row(L("Conv2D", 16, 3, groups=4, use_bias=False), (8, 8, 8)).params == 288
    assert engine_row(L("GRU", 8), (5, 3)).params == 312
    assert engine_row(L("GRU", 8, reset_after=False), (5, 3)).params == 288


def test_bidirectional_concat_doubles_features() -> None:
    row = engine_row(L("Bidirectional", K("LSTM", 8, return_sequences=True)), (5, 3))
    assert (row.params, row.output_shape) == (2 * 4 * (3 * 8 + 8 * 8 + 8), (5, 16))


def test_needs_input_shape_without_input() -> None:
    result = count_stack("keras", [(None, L("Conv2D", 8, 3)), (None, L("Dense", 4))], None)
    assert [type(p) for p in result.problems] == [NeedsInputShape]
    assert result.total is None and not result.complete


def test_embedding_needs_no_input_shape() -> None:
    result = count_stack("keras", [(None, L("Embedding", 1000, 64))], None)
    assert result.total == 64_000 and result.problems == []


def test_invalid_config_echoes_the_value() -> None:
    result = count_stack("keras", [(None, L("Dense", -3))], (4,))
    (problem,) = result.problems
    assert isinstance(problem, InvalidConfig) and "Received: units=-3" in problem.fields["reason"]


def test_valid_conv_with_empty_output_is_invalid() -> None:
    result = count_stack("keras", [(None, L("Conv2D", 4, 5))], (3, 3, 1))
    assert [type(p) for p in result.problems] == [InvalidConfig]


def test_unknown_value_is_not_guessed() -> None:
    result = count_stack("keras", [(None, L("Dense", Unknown("a runtime value")))], (4,))
    assert [type(p) for p in result.problems] == [UnknownValue] and result.total is None


def test_unmodelled_option_is_unknown_not_guessed() -> None:
    result = count_stack("keras", [(None, L("Dense", 4, quantization_config="int8"))], (4,))
    assert [type(p) for p in result.problems] == [UnknownValue]


@pytest.mark.parametrize("wrapper", [L("Bidirectional", K("SimpleRNN", 3), trainable=False), L("TimeDistributed", K("Dense", 3), trainable=False),
                                     L("RNN", K("LSTMCell", 3), trainable=False)])
def test_wrapper_frozen_in_constructor_gives_the_model_level_split(wrapper: Layer) -> None:
    # Keras 3.15 counts these weights trainable in the model (the wrapped layer is not frozen), as
    # model.summary() prints; tests/differential/test_known_discrepancies.py checks the figures with Keras
    result = count_stack("keras", [(None, wrapper)], (5, 3))
    assert not result.problems and result.total == result.trainable and "model.summary()" in result.rows[0].formula


@pytest.mark.oracle
@pytest.mark.parametrize("wrapper", [L("RNN", K("LSTMCell", 3), trainable=False), L("SpectralNormalization", K("Dense", 3), trainable=False)])
def test_keras_disagrees_with_itself_on_these_frozen_wrappers(keras: Any, wrapper: Layer) -> None:
    model = keras.Sequential([keras.Input((5, 3)), to_keras(wrapper, keras)])
    assert model.layers[0].trainable_weights == [] and model.trainable_weights != []


def test_negative_padding_is_refused() -> None:
    # Keras 3 only checks the tuple form; ZeroPadding2D(-1) builds and crops. paramlint calls it a mistake.
    result = count_stack("keras", [(None, L("ZeroPadding2D", -1))], (4, 4, 1))
    assert [type(p) for p in result.problems] == [InvalidConfig]


def test_unknown_value_in_an_unused_argument_does_not_matter() -> None:
    row = engine_row(L("Dense", 4, Unknown("an activation from a registry")), (3,))
    assert row.params == 16
