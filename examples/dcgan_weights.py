#!/usr/bin/env python3
"""dcgan_weights.py: random, seeded weights for examples/dcgan_generator.c, as .npy files.

A DCGAN generator (Radford et al.): five ConvTranspose2d layers, BatchNorm and ReLU after the
first four, Tanh after the last. BatchNorm is folded into the layer before it, as a deployment
does: with running statistics (mean, var) and affine (gamma, beta), channel c's weights scale
by s = gamma / sqrt(var + eps) and its bias becomes beta - mean * s. So g1..g4 have a bias and
g5 (no BatchNorm, bias=False in DCGAN) has none. Only the Python standard library is used.

usage: dcgan_weights.py OUT_DIR [--batch N] [--seed S]
writes OUT_DIR/g{1..5}_weight.npy, g{1..4}_bias.npy and z.npy (the latent batch, N x 100 x 1 x 1).
"""
import argparse
import array
import math
import os
import random
import sys

# name, in_channels, out_channels, stride, padding (kernel 4 everywhere): the public suite's dcgan_g1..g5
LAYERS = [("g1", 100, 512, 1, 0), ("g2", 512, 256, 2, 1), ("g3", 256, 128, 2, 1),
          ("g4", 128, 64, 2, 1), ("g5", 64, 3, 2, 1)]
EPS = 1e-5


def save_npy(path, shape, values):
    data = array.array("f", values)
    if sys.byteorder != "little":
        data.byteswap()
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        "".join("%d, " % d for d in shape) if len(shape) == 1 else ", ".join(str(d) for d in shape))
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin1"))
        f.write(data.tobytes())
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    rng = random.Random(args.seed)
    for name, cin, cout, stride, _ in LAYERS:
        # He-style scale over the taps that reach one output, so activations stay O(1) with depth
        std = math.sqrt(2.0 / (cin * 16 / (stride * stride)))
        w = [rng.gauss(0.0, std) for _ in range(cin * cout * 16)]
        if name != "g5":
            scale, bias = [], []
            for _ in range(cout):
                gamma, beta = rng.uniform(0.8, 1.2), rng.gauss(0.0, 0.1)
                mean, var = rng.gauss(0.0, 0.1), rng.uniform(0.8, 1.2)
                s = gamma / math.sqrt(var + EPS)
                scale.append(s)
                bias.append(beta - mean * s)
            # weight layout (Cin, Cout, KH, KW): output channel c is the middle index
            w = [v * scale[(i // 16) % cout] for i, v in enumerate(w)]
            save_npy(os.path.join(args.out_dir, name + "_bias.npy"), (cout,), bias)
        save_npy(os.path.join(args.out_dir, name + "_weight.npy"), (cin, cout, 4, 4), w)
    z = [rng.gauss(0.0, 1.0) for _ in range(args.batch * 100)]
    save_npy(os.path.join(args.out_dir, "z.npy"), (args.batch, 100, 1, 1), z)
    print("dcgan_weights: wrote %s/{g1..g5}_weight.npy, {g1..g4}_bias.npy, z.npy (batch %d, seed %d)"
          % (args.out_dir, args.batch, args.seed))


if __name__ == "__main__":
    main()
