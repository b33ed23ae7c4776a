#!/usr/bin/env python3
"""gpu_report.py: one table from `convtgen bench --backend nvrtc` and cudnn_bench.py TSVs of the
same suite: each layer's median time on both and the ratio (cuDNN's time over convtgen's: above
1 convtgen is faster). usage: gpu_report.py CONVTGEN.tsv CUDNN.tsv DEVICE OUT.md [DTYPE]"""
import datetime
import sys


def read(path):
    rows = {}
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) != 6 or f[0] == "name":
            continue
        rows[f[0]] = (f[1], float(f[3]), float(f[4]))
    return rows


def main():
    ours, theirs = read(sys.argv[1]), read(sys.argv[2])
    device, out = sys.argv[3], sys.argv[4]
    dtype = sys.argv[5] if len(sys.argv) > 5 else "float32"
    lines = [f"# convtgen nvrtc vs PyTorch on {device}", "",
             f"{datetime.date.today()}: `convtgen bench --suite bench/layers.tsv --backend nvrtc` (device-resident runs, "
             "CUDA events, no transfers) against `bench/cudnn_bench.py` (PyTorch ConvTranspose2d, "
             "cudnn.benchmark = True, allow_tf32 = False, CUDA events); medians, " + dtype + ".", "",
             "| layer | convtgen ms | GFLOP/s | PyTorch ms | GFLOP/s | PyTorch / convtgen |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, (_, ms, gf) in ours.items():
        if name not in theirs:
            continue
        _, tms, tgf = theirs[name]
        lines.append(f"| {name} | {ms:.4f} | {gf:.1f} | {tms:.4f} | {tgf:.1f} | {tms / ms:.2f} |")
    open(out, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
