"""NetDsl's building blocks for PyTorch.

Written by `netdsl emit --target pytorch` beside the modules it generates. Every class here has the same
sub-module names, and so the same state-dict keys, as its counterpart in NetDsl.Runtime (C#), and every
helper computes what the checker computes: a state dict saved by either side loads into the other by name.
Only `torch` is imported.
"""

import math
from typing import List, NamedTuple, Optional, Sequence as SequenceOf, Tuple

import torch
from torch import Tensor, nn

__all__ = [
    "FeatureShape", "Sequence", "Graph", "GraphBlock", "Residual", "NoSkip", "Parallel", "ChannelSplit", "DenseBlock",
    "SqueezeExcite", "CompConv2d", "ChannelShuffle", "CReLU", "DropPath", "FeatureSum", "FeatureConcat",
    "WeightedFusion", "Upsample", "activation", "resize_to", "divisible", "whole", "projection", "split_part",
    "dense_input", "conv_output", "pool_output",
]


class FeatureShape(NamedTuple):
    """The shape of one sample: channels x height x width (1 x 1 once flattened)."""

    channels: int
    height: int
    width: int

    def __str__(self) -> str:
        return f"{self.channels}x{self.height}x{self.width}"


def whole(value: float, what: str) -> int:
    """`value` as an int where the language needs one (a channel count, a kernel size); a fraction is an error."""
    if not math.isfinite(value) or value != math.floor(value):
        raise ValueError(f"NN0200: {what} = {value:.3f} is not a whole number; use div, round(), floor() or divisible()")
    return int(value)


def divisible(value: float, divisor: int, min_value: Optional[int] = None) -> int:
    """torchvision's `_make_divisible`: the nearest multiple of `divisor`, never 10 % below `value`."""
    rounded = int(value + divisor / 2) // divisor * divisor
    result = max(divisor if min_value is None else min_value, rounded)
    return result + divisor if result < 0.9 * value else result


def conv_output(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def pool_output(size: int, kernel: int, stride: int, padding: int, ceil_mode: bool) -> int:
    span = size + 2 * padding - kernel
    output = (span + (stride - 1 if ceil_mode else 0)) // stride + 1
    # As PyTorch: the last window must start inside the input or its left padding.
    if ceil_mode and (output - 1) * stride >= size + padding:
        output -= 1
    return output


_ACTIVATIONS = {
    "relu": nn.ReLU,
    "relu6": nn.ReLU6,
    "hswish": nn.Hardswish,
    "hsigmoid": nn.Hardsigmoid,
    "silu": nn.SiLU,
    "swish": nn.SiLU,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
    "tanh": nn.Tanh,
    "identity": nn.Identity,
}


def activation(name: str) -> nn.Module:
    """The activation the language calls `name` (`relu`, `hswish`, ...)."""
    try:
        return _ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(_ACTIVATIONS)}") from None


def _too_small(layer: str, kernel: int, stride: int, shape: FeatureShape, height: int, width: int) -> None:
    if height < 1 or width < 1:
        window = f"{layer} {kernel}x{kernel}" + ("" if stride == 1 else f"/{stride}")
        raise ValueError(f"NN0203: {window} on {shape.height}x{shape.width} gives {height}x{width}; "
                         "the features are too small for this layer")


