#!/usr/bin/env python3
"""convtgen_export.py: from a PyTorch model to convtgen specs and .npy weights.

    from convtgen_export import export
    export(model, (1, 100, 1, 1), "out")   # input shape of the whole model

Runs the model once on zeros (in eval mode) to learn each nn.ConvTranspose2d's input shape,
then writes, for every one of them in the order they run, OUT/NAME.lua (a spec) and
OUT/NAME_weight.npy (and OUT/NAME_bias.npy). Inside an nn.Sequential, a BatchNorm2d right after
the layer is folded into its weights and bias (in double, with the running statistics), and a
ReLU, ReLU6, LeakyReLU, Tanh, Sigmoid or Hardtanh after that becomes the spec's activation.
Prints one line per layer written. Needs only torch and numpy.

Also a command: convtgen_export.py MODULE:FACTORY N,C,H,W OUT_DIR, where FACTORY() returns the
model (a function of yours, importable from the working directory: mymodels:make_generator).
"""
import copy
import importlib
import os
import sys

import numpy as np
import torch
from torch import nn


def _in_dtype(a, dtype):
    """float64 values (BatchNorm folded in) as the layer's dtype, each rounded once by PyTorch;
    bfloat16 as its bits ('<u2': NumPy has no bfloat16)."""
    t = torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64))
    if dtype == "bfloat16":
        return t.to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
    return t.to(getattr(torch, dtype)).numpy()


def _activation(m):
    """The spec's activation for module m, or None when convtgen has none for it."""
    if isinstance(m, nn.ReLU):
        return "'relu'"
    if isinstance(m, nn.ReLU6):
        return "{'clamp', 0, 6}"
    if isinstance(m, nn.LeakyReLU):
        return "{'leaky_relu', %r}" % float(m.negative_slope)
    if isinstance(m, nn.Tanh):
        return "'tanh'"
    if isinstance(m, nn.Sigmoid):
        return "'sigmoid'"
    if isinstance(m, nn.Hardtanh):
        return "{'clamp', %r, %r}" % (float(m.min_val), float(m.max_val))
    return None


def _followers(model):
    """For each ConvTranspose2d inside an nn.Sequential: the BatchNorm2d and activation after it."""
    found = {}
    for seq in model.modules():
        if not isinstance(seq, nn.Sequential):
            continue
        children = list(seq.children())
        for i, m in enumerate(children):
            if not isinstance(m, nn.ConvTranspose2d):
                continue
            bn = act = None
            j = i + 1
            if j < len(children) and isinstance(children[j], nn.BatchNorm2d):
                bn, j = children[j], j + 1
            if j < len(children) and _activation(children[j]) is not None:
                act = children[j]
            found[m] = (bn, act)
    return found


def export(model, input_shape, out_dir):
    """Writes a spec and .npy weights for every nn.ConvTranspose2d of model; returns their names."""
    os.makedirs(out_dir, exist_ok=True)
    was_training = model.training
    model.eval()
    shapes, order = {}, []

    def hook(module, inputs):
        if module not in shapes:
            shapes[module] = tuple(inputs[0].shape)
            order.append(module)

    # float16 / bfloat16 models trace on a float32 copy (PyTorch's CPU has no half ConvTranspose2d);
    # the shapes seen there are recorded for the model's own modules
    dtype = next(model.parameters()).dtype
    tracer = copy.deepcopy(model).float() if dtype in (torch.float16, torch.bfloat16) else model
    own = dict(zip(tracer.modules(), model.modules()))

    def hook_own(module, inputs):
        hook(own[module], inputs)

    handles = [m.register_forward_pre_hook(hook_own) for m in tracer.modules() if isinstance(m, nn.ConvTranspose2d)]
    try:
        with torch.no_grad():
            tracer.eval()
            tracer(torch.zeros(input_shape, dtype=next(tracer.parameters()).dtype))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    follow = _followers(model)
    names = {m: n for n, m in model.named_modules()}
    written = []
    for i, m in enumerate(order):
        name = "".join(c if c.isalnum() else "_" for c in (names.get(m) or f"layer{i}")) or f"layer{i}"
        name = ("l" + name if not name[0].isalpha() else name)[:48]
        bn, act = follow.get(m, (None, None))
        if m.padding_mode != "zeros":
            raise ValueError(f"{name}: padding_mode {m.padding_mode!r}; ConvTranspose2d only computes 'zeros'")
        w = m.weight.detach().double().numpy()
        b = m.bias.detach().double().numpy() if m.bias is not None else None
        if bn is not None:  # y = (conv - mean) / sqrt(var + eps) * gamma + beta, per output channel
            s = (bn.weight.detach().double() if bn.affine else torch.ones(bn.num_features, dtype=torch.float64))
            s = (s / torch.sqrt(bn.running_var.double() + bn.eps)).numpy()
            beta = bn.bias.detach().double().numpy() if bn.affine else 0.0
            g, cin_g = m.groups, m.in_channels // m.groups
            cout_g = m.out_channels // g
            scale = s.reshape(g, 1, cout_g, 1, 1)
            w = (w.reshape(g, cin_g, cout_g, *w.shape[2:]) * scale).reshape(w.shape)
            b = ((b if b is not None else 0.0) - bn.running_mean.double().numpy()) * s + beta
        dtype = {torch.float32: "float32", torch.float64: "float64", torch.float16: "float16",
                 torch.bfloat16: "bfloat16"}.get(m.weight.dtype)
        if dtype is None:
            raise ValueError(f"{name}: weights are {m.weight.dtype}; convtgen takes float32, float64, float16 "
                             "and bfloat16")
        pair = lambda v: "{%d, %d}" % (v[0], v[1])
        spec = (f"-- exported by convtgen_export.py from {type(model).__name__}.{names.get(m, name)}"
                f"{'; fused: BatchNorm2d' if bn is not None else ''}{'; ' + type(act).__name__ if act is not None else ''}\n"
                f"return {{\n  name = '{name}',\n  in_channels = {m.in_channels}, out_channels = {m.out_channels}, "
                f"groups = {m.groups},\n  kernel_size = {pair(m.kernel_size)}, stride = {pair(m.stride)}, "
                f"padding = {pair(m.padding)},\n  output_padding = {pair(m.output_padding)}, "
                f"dilation = {pair(m.dilation)}, bias = {'true' if b is not None else 'false'},\n"
                f"  input_shape = {{{', '.join(str(d) for d in shapes[m])}}}, dtype = '{dtype}', "
                f"activation = {_activation(act) if act is not None else 'nil'},\n}}\n")
        with open(os.path.join(out_dir, name + ".lua"), "w") as f:
            f.write(spec)
        np.save(os.path.join(out_dir, name + "_weight.npy"), _in_dtype(w, dtype))
        files = [name + ".lua", name + "_weight.npy"]
        if b is not None:
            np.save(os.path.join(out_dir, name + "_bias.npy"), _in_dtype(np.asarray(b, dtype=np.float64), dtype))
            files.append(name + "_bias.npy")
        fused = [type(x).__name__ for x in (bn, act) if x is not None]
        print(f"{out_dir}: {name} -> {', '.join(files)}" + (f" (fused {' '.join(fused)})" if fused else ""))
        written.append(name)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 4 or ":" not in sys.argv[1]:
        sys.exit("usage: convtgen_export.py MODULE:FACTORY N,C,H,W OUT_DIR")
    module, factory = sys.argv[1].split(":", 1)
    sys.path.insert(0, os.getcwd())
    net = getattr(importlib.import_module(module), factory)()
    export(net, tuple(int(d) for d in sys.argv[2].split(",")), sys.argv[3])
