"""Counts a stack of layers: shapes flow from one layer to the next, counts add up, problems are typed."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Union

from .findings import Finding, InvalidConfig, NeedsInputShape, UnknownValue, UnsupportedLayer
from .keras.inputs import first_layer_shape
from .spec import REGISTRY, Call, Out, show_shape, unknown_value
from .torch import flow
from .torch.slots import slot_sizes
from .values import Layer, Shape, Unknown

KERAS_CONTAINERS = frozenset({"keras.Sequential"})
TORCH_CONTAINERS = frozenset({"torch.nn.Sequential"})
CONTAINERS = KERAS_CONTAINERS | TORCH_CONTAINERS
KERAS_INPUTS = frozenset({"keras.Input", "keras.layers.InputLayer"})
# Keras 3 (checked on 3.15) is inconsistent for these layers when trainable=False is passed to the
# constructor: the layer's own weights read as frozen, the model's as trainable (the wrapped layer / the
# ConvLSTM cell is not frozen). The model-level split is reported, as model.summary() prints it, and the row
# says so; set as an attribute afterwards (layer.trainable = False), it reaches the inner layer and freezes all.
KERAS_CONSTRUCTOR_FREEZE_MODEL_LEVEL = frozenset({
    "keras.layers.Bidirectional", "keras.layers.TimeDistributed",
    "keras.layers.ConvLSTM1D", "keras.layers.ConvLSTM2D", "keras.layers.ConvLSTM3D",
    "keras.layers.RNN", "keras.layers.SpectralNormalization",
    # their projections are sublayers made in build(): frozen before the first call, they are not reached
    "keras.layers.MultiHeadAttention", "keras.layers.GroupQueryAttention",
})
# Layers whose sublayers exist only once built: '.trainable = False' set before the first call leaves them trainable.
KERAS_SUBLAYERS_AT_BUILD = frozenset({"keras.layers.MultiHeadAttention", "keras.layers.GroupQueryAttention"})


@dataclass
class Row:
    """One row of a summary: a layer at its place in the stack."""

    index: int
    name: str
    type: str
    line: int
    column: int
    output_shape: Optional[Shape]
    params: Optional[int]
    trainable: Optional[int]
    non_trainable: Optional[int]
    formula: str = ""
    shared_with: Optional[int] = None
    children: list["Row"] = field(default_factory=list)
    declared: bool = False  # the count is the user's declaration (a params= directive, lint/declared.py)


@dataclass
class StackCount:
    rows: list[Row]
    problems: list[Finding]
    output_shape: Optional[Shape]
    input_shape: Optional[Shape] = None
    split_problems: list[Finding] = field(default_factory=list)  # the total is exact, the trainable split not
    refused: bool = False  # the framework refuses to construct the model as written (Keras: its input arguments)

    @property
    def complete(self) -> bool:
        """Exact when every row's count is known; mismatches are reported but do not hide counts."""
        return not self.refused and all(r.params is not None for r in self.rows)

    def _sum(self, attr: str) -> Optional[int]:
        values: list[Optional[int]] = [getattr(r, attr) for r in self.rows]
        known = [v for v in values if v is not None]
        return sum(known) if len(known) == len(values) else None

    @property
    def total(self) -> Optional[int]:
        return self._sum("params")

    @property
    def trainable(self) -> Optional[int]:
        return self._sum("trainable")

    @property
    def non_trainable(self) -> Optional[int]:
        return self._sum("non_trainable")


@lru_cache(maxsize=1024)
def snake_case(name: str) -> str:
    """Keras' automatic layer names: ``Conv2D`` -> ``conv2d``, ``BatchNormalization`` -> ``batch_normalization``."""
    name = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


Entry = tuple[Optional[str], Union[Layer, Unknown]]