class _Layers:
    """The layer methods of `Sequence` and `Graph`: each builds a module for the current feature shape `self.shape`,
    appends it with `self.append` (under `name`, or the next number) and makes its output shape the current one."""

    @property
    def channels(self) -> int:
        return self.shape.channels

    def conv(self, out: int, kernel: int = 1, stride: int = 1, padding: int = 0, dilation: int = 1,
             groups: int = 1, bias: bool = False, name: Optional[str] = None, layer: str = "conv") -> nn.Conv2d:
        c, h, w = self.shape
        height, width = (conv_output(s, kernel, stride, padding, dilation) for s in (h, w))
        _too_small(layer, kernel, stride, self.shape, height, width)
        conv = nn.Conv2d(c, out, kernel, stride=stride, padding=padding, dilation=dilation, groups=groups, bias=bias)
        return self.append(conv, name, FeatureShape(out, height, width))

    def deconv(self, out: int, kernel: int = 2, stride: Optional[int] = None, padding: int = 0, bias: bool = False,
               name: Optional[str] = None) -> nn.ConvTranspose2d:
        """A transposed convolution (U-Net's up-convolution): the size becomes (size - 1) * stride - 2 * padding + kernel."""
        stride = kernel if stride is None else stride
        c, h, w = self.shape
        height, width = ((s - 1) * stride - 2 * padding + kernel for s in (h, w))
        _too_small("deconv", kernel, stride, self.shape, height, width)
        deconv = nn.ConvTranspose2d(c, out, kernel, stride=stride, padding=padding, bias=bias)
        return self.append(deconv, name, FeatureShape(out, height, width))

    def upsample(self, scale: int = 2, bilinear: bool = False, name: Optional[str] = None) -> "Upsample":
        c, h, w = self.shape
        return self.append(Upsample(scale, bilinear), name, FeatureShape(c, h * scale, w * scale))

    def compconv(self, out: int, kernel: int = 3, stride: int = 1, depth: Optional[int] = None, c0: int = 128,
                 name: Optional[str] = None) -> "CompConv2d":
        c, h, w = self.shape
        height, width = (conv_output(s, kernel, stride, kernel // 2) for s in (h, w))
        _too_small("compconv", kernel, stride, self.shape, height, width)
        conv = CompConv2d(c, out, kernel, stride, CompConv2d.adaptive_depth(c, c0) if depth is None else depth)
        return self.append(conv, name, FeatureShape(out, height, width))

    def bn(self, eps: float = 1e-5, momentum: float = 0.1, flat: bool = False, name: Optional[str] = None) -> nn.Module:
        """Batch norm over channels; `flat` features (after `flatten`) take BatchNorm1d."""
        norm = nn.BatchNorm1d if flat else nn.BatchNorm2d
        return self.append(norm(self.channels, eps=eps, momentum=momentum), name)

    def act(self, name_of_activation: str, name: Optional[str] = None) -> nn.Module:
        return self.append(activation(name_of_activation), name)

    def maxpool(self, kernel: int, stride: Optional[int] = None, padding: int = 0, ceil_mode: bool = False,
                name: Optional[str] = None) -> nn.MaxPool2d:
        stride = kernel if stride is None else stride
        return self.append(nn.MaxPool2d(kernel, stride, padding, ceil_mode=ceil_mode), name,
                           self._pooled("maxpool", kernel, stride, padding, ceil_mode))

    def avgpool(self, kernel: int, stride: Optional[int] = None, padding: int = 0, ceil_mode: bool = False,
                name: Optional[str] = None) -> nn.AvgPool2d:
        stride = kernel if stride is None else stride
        return self.append(nn.AvgPool2d(kernel, stride, padding, ceil_mode=ceil_mode), name,
                           self._pooled("avgpool", kernel, stride, padding, ceil_mode))

    def global_avgpool(self, name: Optional[str] = None) -> nn.AdaptiveAvgPool2d:
        return self.append(nn.AdaptiveAvgPool2d(1), name, FeatureShape(self.channels, 1, 1))

    def global_maxpool(self, name: Optional[str] = None) -> nn.AdaptiveMaxPool2d:
        return self.append(nn.AdaptiveMaxPool2d((1, 1)), name, FeatureShape(self.channels, 1, 1))

    def flatten(self, name: Optional[str] = None) -> nn.Flatten:
        c, h, w = self.shape
        return self.append(nn.Flatten(), name, FeatureShape(c * h * w, 1, 1))

    def linear(self, out: int, bias: bool = True, name: Optional[str] = None) -> nn.Linear:
        return self.append(nn.Linear(self.channels, out, bias=bias), name, FeatureShape(out, 1, 1))

    def dropout(self, p: float = 0.5, name: Optional[str] = None) -> nn.Dropout:
        return self.append(nn.Dropout(p), name)

    def droppath(self, p: float, name: Optional[str] = None) -> "DropPath":
        return self.append(DropPath(p), name)

    def shuffle(self, groups: int, name: Optional[str] = None) -> "ChannelShuffle":
        return self.append(ChannelShuffle(groups), name)

    def crelu(self, name: Optional[str] = None) -> "CReLU":
        return self.append(CReLU(), name, self.shape._replace(channels=2 * self.channels))

    def se(self, squeeze: int, act: str = "relu", gate: str = "sigmoid",
           name: Optional[str] = None) -> "SqueezeExcite":
        return self.append(SqueezeExcite(self.channels, squeeze, activation(act), activation(gate)), name)

    def _pooled(self, layer: str, kernel: int, stride: int, padding: int, ceil_mode: bool) -> FeatureShape:
        c, h, w = self.shape
        height, width = (pool_output(s, kernel, stride, padding, ceil_mode) for s in (h, w))
        _too_small(layer, kernel, stride, self.shape, height, width)
        return FeatureShape(c, height, width)


class Sequence(_Layers, nn.Sequential):
    """A sequence of modules that knows the shape of its features as it grows.

    Unlabelled modules are numbered from 0, counting only unlabelled ones, as the language numbers them;
    a labelled module takes its label as its name.
    """

    def __init__(self, input_shape: FeatureShape) -> None:
        super().__init__()
        self.input_shape = FeatureShape(*input_shape)
        self.shape = self.input_shape
        self._unlabelled = 0

    def append(self, module: nn.Module, name: Optional[str] = None,
               shape: Optional[FeatureShape] = None) -> nn.Module:
        """Adds `module` (named `name`, or the next number), whose output has `shape` (default: unchanged)."""
        if name is None:
            name = str(self._unlabelled)
            self._unlabelled += 1
        self.add_module(name, module)
        if shape is not None:
            self.shape = FeatureShape(*shape)
        elif isinstance(module, _SHAPED):
            self.shape = module.shape
        return module


class Graph(_Layers, nn.Module):
    """A network or block whose `forward` the generated code writes out: named feature maps are its local variables.

    Children are registered as in `Sequence`: unlabelled ones under the next number ("0", "1", ...: layers, merges and
    blocks share one count), labelled ones under their label, so the state-dict keys are NetDsl's. `self[i]` is the
    child numbered i. While the constructor runs, `shapes` holds the shapes of the current feature maps (several after
    `from a, b` or a block with several outputs) and `shape` the first; a module appended while there are several is
    shared by all of them (each keeps its own size and takes the module's output channels). Once built, `shapes` are
    the outputs' shapes and `shape` the first output's.
    """

    def __init__(self, input_shape: FeatureShape) -> None:
        super().__init__()
        self.input_shape = FeatureShape(*input_shape)
        self.shapes = [self.input_shape]
        self._unlabelled = 0

    @property
    def shape(self) -> FeatureShape:
        return self.shapes[0]

    @shape.setter
    def shape(self, shape: FeatureShape) -> None:
        self.shapes = [FeatureShape(*shape)]

    def __getitem__(self, index: int) -> nn.Module:
        """The child numbered `index` (an unlabelled layer, merge or block)."""
        return self._modules[str(index)]

    def append(self, module: nn.Module, name: Optional[str] = None,
               shape: Optional[FeatureShape] = None) -> nn.Module:
        """Adds `module` (named `name`, or the next number), whose output for the first current feature map has
        `shape` (default: unchanged). A `GraphBlock` takes every current feature map, and its outputs become them."""
        self._register(module, name)
        if isinstance(module, GraphBlock):
            self.shapes = list(module.shapes)
            return module
        if shape is None and isinstance(module, _SHAPED):
            shape = module.shape
        if shape is not None:
            first = FeatureShape(*shape)
            self.shapes = [first] + [other._replace(channels=first.channels) for other in self.shapes[1:]]
        return module

    def merge(self, merge: str, shapes: SequenceOf[FeatureShape], name: Optional[str] = None) -> nn.Module:
        """Adds the merge written `merge` in the .nn file (`add(l4, up5)`, `concat(e4, u4)`, `fuse(p6, up)`) of feature
        maps of `shapes`: `FeatureSum`, `FeatureConcat` or `WeightedFusion`. Its output becomes the one current map."""
        kind, _, inputs = merge.partition("(")
        names = [part.strip() for part in inputs.rstrip(")").split(",")]
        shapes = [FeatureShape(*shape) for shape in shapes]
        first = shapes[0]
        for other_name, other in zip(names[1:], shapes[1:]):
            if kind == "concat":
                fits = (other.height, other.width) == (first.height, first.width)
                hint = "concat needs equal spatial sizes; bring one to the other's size with resize(to: ...) or upsample"
            else:
                fits = other == first
                hint = (f"{kind} needs equal shapes; bring them to one size with resize(to: ...) or upsample, "
                        "and to one channel count with a 1x1 conv")
            if not fits:
                raise ValueError(f"NN0402: {merge}: '{names[0]}' is {first} but '{other_name}' is {other}; {hint}")
        modules = {"add": FeatureSum, "concat": FeatureConcat, "fuse": WeightedFusion}
        module = modules[kind](len(shapes))
        self._register(module, name)
        channels = sum(shape.channels for shape in shapes) if kind == "concat" else first.channels
        self.shape = first._replace(channels=channels)
        return module

    def resize(self, to: FeatureShape) -> None:
        """`resize(to: p4)`: every current feature map takes the height and width of `to` (no module)."""
        self.shapes = [shape._replace(height=to.height, width=to.width) for shape in self.shapes]

    def _register(self, module: nn.Module, name: Optional[str]) -> None:
        if name is None:
            name = str(self._unlabelled)
            self._unlabelled += 1
        self.add_module(name, module)


class GraphBlock(Graph):
    """A block with `inputs` or `outputs`: `forward` takes a list of feature maps and returns a list."""

    def __init__(self, input_shapes: SequenceOf[FeatureShape], inputs: int) -> None:
        input_shapes = [FeatureShape(*shape) for shape in input_shapes]
        if len(input_shapes) != inputs:
            raise ValueError(f"NN0405: {type(self).__name__} takes {inputs} feature map(s), but {len(input_shapes)} were given")
        super().__init__(input_shapes[0])
        self.input_shapes = input_shapes
        self.shapes = list(input_shapes)


def projection(input_shape: FeatureShape, output_shape: FeatureShape) -> Optional[Sequence]:
    """ResNet's projection shortcut where the shapes differ (a 1x1 convolution with the stride that maps the input to
    the output size, then BN); None where they agree, so the shortcut is the identity."""
    input_shape, output_shape = FeatureShape(*input_shape), FeatureShape(*output_shape)
    if input_shape == output_shape:
        return None
    shortcut = Sequence(input_shape)
    stride = (input_shape.height + output_shape.height - 1) // output_shape.height
    shortcut.append(nn.Conv2d(input_shape.channels, output_shape.channels, 1, stride=stride, bias=False), shape=output_shape)
    shortcut.append(nn.BatchNorm2d(output_shape.channels))
    return shortcut


class Residual(nn.Module):
    """`body(x) + x`, or `body(x) + shortcut(x)` with a projection shortcut."""

    def __init__(self, body: Sequence, shortcut: Optional[nn.Module] = None) -> None:
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut
        self.shape = body.shape

    def forward(self, x: Tensor) -> Tensor:
        side = self.shortcut(x) if hasattr(self, "shortcut") else x
        return self.body(x) + side


class NoSkip(nn.Module):
    """A `residual when cond` whose condition does not hold: the body alone, under the same name."""

    def __init__(self, body: Sequence) -> None:
        super().__init__()
        self.body = body
        self.shape = body.shape

    def forward(self, x: Tensor) -> Tensor:
        return self.body(x)


def _path_names(labels: SequenceOf[Optional[str]]) -> List[str]:
    return [label if label is not None else f"path{i + 1}" for i, label in enumerate(labels)]


class Parallel(nn.Module):
    """Paths that all see the input; their outputs concatenated along channels (`concat`) or added (`add`)."""

    def __init__(self, merge: str, paths: SequenceOf[Tuple[Optional[str], Sequence]]) -> None:
        super().__init__()
        if merge not in ("concat", "add"):
            raise ValueError(f"merge must be 'concat' or 'add', not {merge!r}")
        self.merge = merge
        self.names = _path_names([label for label, _ in paths])
        for name, (_, path) in zip(self.names, paths):
            self.add_module(name, path)
        first = paths[0][1].shape
        channels = sum(path.shape.channels for _, path in paths) if merge == "concat" else first.channels
        self.shape = first._replace(channels=channels)

    def forward(self, x: Tensor) -> Tensor:
        outputs = [getattr(self, name)(x) for name in self.names]
        if self.merge == "concat":
            return torch.cat(outputs, 1)
        total = outputs[0]
        for output in outputs[1:]:
            total = total + output
        return total


class ChannelSplit(nn.Module):
    """The input's channels split into consecutive parts, one per path; the outputs concatenated."""

    def __init__(self, split_sizes: SequenceOf[int], paths: SequenceOf[Tuple[Optional[str], Sequence]]) -> None:
        super().__init__()
        self.split_sizes = list(split_sizes)
        self.names = _path_names([label for label, _ in paths])
        for name, (_, path) in zip(self.names, paths):
            self.add_module(name, path)
        first = paths[0][1].shape
        self.shape = first._replace(channels=sum(path.shape.channels for _, path in paths))

    def forward(self, x: Tensor) -> Tensor:
        parts = torch.split(x, self.split_sizes, 1)
        return torch.cat([getattr(self, name)(part) for name, part in zip(self.names, parts)], 1)


def split_part(shape: FeatureShape, parts: int) -> FeatureShape:
    """The shape each path of a `split` into `parts` equal parts sees."""
    if shape.channels % parts != 0:
        raise ValueError(f"NN0207: split of {shape.channels} channels into {parts} paths is not even; "
                         f"{shape.channels} / {parts} = {shape.channels / parts:.3f}")
    return FeatureShape(*shape)._replace(channels=shape.channels // parts)


def dense_input(shape: FeatureShape, layers: SequenceOf[Sequence]) -> FeatureShape:
    """What the next layer of a dense block sees: the input's channels and those of every earlier layer."""
    return FeatureShape(*shape)._replace(channels=shape.channels + sum(layer.shape.channels for layer in layers))


class DenseBlock(nn.Module):
    """DenseNet: each layer sees the concatenation of the input and every earlier output; returns all of it."""

    def __init__(self, input_shape: FeatureShape, layers: SequenceOf[Sequence]) -> None:
        super().__init__()
        self.count = len(layers)
        for i, layer in enumerate(layers):
            self.add_module(f"layer{i + 1}", layer)
        channels = input_shape.channels + sum(layer.shape.channels for layer in layers)
        self.shape = FeatureShape(*input_shape)._replace(channels=channels)

    def forward(self, x: Tensor) -> Tensor:
        features = [x]
        for i in range(self.count):
            features.append(getattr(self, f"layer{i + 1}")(torch.cat(features, 1)))
        return torch.cat(features, 1)


class SqueezeExcite(nn.Module):
    """Squeeze-and-excitation with torchvision's names: avgpool, fc1, activation, fc2, scale_activation."""

    def __init__(self, channels: int, squeeze: int, act: Optional[nn.Module] = None,
                 gate: Optional[nn.Module] = None) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.activation = act if act is not None else nn.ReLU()
        self.scale_activation = gate if gate is not None else nn.Sigmoid()

    def forward(self, x: Tensor) -> Tensor:
        scale = self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))
        return x * scale


class ChannelShuffle(nn.Module):
    """ShuffleNet's channel shuffle: interleaves the channels of `groups` groups."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, x: Tensor) -> Tensor:
        batch, channels, height, width = x.shape
        x = x.view(batch, self.groups, channels // self.groups, height, width)
        return x.transpose(1, 2).contiguous().view(batch, channels, height, width)


class CReLU(nn.Module):
    """`relu(concat(x, -x))`: twice the channels."""

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu(torch.cat([x, -x], 1))


class DropPath(nn.Module):
    """Stochastic depth per sample; the identity when not training."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0:
            return x
        keep = 1 - self.p
        mask = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(keep).div_(keep)
        return x * mask


class CompConv2d(nn.Module):
    """CompConv (divide and conquer along channels): a seed convolution, `depth` expansions, shuffle, trim."""

    MAX_DEPTH = 3

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3, stride: int = 1,
                 depth: int = 1) -> None:
        super().__init__()
        if not 0 <= depth <= self.MAX_DEPTH:
            raise ValueError(f"compconv depth must be 0 to {self.MAX_DEPTH}, not {depth}")
        self.out_channels = out_channels
        self.depth = depth
        seed = self.unit_channels(out_channels, depth)
        self.computed_channels = out_channels if depth == 0 else 2 * (2 ** depth - 1) * seed
        padding = kernel_size // 2
        self.seed = nn.Conv2d(in_channels, seed, kernel_size, stride=stride, padding=padding, bias=False)
        for i in range(1, depth + 1):
            width = 2 ** (i - 1) * seed
            self.add_module(f"expand{i}", nn.Conv2d(width, width, kernel_size, padding=padding, bias=False))
        if depth > 0:
            self.shuffle = ChannelShuffle(2)

    @staticmethod
    def adaptive_depth(in_channels: int, c0: int) -> int:
        ratio = in_channels // c0
        return 3 if ratio >= 4 else 2 if ratio >= 2 else 1

    @staticmethod
    def unit_channels(out_channels: int, depth: int) -> int:
        if depth == 0:
            return out_channels
        per_unit = 2 * (2 ** depth - 1)
        return math.ceil(out_channels / per_unit)

    def forward(self, x: Tensor) -> Tensor:
        unit = self.seed(x)
        if self.depth == 0:
            return unit
        units = []
        for i in range(1, self.depth + 1):
            unit = torch.cat([unit, getattr(self, f"expand{i}")(unit)], 1)
            units.append(unit)
        shuffled = self.shuffle(torch.cat(units, 1))
        return shuffled if self.computed_channels == self.out_channels else shuffled[:, :self.out_channels]


