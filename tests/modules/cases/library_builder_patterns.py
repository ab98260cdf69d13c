"""Patterns of library model code (weights enums, builder decorators, kwargs plumbing, init loops), in one file."""
import copy
import functools
import math
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from enum import Enum
from functools import partial
from typing import Any, Callable, Dict, List, Optional, TypeVar, cast

import numpy as np
import torch
import torch.nn as nn

__all__ = ["Backbone", "TinyWeights", "backbone_small", "backbone_wide"]

T = TypeVar("T", bound=nn.Module)
_REGISTRY: Dict[str, Callable[..., nn.Module]] = {}


def _note_usage(obj: Any) -> None:
    if not obj.__module__.startswith("mylib"):
        return
    name = obj.__class__.__name__
    torch._C._log_api_usage_once(f"{obj.__module__}.{name}")


def register(name: Optional[str] = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def wrapper(fn: Callable[..., T]) -> Callable[..., T]:
        key = name if name is not None else fn.__name__
        if key in _REGISTRY:
            raise ValueError(f"already registered: {key}")
        _REGISTRY[key] = fn
        return fn

    return wrapper


def legacy(**renamed: Any) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def outer(builder: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(builder)
        def inner(*args: Any, **kwargs: Any) -> T:
            for new, (old, default) in renamed.items():
                if old in kwargs:
                    warnings.warn(f"'{old}' is deprecated, use '{new}'")
                    kwargs[new] = default if kwargs.pop(old) else None
            return builder(*args, **kwargs)

        return inner

    return outer


@dataclass
class Weights:
    url: str
    transforms: Callable
    meta: Dict[str, Any]


class WeightsBase(Enum):
    @classmethod
    def verify(cls, obj: Any) -> Any:
        if obj is not None:
            if type(obj) is str:
                obj = cls[obj.replace(cls.__name__ + ".", "")]
            elif not isinstance(obj, cls):
                raise TypeError(f"expected {cls.__name__}")
        return obj

    @property
    def meta(self) -> Dict[str, Any]:
        return self.value.meta

    def get_state_dict(self, progress: bool = True) -> Dict[str, Any]:
        return torch.hub.load_state_dict_from_url(self.value.url, progress=progress)


_CATEGORIES = ["cat", "dog", "bird"]


class TinyWeights(WeightsBase):
    V1 = Weights(url="https://example.invalid/tiny.pth", transforms=partial(dict, size=32), meta={"categories": _CATEGORIES, "num_params": 1})
    DEFAULT = V1


def _make_divisible(v: float, divisor: int, min_value: Optional[int] = None) -> int:
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _overwrite_named_param(kwargs: Dict[str, Any], param: str, new_value: Any) -> None:
    if param in kwargs:
        if kwargs[param] != new_value:
            raise ValueError(f"'{param}' expected {new_value}, got {kwargs[param]}")
    else:
        kwargs[param] = new_value


class ConvNormAct(nn.Sequential):
    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        padding: Optional[int] = None,
        norm_layer: Optional[Callable[..., nn.Module]] = nn.BatchNorm2d,
        activation_layer: Optional[Callable[..., nn.Module]] = nn.ReLU,
        bias: Optional[bool] = None,
    ) -> None:
        if padding is None:
            padding = (kernel_size - 1) // 2
        if bias is None:
            bias = norm_layer is None
        layers: List[nn.Module] = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, bias=bias)]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            layers.append(activation_layer(inplace=True))
        super().__init__(*layers)
        _note_usage(self)
        self.out_channels = out_channels


class Block(nn.Module):
    expansion: int = 2

    def __init__(self, inplanes: int, planes: int, stride: int = 1, norm_layer: Optional[Callable[..., nn.Module]] = None) -> None:
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        width = _make_divisible(planes * 0.75, 8)
        self.conv1 = ConvNormAct(inplanes, width, kernel_size=1, norm_layer=norm_layer)
        self.conv2 = nn.Conv2d(width, planes * self.expansion, 3, stride, 1, bias=False)
        self.bn2 = norm_layer(planes * self.expansion)
        self.downsample: Optional[nn.Module] = None
        if stride != 1 or inplanes != planes * self.expansion:
            self.downsample = nn.Sequential(
                nn.Conv2d(inplanes, planes * self.expansion, 1, stride, bias=False),
                norm_layer(planes * self.expansion),
            )