class Counter:
    """Counts one model. Keeps the identity of layers seen, so a shared layer is counted once."""

    def __init__(self, framework: str, built: Optional[dict[int, Shape]] = None) -> None:
        self.framework = framework
        # The input shape each nested Keras Sequential without one of its own was built with, by identity,
        # shared by the models of a file counted in the order Keras builds them: the first one builds it.
        self.built: dict[int, Shape] = built if built is not None else {}
        self.seen: dict[int, tuple[int, Out]] = {}
        self.keras_names: dict[str, int] = {}
        self.problems: list[Finding] = []
        self.split_problems: list[Finding] = []
        self.input_explained = False
        self.claimed: set[tuple[int, str]] = set()  # shared parameters (id of owner layer, slot) already counted
        self.lent: set[int] = set()  # layers a parameter of which another layer counted first
        self.refused = False

    # -- public -----------------------------------------------------------
    def count(self, entries: list[Entry], input_shape: Optional[Shape]) -> StackCount:
        if input_shape is None and self.framework == "keras" and entries:
            input_shape = self._keras_input(entries[0][1])
        rows, shape = self._stack(entries, input_shape)
        return StackCount(rows, self.problems, shape, input_shape, self.split_problems, self.refused)

    def count_module(self, entries: list[Entry], input_shape: Optional[Shape] = None, output_shape: Optional[Shape] = None) -> StackCount:
        """A module's registered children, each counted on its own: no shape flows between attributes; the
        shapes are those its forward() was seen to produce, when it was followed."""
        rows = self._module_children(entries)
        return StackCount(rows, self.problems, output_shape, input_shape, self.split_problems)

    def _inner(self) -> "Counter":
        """A counter for a nested container: its own names and problems, the model's identities and changes."""
        inner = Counter(self.framework)
        inner.seen, inner.split_problems, inner.claimed, inner.lent = self.seen, self.split_problems, self.claimed, self.lent
        inner.built = self.built
        return inner

    # -- internals --------------------------------------------------------
    def _report(self, finding: Finding, layer: Optional[Layer]) -> None:
        if layer is not None:
            finding.at(layer.line, layer.column)
        if isinstance(finding, NeedsInputShape) and (self.input_explained or any(isinstance(p, NeedsInputShape) for p in self.problems)):
            return  # one missing input shape, or a layer before it that is not counted, explains every layer after it
        if isinstance(finding, NeedsInputShape) and self.framework == "torch":  # lazy modules: no keras.Input to add
            finding.fields.setdefault("fix", "add '# paramlint: input-shape=(...)' (channels first, no batch) on the line above the model")
        self.problems.append(finding)

    def _stack(self, entries: list[Entry], shape: Optional[Shape]) -> tuple[list[Row], Optional[Shape]]:
        rows: list[Row] = []
        sizes: flow.Flow = None  # PyTorch without shapes: the declared sizes still flow (engine/torch/flow.py)
        for key, item in entries:
            if isinstance(item, Layer) and item.qualname in KERAS_INPUTS and self.framework == "keras":
                if rows:
                    self._report(InvalidConfig(layer=item.type_name, reason="an Input may only be the first layer of a Sequential"), item)
                continue
            if self.framework == "torch" and shape is None and isinstance(item, Layer):
                mismatch = flow.check(item, sizes)
                if mismatch is not None:
                    self._report(mismatch, item)
                sizes = flow.after(item, sizes)
            else:
                sizes = None
            if self.framework == "keras" and isinstance(item, Layer) and item.kind == "module" and not item.built:
                # a custom layer is built by its call() when the Sequential is: not followed here
                self._report(UnknownValue(item.line, item.column, what=f"the weights of {item.type_name}",
                                          reason="a custom layer in a Sequential is built by its call(), which paramlint "
                                                 "follows only on tensors", fix="call it on a keras.Input (the functional API)"), item)
                self.input_explained = True
                rows.append(Row(len(rows), self._name(key, item, len(rows)), item.type_name, item.line, item.column, None, None, None, None))
                shape = None
                continue
            row, shape = self._row(len(rows), key, item, shape)
            rows.append(row)
        return rows, shape

    def _keras_input(self, first: Union[Layer, Unknown], depth: int = 0) -> Optional[Shape]:
        """Keras reads the input shape from a leading Input/InputLayer or the first layer's kwargs; a Sequential
        first in the model lends its own (Keras 3 builds the outer model from it)."""
        if not isinstance(first, Layer):
            return None
        if first.qualname in KERAS_CONTAINERS:
            inner = first.children or []
            return self._keras_input(inner[0][1], depth + 1) if inner and depth < 64 else None
        try:
            return first_layer_shape(first, Call(first, None, self.run))
        except Finding as finding:
            self._report(finding, first)
            self.input_explained = True  # the layers that then cannot be sized need no second problem
            self.refused = isinstance(finding, InvalidConfig)
        return None

    def _name(self, key: Optional[str], layer: Layer, index: int) -> str:
        if key is not None and self.framework != "keras":  # Keras names layers itself, not by attribute
            return key
        if self.framework == "torch":
            return str(index)
        explicit = layer.kwargs.get("name")
        if isinstance(explicit, str):
            return explicit
        base = snake_case(layer.type_name)
        n = self.keras_names.get(base, 0)
        self.keras_names[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def _row(self, index: int, key: Optional[str], item: Union[Layer, Unknown], shape: Optional[Shape]) -> tuple[Row, Optional[Shape]]:
        if isinstance(item, Unknown):
            what = "layer" if key is None or key.isdigit() else "the module" if key.startswith("<") else f"'{key}'"
            self._report(unknown_value(item, what), None)
            self.input_explained = True  # the layers after it cannot be sized: this is why, not a missing input
            return Row(index, key or str(index), "?", item.line, item.column, None, None, None, None), None
        layer = item
        name = self._name(key, layer, index)
        if layer.kind == "module":
            return self._module_row(index, name, layer), layer.seen_output
        if layer.qualname in CONTAINERS:
            if id(layer) in self.seen:  # the same container again (an alias): counted once, where first met
                first, seen_out = self.seen[id(layer)]
                return Row(index, name, layer.type_name, layer.line, layer.column, seen_out.shape, 0, 0, 0,
                           f"shared with layer {first} (counted once)", shared_with=first), seen_out.shape
            if layer.split_unknown is not None:
                self.split_problems.append(unknown_value(layer.split_unknown, "the trainable split", layer))
            if self.framework == "keras":
                # Keras 3 built it with its own input, or with the first input a model gave it: what flows in must fit
                own = self._keras_input(layer) or self.built.get(id(layer))
                if own is not None and shape is not None and not _fits(own, shape):
                    self._report(InvalidConfig(layer=layer.type_name, reason=f"expects input of shape {show_shape(own)}, "
                                               f"received shape {show_shape(shape)}"), layer)
                    self.input_explained, self.refused = True, True
                    return Row(index, name, layer.type_name, layer.line, layer.column, None, None, None, None), None
                if own is not None:
                    shape = own if shape is None else tuple(d if d is not None else s for d, s in zip(own, shape))
                if shape is not None:
                    self.built.setdefault(id(layer), shape)
            inner = self._inner()
            child_rows, out_shape = inner._stack(layer.children or [], shape)
            for p in inner.problems:
                self._report(p, None)
            self.input_explained = self.input_explained or inner.input_explained
            sub = StackCount(child_rows, [], out_shape)
            self.seen[id(layer)] = (index, Out(out_shape))
            return Row(index, name, layer.type_name, layer.line, layer.column, out_shape, sub.total, sub.trainable, sub.non_trainable,
                       "sum of its layers", children=child_rows), out_shape
        try:
            out = self.run(layer, shape)
        except Finding as finding:
            self._report(finding, layer)
            self.input_explained = True
            return Row(index, name, layer.type_name, layer.line, layer.column, None, None, None, None), None
        if id(layer) in self.seen:
            first, _ = self.seen[id(layer)]
            return Row(index, name, layer.type_name, layer.line, layer.column, out.shape, 0, 0, 0,
                       f"shared with layer {first} (counted once)", shared_with=first), out.shape
        self.seen[id(layer)] = (index, out)
        return Row(index, name, layer.type_name, layer.line, layer.column, out.shape, out.params, out.trainable, out.non_trainable, out.formula), out.shape

    def _module_row(self, index: int, name: str, layer: Layer) -> Row:
        """A user-defined nn.Module: the parameters of its registered submodules, each counted on its own
        (its forward() is not followed, so neither are shapes). A submodule met before is counted once."""
        out_shape = layer.seen_output
        if id(layer) in self.seen:
            first, _ = self.seen[id(layer)]
            return Row(index, name, layer.type_name, layer.line, layer.column, out_shape, 0, 0, 0,
                       f"shared with layer {first} (counted once)", shared_with=first)
        self.seen[id(layer)] = (index, Out(out_shape))
        inner = self._inner()
        if layer.split_unknown is not None:
            self.split_problems.append(unknown_value(layer.split_unknown, "the trainable split", layer))
        children = inner._module_children(layer.children or [])
        for p in inner.problems:
            self._report(p, None)
        sub = StackCount(children, [], None)
        trainable, frozen = sub.trainable, sub.non_trainable
        if self.framework == "keras" and layer.kwargs.get("trainable") is False and trainable is not None and frozen is not None:
            trainable, frozen = 0, trainable + frozen  # a frozen Keras layer: none of its weights train
        what = "sum of its layers" if self.framework == "keras" else "sum of its submodules"
        return Row(index, name, layer.type_name, layer.line, layer.column, out_shape, sub.total, trainable, frozen, what, children=children)

    def _module_children(self, entries: list[Entry]) -> list[Row]:
        """A module's children, each with the input its forward() was seen to give it (or none: shapes '?')."""
        rows = []
        for i, (key, child) in enumerate(entries):
            if self.framework == "keras" and isinstance(child, Layer) and child.kind == "layer" and not child.built:
                rows.append(self._unbuilt(i, key, child))
                continue
            if self.framework == "keras" and isinstance(child, Layer) and child.build_unknown is not None:
                self._report(unknown_value(child.build_unknown, f"whether {child.type_name} is built"), child)
                rows.append(Row(i, self._name(key, child, i), child.type_name, child.line, child.column, None, None, None, None))
                continue
            rows.append(self._row(i, key, child, child.seen_input if isinstance(child, Layer) else None)[0])
        return rows

    def _unbuilt(self, index: int, key: Optional[str], layer: Layer) -> Row:
        """A Keras layer never called (nor built) holds no weights yet: 0, as ``model.summary()`` shows it.
        A Sequential whose own Input built it at construction is counted."""
        if layer.qualname in KERAS_CONTAINERS and layer.children:
            first = layer.children[0][1]
            shape = self._keras_input(first) if isinstance(first, Layer) else None
            if shape is not None:
                return self._row(index, key, layer, shape)[0]
        return Row(index, self._name(key, layer, index), layer.type_name, layer.line, layer.column, None, 0, 0, 0, "0 (unbuilt)")

    def _changed(self, layer: Layer, out: Out) -> Out:
        """What the file did to a PyTorch layer's parameters after constructing it, parameter by parameter:
        frozen (requires_grad), shared with another layer (counted once, where torch's named_parameters() meets
        it first), or changed in a way not followed (no count)."""
        if layer.changed is not None:
            raise unknown_value(layer.changed, f"the parameters of {layer.type_name}", layer)
        if layer.split_unknown is not None:
            self.split_problems.append(unknown_value(layer.split_unknown, "the trainable split", layer))
        if not (layer.tied or layer.frozen_slots or id(layer) in self.lent):
            if layer.frozen and out.trainable:
                return Out(out.shape, 0, out.params, out.formula + " (requires_grad=False)")
            return out
        sizes = slot_sizes(layer, out)
        if sizes is not None and sum(sizes.values()) != out.params:  # a parameter list that disagrees with the count
            sizes = None
        if sizes is None:
            raise UnknownValue(layer.line, layer.column, what=f"the parameters of {layer.type_name}",
                               reason="they are changed after construction, which is not followed for this layer")
        trainable = frozen = 0
        notes = []
        for slot, size in sizes.items():
            owner, owner_slot = layer.tied.get(slot, (layer, slot))
            if (id(owner), owner_slot) in self.claimed or (owner is not layer and id(owner) in self.seen):
                notes.append(f"{slot or 'parameter'} counted with {owner.type_name if owner is not layer else 'the layer sharing it'}")
                continue
            self.claimed.add((id(owner), owner_slot))
            if owner is not layer:
                self.lent.add(id(owner))
            if owner.frozen or owner_slot in owner.frozen_slots or (owner_slot == "" and not out.trainable):
                frozen += size
            else:
                trainable += size
        if frozen and not out.non_trainable:
            notes.append("requires_grad=False" if layer.frozen else "some requires_grad=False")
        return Out(out.shape, trainable, frozen, out.formula + "".join(f" ({n})" for n in notes))

    def run(self, layer: Layer, shape: Optional[Shape], inputs: Optional[list[Optional[Shape]]] = None,
            named: Optional[dict[str, Optional[Shape]]] = None) -> Out:
        """Apply one layer's spec; also used by wrapper specs for the layer they wrap. A Keras layer called on
        several tensors gets all of them: ``inputs``/``named``, or those it was first called on (``seen_inputs``)
        when ``shape`` is the first of them."""
        spec = REGISTRY.get(layer.qualname)
        if spec is None:
            raise UnsupportedLayer(layer.line, layer.column, layer=layer.qualname)
        if inputs is None and layer.seen_inputs is not None and layer.seen_inputs[:1] == (shape,):
            inputs, named = list(layer.seen_inputs), layer.seen_named
        call = Call(layer, shape, self.run, inputs, named)
        out = spec(call)
        for note in call.notes:
            self._report(note, layer)
        if self.framework == "keras" and "trainable" in layer.kwargs and not call.bool("trainable"):
            if layer.qualname in KERAS_CONSTRUCTOR_FREEZE_MODEL_LEVEL and not layer.frozen:
                # the model's figures, as model.summary() and count_params() give them
                return Out(out.shape, out.trainable, out.non_trainable,
                           out.formula + " (trainable=False in the constructor: the layer reads frozen, but Keras 3 "
                                         "counts its weights trainable in the model, as model.summary() shows)")
            out = Out(out.shape, 0, out.params, out.formula + (" (trainable=False)" if out.formula else ""))
        if self.framework == "keras" and layer.split_unknown is not None:  # '.trainable = ...' under a condition
            self.split_problems.append(unknown_value(layer.split_unknown, "the trainable split", layer))
        if layer.qualname.startswith("torch."):
            out = self._changed(layer, out)
        return out


def _fits(own: Shape, given: Shape) -> bool:
    """Keras's input check for a built model: the same rank, and every dimension both know agrees."""
    return len(own) == len(given) and all(a is None or b is None or a == b for a, b in zip(own, given))


def count_stack(framework: str, entries: list[Entry], input_shape: Optional[Shape],
                built: Optional[dict[int, Shape]] = None) -> StackCount:
    """Count a model's layers in order. ``input_shape`` excludes the batch dimension; ``built`` holds the shapes
    the file's models counted before gave their nested Keras Sequentials (read and extended)."""
    return Counter(framework, built).count(entries, input_shape)


def count_module(framework: str, entries: list[Entry], input_shape: Optional[Shape] = None,
                 output_shape: Optional[Shape] = None) -> StackCount:
    """Count a PyTorch module's registered children (attributes, not a sequence)."""
    return Counter(framework).count_module(entries, input_shape, output_shape)
