"""The DCGAN generator of examples/ (five ConvTranspose2d, BatchNorm2d + ReLU after the first
four, Tanh last) exported with torch.onnx.export, for the importer's end-to-end test.

Usage: dcgan_export.py OUT_DIR. Writes OUT_DIR/dcgan.onnx, z.npy (a batch of 2 latents) and
y.npy (PyTorch's output for it, eval mode, with non-trivial BatchNorm statistics), and the other
road, tools/convtgen_export.py: OUT_DIR/export/ with its specs and weights and order.txt (the
layers' names in the order they run).
"""
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from convtgen_export import export  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(7)
layers, chans = [], [100, 512, 256, 128, 64]
for i in range(4):
    layers += [nn.ConvTranspose2d(chans[i], chans[i + 1], 4, 1 if i == 0 else 2, 0 if i == 0 else 1, bias=False),
               nn.BatchNorm2d(chans[i + 1]), nn.ReLU(True)]
layers += [nn.ConvTranspose2d(64, 3, 4, 2, 1, bias=False), nn.Tanh()]
g = nn.Sequential(*layers)
for m in g:
    if isinstance(m, nn.BatchNorm2d):  # trained-looking statistics, so folding is really tested
        m.running_mean.uniform_(-0.2, 0.2)
        m.running_var.uniform_(0.5, 2.0)
        m.weight.data.uniform_(0.5, 1.5)
        m.bias.data.uniform_(-0.1, 0.1)
g.eval()
z = torch.randn(2, 100, 1, 1)
with torch.no_grad():
    y = g(z)
torch.onnx.export(g, z, os.path.join(out, "dcgan.onnx"), opset_version=13, input_names=["z"], output_names=["image"],
                  dynamic_axes={"z": {0: "batch"}, "image": {0: "batch"}}, do_constant_folding=False)
np.save(os.path.join(out, "z.npy"), z.numpy())
names = export(g, (2, 100, 1, 1), os.path.join(out, "export"))
with open(os.path.join(out, "export", "order.txt"), "w") as f:
    f.write("\n".join(names) + "\n")
np.save(os.path.join(out, "y.npy"), y.numpy())
print("dcgan.onnx, z.npy, y.npy in", out)
