"""Writes PyTorch's outputs for float16 and bfloat16 layers, for test_cli's half-precision test.

For each layer below and each dtype: DIR/h_I.lua (the spec), h_I_x.npy, h_I_w.npy, h_I_b.npy
(float16 as '<f2'; bfloat16 as its bits, t.view(torch.int16), '<i2'), and h_I_y.npy: the layer
run by torch.nn.functional.conv_transpose2d on the same values widened to float64, the
activation applied, and the result rounded once to the dtype by PyTorch (what its CUDA kernels
compute: float32 sums, one rounding per output; the float64 sum is that without the float32
rounding). channels_last layers store input and output as (N, H, W, C).
Usage: /usr/bin/python3 tests/pytorch_half.py DIR   (prints the number of specs written)
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F

# (in, out, kernel, stride, padding, output_padding, dilation, groups, bias, input (N, C, H, W),
#  channels_last, activation)
LAYERS = [
    (8, 32, 4, 2, 1, 0, 1, 1, True, (2, 8, 5, 7), False, None),
    (6, 4, (3, 5), (2, 1), (1, 2), (1, 0), (1, 2), 2, True, (2, 6, 5, 7), False, "relu"),
    (4, 8, 3, 2, 1, 1, 1, 4, False, (1, 4, 6, 6), True, None),
    (16, 3, 4, 2, 1, 0, 1, 1, True, (1, 16, 6, 19), False, "tanh"),  # row_vectors on the cc tier
    (16, 16, 3, 1, 1, 0, 2, 1, True, (1, 16, 9, 11), True, "sigmoid"),
]
DTYPES = [("float16", torch.float16), ("bfloat16", torch.bfloat16)]


def pair(v):
    return "{%d, %d}" % (v, v) if isinstance(v, int) else "{%d, %d}" % v


def save(path, t, name):
    t = t.contiguous()
    np.save(path, t.view(torch.int16).numpy() if name == "bfloat16" else t.numpy())


def main(out):
    torch.manual_seed(11)
    i = 0
    for name, dt in DTYPES:
        for cin, cout, k, s, p, op, d, g, bias, shape, cl, act in LAYERS:
            x = torch.randn(*shape).to(dt)
            w = (torch.randn(cin, cout // g, *((k, k) if isinstance(k, int) else k)) / 4).to(dt)
            b = torch.randn(cout).to(dt) if bias else None
            y = F.conv_transpose2d(x.double(), w.double(), b.double() if bias else None, stride=s, padding=p,
                                   output_padding=op, groups=g, dilation=d)
            if act == "relu":
                y = torch.relu(y)
            elif act == "tanh":
                y = torch.tanh(y)
            elif act == "sigmoid":
                y = torch.sigmoid(y)
            y = y.to(dt)
            if cl:  # the bytes of channels_last tensors: (N, H, W, C)
                x, y = x.permute(0, 2, 3, 1), y.permute(0, 2, 3, 1)
            save(f"{out}/h_{i}_x.npy", x, name)
            save(f"{out}/h_{i}_w.npy", w, name)
            save(f"{out}/h_{i}_y.npy", y, name)
            if bias:
                save(f"{out}/h_{i}_b.npy", b, name)
            with open(f"{out}/h_{i}.lua", "w") as f:
                f.write("return {in_channels = %d, out_channels = %d, kernel_size = %s, stride = %s, "
                        "padding = %s, output_padding = %s, dilation = %s, groups = %d, bias = %s, "
                        "input_shape = {%d, %d, %d, %d}, memory_format = '%s', dtype = '%s'%s}\n"
                        % (cin, cout, pair(k), pair(s), pair(p), pair(op), pair(d), g,
                           "true" if bias else "false", *shape, "channels_last" if cl else "contiguous",
                           name, ", activation = '%s'" % act if act else ""))
            i += 1
    print(i)


if __name__ == "__main__":
    main(sys.argv[1])
