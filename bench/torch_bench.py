#!/usr/bin/env python3
"""torch_bench.py: PyTorch's ConvTranspose2d on the same suite, the same timing and TSV as
`convtgen bench`. usage: torch_bench.py SUITE.tsv THREADS [--bn-relu] (needs Debian's
python3-torch). --bn-relu times ConvTranspose2d, BatchNorm2d and ReLU as the three ops a model
runs (eval mode), named "pytorch+bn+relu"."""
import statistics
import sys
import time

import torch


def suite_layers(suite):
    """(name, input shape (n, cin, h, w), a function making its ConvTranspose2d, FLOPs) for each row
    of a suite TSV (the making is timed apart)."""
    for line in open(suite):
        if line.startswith("#") or not line.strip():
            continue
        f = line.split()
        name, v = f[0], [int(x) for x in f[1:]]
        n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, groups, bias = v
        args = (cin, cout, (kh, kw), (sh, sw), (ph, pw), (oph, opw), groups, bool(bias), (dh, dw))
        yield name, (n, cin, h, w), lambda a=args: torch.nn.ConvTranspose2d(*a), \
            2.0 * n * cin * (cout // groups) * kh * kw * h * w


def main():
    suite, threads = sys.argv[1], int(sys.argv[2])
    bn_relu = "--bn-relu" in sys.argv[3:]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    for name, shape, make, flops in suite_layers(suite):
        t0 = time.perf_counter()
        layer = make()
        if bn_relu:
            cout = layer.out_channels
            layer = torch.nn.Sequential(layer, torch.nn.BatchNorm2d(cout), torch.nn.ReLU())
        layer = layer.eval()
        create_ms = (time.perf_counter() - t0) * 1e3
        x = torch.randn(*shape)
        with torch.no_grad():
            t0 = time.perf_counter()
            layer(x)
            first = (time.perf_counter() - t0) * 1e3
            reps = 1 if first > 1000 else max(3, min(2000, int(300 / max(first, 1e-3))))
            times = []
            for _ in range(reps):
                t0 = time.perf_counter()
                layer(x)
                times.append((time.perf_counter() - t0) * 1e3)
        median = statistics.median(times)
        print(f"{name}\t{'pytorch+bn+relu' if bn_relu else 'pytorch'}\t{threads}\t{median:.4f}\t{flops / (median * 1e6):.3f}\t{create_ms:.2f}", flush=True)


if __name__ == "__main__":
    main()