def _check_count(inputs: int) -> int:
    if inputs < 2:
        raise ValueError(f"a merge needs at least two feature maps, not {inputs}")
    return inputs


def _check_inputs(features: List[Tensor], count: int, merge: str, same_shape: bool) -> None:
    if len(features) != count:
        raise ValueError(f"{merge} of {count} feature maps got {len(features)}")
    # Under torch.fx the features are proxies, whose shapes are not known.
    if same_shape and all(isinstance(feature, Tensor) for feature in features) and \
            any(feature.shape != features[0].shape for feature in features[1:]):
        listing = ", ".join(f"input {i + 1} {list(feature.shape)}" for i, feature in enumerate(features))
        raise ValueError(f"{merge}: every feature map must have the same shape, but got {listing}")


class FeatureSum(nn.Module):
    """`add(a, b, ...)`: the element-wise sum of feature maps of one shape, left to right (an FPN's top-down merge)."""

    def __init__(self, inputs: int) -> None:
        super().__init__()
        self.inputs = _check_count(inputs)

    def extra_repr(self) -> str:
        return f"inputs={self.inputs}"

    def forward(self, features: List[Tensor]) -> Tensor:
        _check_inputs(features, self.inputs, "feature sum", same_shape=True)
        total = features[0]
        for feature in features[1:]:
            total = total + feature
        return total


