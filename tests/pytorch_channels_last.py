"""Writes PyTorch's own outputs for channels_last layers, for test_cli's channels_last test.

For each layer below: DIR/cl_I.lua (the spec), cl_I_x.npy (the input as (N, H, W, C), the bytes
of a torch.channels_last tensor), cl_I_w.npy and cl_I_b.npy (PyTorch's weight layout), and
cl_I_y.npy: nn.ConvTranspose2d run on the channels_last input, its output stored as (N, H, W, C).
Usage: /usr/bin/python3 tests/pytorch_channels_last.py DIR
"""
import sys

import numpy as np
import torch

# (in, out, kernel, stride, padding, output_padding, dilation, groups, bias, input (N, C, H, W))
LAYERS = [
    (8, 32, 4, 2, 1, 0, 1, 1, True, (2, 8, 5, 7)),           # phase_matmul on the cc tier
    (6, 4, (3, 5), (2, 1), (1, 2), (1, 0), (1, 2), 2, True, (2, 6, 5, 7)),
    (4, 8, 3, 2, 1, 1, 1, 4, False, (1, 4, 6, 6)),           # depthwise with a multiplier
    (3, 17, 1, 3, 0, 2, 1, 1, True, (3, 3, 4, 5)),           # 1x1 kernel, stride past the kernel
    (16, 16, 3, 1, 1, 0, 2, 1, True, (1, 16, 9, 11)),        # dilated, stride 1
]


def pair(v):
    return "{%d, %d}" % (v, v) if isinstance(v, int) else "{%d, %d}" % v


def main(out):
    torch.manual_seed(7)
    for i, (cin, cout, k, s, p, op, d, g, bias, shape) in enumerate(LAYERS):
        m = torch.nn.ConvTranspose2d(cin, cout, k, stride=s, padding=p, output_padding=op,
                                     dilation=d, groups=g, bias=bias)
        x = torch.randn(*shape).to(memory_format=torch.channels_last)
        with torch.no_grad():  # float32 data, computed in float64
            md = m.double().to(memory_format=torch.channels_last)
            y = md(x.double().contiguous(memory_format=torch.channels_last))
        # both tensors as they lie in memory: (N, H, W, C)
        np.save(f"{out}/cl_{i}_x.npy", x.permute(0, 2, 3, 1).contiguous().numpy())
        np.save(f"{out}/cl_{i}_y.npy", y.permute(0, 2, 3, 1).contiguous().float().numpy())
        np.save(f"{out}/cl_{i}_w.npy", m.weight.detach().float().numpy())
        if bias:
            np.save(f"{out}/cl_{i}_b.npy", m.bias.detach().float().numpy())
        with open(f"{out}/cl_{i}.lua", "w") as f:
            f.write("return {in_channels = %d, out_channels = %d, kernel_size = %s, stride = %s, "
                    "padding = %s, output_padding = %s, dilation = %s, groups = %d, bias = %s, "
                    "input_shape = {%d, %d, %d, %d}, memory_format = 'channels_last'}\n"
                    % (cin, cout, pair(k), pair(s), pair(p), pair(op), pair(d), g,
                       "true" if bias else "false", *shape))
    print(len(LAYERS))


if __name__ == "__main__":
    main(sys.argv[1])