class Backbone(nn.Module):
    def __init__(
        self,
        layers: List[int],
        num_classes: int = 1000,
        width_mult: float = 1.0,
        zero_init_residual: bool = False,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        _note_usage(self)
        if norm_layer is None:
            norm_layer = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        self.inplanes = _make_divisible(16 * width_mult, 8)
        stem: "OrderedDict[str, nn.Module]" = OrderedDict()
        stem["conv"] = nn.Conv2d(3, self.inplanes, kernel_size=3, stride=2, padding=1, bias=False)
        stem["bn"] = norm_layer(self.inplanes)
        stem["act"] = nn.ReLU(inplace=True)
        self.stem = nn.Sequential(stem)
        stages: List[nn.Module] = []
        for i, n in enumerate(layers):
            planes = _make_divisible(16 * 2**i * width_mult, 8)
            blocks: List[nn.Module] = []
            for j in range(n):
                blocks.append(Block(self.inplanes, planes, 2 if j == 0 and i > 0 else 1, norm_layer))
                self.inplanes = planes * Block.expansion
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        last = int(math.ceil(self.inplanes * 1.25))
        self.head = nn.Sequential(OrderedDict([
            ("pool", nn.AdaptiveAvgPool2d((1, 1))),
            ("flatten", nn.Flatten(1)),
            ("drop", nn.Dropout(p=dropout, inplace=True)),
            ("fc1", nn.Linear(self.inplanes, last)),
            ("fc", nn.Linear(last, num_classes)),
        ]))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                init_range = 1.0 / math.sqrt(m.out_features)
                nn.init.uniform_(m.weight, -init_range, init_range)
        if zero_init_residual:
            for m in self.modules():
                if isinstance(m, Block) and m.bn2.weight is not None:
                    nn.init.constant_(m.bn2.weight, 0)


class Stage(nn.Module):
    """Layers added with ``+=`` in a loop over numbers numpy spaces out (the count of layers comes from them)."""

    def __init__(self, dim: int, probs: List[float]) -> None:
        super().__init__()
        if not len(probs) == 3:
            raise ValueError(f"expected 3 probabilities, got {probs}")
        self.layers = nn.ModuleList()
        for idx, p in enumerate(probs):
            self.layers += [nn.Linear(dim if idx == 0 else 2 * dim, 2 * dim), nn.Dropout(p)]
        self.scale = nn.parameter.Parameter(torch.ones(2 * dim))


def _backbone(layers: List[int], weights: Optional[TinyWeights], progress: bool, **kwargs: Any) -> Backbone:
    if weights is not None:
        _overwrite_named_param(kwargs, "num_classes", len(weights.meta["categories"]))
    model = Backbone(layers, **kwargs)
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress))
    return model


@register()
@legacy(weights=("pretrained", TinyWeights.V1))
def backbone_small(*, weights: Optional[TinyWeights] = None, progress: bool = True, **kwargs: Any) -> Backbone:
    weights = TinyWeights.verify(weights)
    return _backbone([1, 2], weights, progress, **kwargs)


@register(name="wide")
@legacy(weights=("pretrained", TinyWeights.V1))
def backbone_wide(*, weights: Optional[TinyWeights] = None, progress: bool = True, **kwargs: Any) -> Backbone:
    weights = TinyWeights.verify(weights)
    _overwrite_named_param(kwargs, "width_mult", 1.5)
    kwargs.setdefault("dropout", 0.3)
    return _backbone([2, 1], weights, progress, **kwargs)


def get(name: str, **config: Any) -> nn.Module:
    fn = _REGISTRY[name]
    return fn(**config)


small = backbone_small(weights=None)
wide = backbone_wide(num_classes=10)
by_name = get("wide", num_classes=7)
legacy_style = backbone_small(pretrained=False)
tuned = backbone_small()
tuned.head.fc = nn.Linear(tuned.head.fc.in_features, 10)
staged = Stage(8, np.linspace(0, 0.2, 3).tolist())


@dataclass
class _StageSpec:
    channels: int
    depth: int
    block: Callable[..., nn.Module]

    @staticmethod
    def scaled(channels: int, mult: float) -> int:
        return _make_divisible(channels * mult, 8)


class StageSpec(_StageSpec):
    def __init__(self, channels: int, depth: int, mult: float = 1.0, block: Optional[Callable[..., nn.Module]] = None) -> None:
        channels = self.scaled(channels, mult)
        if block is None:
            block = ConvNormAct
        super().__init__(channels, int(math.ceil(depth * mult)), block)


class ChannelNorm(nn.LayerNorm):
    """A torch layer subclass with no __init__ of its own."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class Dense(nn.Module):
    def __init__(self, specs: List[StageSpec], cfg: List[Any]) -> None:
        super().__init__()
        self.quant = torch.ao.quantization.QuantStub()
        self.add = nn.quantized.FloatFunctional()
        self.features = nn.Sequential()
        in_channels = 3
        for i, spec in enumerate(specs):
            for j in range(spec.depth):
                one = copy.copy(spec)
                if j:
                    one.channels = one.channels + 8
                self.features.add_module("block%d_%d" % (i + 1, j), one.block(in_channels, one.channels))
                in_channels = one.channels
        for v in cfg:
            if type(v) is str:
                continue
            width = cast(int, v)
            self.features.add_module(f"extra{width}", nn.Conv2d(in_channels, width, 1))
            in_channels = width
        self.norm = ChannelNorm(in_channels, eps=1e-6)
        self.logit_scale = nn.Parameter(torch.log(10 * torch.ones((4, 1, 1))))
        self.dequant = torch.ao.quantization.DeQuantStub()


class Trunk(nn.ModuleDict):
    """Keeps a model's children up to the last one asked for (the others are left out)."""

    def __init__(self, model: nn.Module, keep: Dict[str, str]) -> None:
        wanted = {str(k): str(v) for k, v in keep.items()}
        layers: "OrderedDict[str, nn.Module]" = OrderedDict()
        for name, module in model.named_children():
            layers[name] = module
            if name in wanted:
                del wanted[name]
            if not wanted:
                break
        super().__init__(layers)


dense = Dense([StageSpec(16, 2), StageSpec(24, 1, mult=1.5)], [32, "M", 48])
trunk = Trunk(backbone_small(), {"stages": "out"})