class FeatureConcat(nn.Module):
    """`concat(a, b, ...)`: feature maps of one spatial size concatenated on channels, in order (U-Net's skips)."""

    def __init__(self, inputs: int) -> None:
        super().__init__()
        self.inputs = _check_count(inputs)

    def extra_repr(self) -> str:
        return f"inputs={self.inputs}"

    def forward(self, features: List[Tensor]) -> Tensor:
        _check_inputs(features, self.inputs, "feature concat", same_shape=False)
        return torch.cat(features, 1)


class WeightedFusion(nn.Module):
    """`fuse(a, b, ...)`: EfficientDet's fast normalized fusion of feature maps of one shape (Tan et al. 2020).

    One parameter, `weight`, one per input, initialised to ones: `w = relu(weight)`, `w = w / (eps + sum(w))`, then
    `w[0] * a + w[1] * b + ...` added left to right.
    """

    def __init__(self, inputs: int, eps: float = 1e-4) -> None:
        super().__init__()
        self.inputs = _check_count(inputs)
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(inputs))

    def extra_repr(self) -> str:
        return f"inputs={self.inputs}, eps={self.eps}"

    def forward(self, features: List[Tensor]) -> Tensor:
        _check_inputs(features, self.inputs, "weighted fusion", same_shape=True)
        weights = torch.relu(self.weight)
        weights = weights / (weights.sum() + self.eps)
        total = features[0] * weights[0]
        for i in range(1, len(features)):
            total = total + features[i] * weights[i]
        return total


class Upsample(nn.Upsample):
    """`upsample(scale, bilinear)`: height and width times an integer factor, nearest or bilinear (align_corners=False)."""

    def __init__(self, scale: int = 2, bilinear: bool = False) -> None:
        if scale < 1:
            raise ValueError(f"upsampling needs a scale of at least 1, not {scale}")
        super().__init__(scale_factor=scale, mode="bilinear" if bilinear else "nearest",
                         align_corners=False if bilinear else None)


def resize_to(x: Tensor, target: Tensor, bilinear: bool = False) -> Tensor:
    """`resize(to: target)`: `x` at the height and width of `target`, nearest or bilinear (align_corners=False).
    At `x`'s own size both give `x`'s values."""
    size = target.shape[-2:]
    if bilinear:
        return nn.functional.interpolate(x, size=size, mode="bilinear", align_corners=False)
    return nn.functional.interpolate(x, size=size, mode="nearest")


# Modules whose output shape `append` reads from the module itself.
_SHAPED = (Sequence, Graph, Residual, NoSkip, Parallel, ChannelSplit, DenseBlock)
