#!/usr/bin/env python3
"""report.py: turns one `make bench` run (a folder of TSVs: name backend threads median_ms
gflops compile_ms) into bench/results/<date>-<cpu>.md and a GFLOP/s bar chart (gnuplot)."""
import datetime
import math
import os
import platform
import re
import shutil
import subprocess
import sys


def cpu_name():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown cpu"


def main():
    src, dest = sys.argv[1], sys.argv[2]
    rows = {}  # (name, column) -> (gflops, median_ms, compile_ms)
    layers, columns = [], []
    rounds_seen = set()
    for f in sorted(os.listdir(src)):
        if not f.endswith(".tsv"):
            continue
        rounds_seen.add(f.split("-")[0])
        for line in open(os.path.join(src, f)):
            p = line.rstrip("\n").split("\t")
            if len(p) != 6 or p[0] == "name":
                continue
            name, backend, threads, median, gflops, compile_ms = p
            col = f"{backend}/{threads}t"
            if name not in layers:
                layers.append(name)
            if col not in columns:
                columns.append(col)
            # the best round's speed; the first round's compile time (later rounds hit the cache)
            first = rows.get((name, col))
            if first is None or float(gflops) > first[0]:
                rows[(name, col)] = (float(gflops), float(median), first[2] if first else float(compile_ms))
    order = ["interp/1t", "tcc/1t", "cc/1t", "aot/1t", "onednn/1t", "onednn-any/1t", "onednn3-any/1t", "pytorch/1t",
             "cc-nhwc/1t", "xnnpack/1t",
             "aot-avx2/1t", "onednn-avx2/1t", "onednn-any-avx2/1t",
             "cc/2t", "onednn/2t", "onednn-any/2t", "pytorch/2t"]
    columns = [c for c in order if c in columns] + [c for c in columns if c not in order]
    date = datetime.date.today().isoformat()
    cpu = cpu_name()
    slug = re.sub(r"[^a-z0-9]+", "-", cpu.lower()).strip("-")
    os.makedirs(dest, exist_ok=True)
    tag = sys.argv[3] if len(sys.argv) > 3 else ""  # a suite other than the public one
    base = os.path.join(dest, f"{date}-{slug}" + (f"-{tag}" if tag else ""))

    # the best oneDNN figure of each layer, whichever version and layout gave it
    anchors = [c for c in ("onednn/1t", "onednn-any/1t", "onednn3-any/1t") if c in columns]
    if anchors:
        for name in layers:
            best = max((rows[(name, c)] for c in anchors if (name, c) in rows), default=None, key=lambda r: r[0])
            if best:
                rows[(name, "best/1t")] = best
        columns.append("best/1t")

    def ratio(name, a, b):
        if (name, a) in rows and (name, b) in rows and rows[(name, b)][0] > 0:
            return rows[(name, a)][0] / rows[(name, b)][0]
        return None

    def geomean(vals):
        vals = [v for v in vals if v]
        return math.exp(sum(math.log(v) for v in vals) / len(vals)) if vals else None

    out = [f"# convtgen benchmark: {date}, {cpu}", "",
           f"`make bench` on {platform.node() or 'this machine'} ({os.cpu_count()} cores, {platform.machine()}),"
           f" one run of {len(rounds_seen)} rounds, each timing every contender in turn; each figure is the best"
           " round's. GFLOP/s with FLOPs = 2*N*Cin*(Cout/groups)*KH*KW*H*W; a round's figure is the median of"
           " enough calls for about 0.3 s after one warm-up. convtgen's weights are bound (packed) once,"
           " outside the timed call. oneDNN: its deconvolution with PyTorch's NCHW layouts (`onednn`) and"
           " with layouts of its own choosing, only execution timed (`onednn-any`). PyTorch: `nn.ConvTranspose2d`."
           " `onednn3-any`: oneDNN 3.x (PyPI's wheels) with layouts of its own choosing, pinned to one core;"
           " `best`: the best of `onednn`, `onednn-any` and `onednn3-any` on each layer."
           " `cc-nhwc`: the cc tier with `memory_format = \"channels_last\"` (input and output NHWC); XNNPACK:"
           " `xnn_create_deconvolution2d_nhwc_f32`, NHWC, its own weight order, creation and setup untimed.", "",
           ]
    if "aot-avx2/1t" in columns:
        out += ["AVX2 (`BENCH_ISA=avx2`): `aot-avx2` is each layer's `gen --isa avx2` file built with"
                " `-O3 -mavx2 -mfma -mno-avx512f`; `onednn-avx2` and `onednn-any-avx2` are oneDNN with"
                " `DNNL_MAX_CPU_ISA=AVX2`, PyTorch's layouts and its own.", ""]
    peak_file = os.path.join(src, "peak.txt")
    if os.path.exists(peak_file):
        out += ["Single-core FMA peak on this machine, measured in the same run by ../shared/tools/peak.c:", ""]
        out += ["    " + line.strip() for line in open(peak_file) if line.strip()] + [""]
    out += ["## GFLOP/s", "", "| layer | " + " | ".join(columns) + " |", "| --- |" + " ---: |" * len(columns)]
    for name in layers:
        cells = [f"{rows[(name, c)][0]:.2f}" if (name, c) in rows else "-" for c in columns]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    comps = [("aot/1t", "cc/1t"), ("cc/1t", "onednn/1t"), ("cc/1t", "onednn-any/1t"), ("cc/1t", "onednn3-any/1t"),
             ("cc/1t", "best/1t"), ("cc/1t", "pytorch/1t"), ("cc-nhwc/1t", "xnnpack/1t"), ("cc-nhwc/1t", "cc/1t"),
             ("tcc/1t", "interp/1t"),
             ("cc/2t", "cc/1t"), ("cc/2t", "onednn/2t"),
             ("aot-avx2/1t", "onednn-avx2/1t"), ("aot-avx2/1t", "onednn-any-avx2/1t"), ("aot-avx2/1t", "aot/1t")]
    comps = [c for c in comps if c[0] in columns and c[1] in columns]
    out += ["", "## Ratios", "", "| layer | " + " | ".join(f"{a} / {b}" for a, b in comps) + " |",
            "| --- |" + " ---: |" * len(comps)]
    for name in layers:
        cells = []
        for a, b in comps:
            r = ratio(name, a, b)
            cells.append(f"{r:.2f}x" if r else "-")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    means = []
    for a, b in comps:
        g = geomean([ratio(n, a, b) for n in layers])
        means.append(f"**{g:.2f}x**" if g else "-")
    out.append("| geometric mean | " + " | ".join(means) + " |")
    peak = None
    if os.path.exists(peak_file):
        for line in open(peak_file):
            m = re.search(r"([0-9.]+) GFLOP/s", line)
            if m:
                peak = max(peak or 0.0, float(m.group(1)))
    share_cols = [c for c in ["cc/1t", "aot/1t", "cc-nhwc/1t", "onednn-any/1t", "onednn3-any/1t", "xnnpack/1t"]
                  if c in columns]
    if peak and share_cols:
        out += ["", f"## % of peak ({peak:.1f} GFLOP/s, one core, the best FMA line above)", "",
                "| layer | " + " | ".join(share_cols) + " |", "| --- |" + " ---: |" * len(share_cols)]
        for name in layers:
            cells = [f"{100 * rows[(name, c)][0] / peak:.0f}%" if (name, c) in rows else "-" for c in share_cols]
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    out += ["", "## Compile times (ms)", "", "| layer | tcc | cc (cold, empty cache) |", "| --- | ---: | ---: |"]
    for name in layers:
        t = rows.get((name, "tcc/1t"), (0, 0, 0))[2]
        c = rows.get((name, "cc/1t"), (0, 0, 0))[2]
        out.append(f"| {name} | {t:.1f} | {c:.0f} |")
    if shutil.which("gnuplot"):
        data = base + ".dat"
        plot_cols = [c for c in ["tcc/1t", "cc/1t", "onednn/1t", "pytorch/1t"] if c in columns]
        with open(data, "w") as d:
            d.write("layer " + " ".join(plot_cols) + "\n")
            for name in layers:
                d.write(name + " " + " ".join(f"{rows.get((name, c), (0,))[0]:.3f}" for c in plot_cols) + "\n")
        script = (f"set terminal png size 1200,500; set output '{base}.png'; set style data histograms;"
                  " set style histogram clustered gap 1; set style fill solid border -1; set ylabel 'GFLOP/s';"
                  " set xtics rotate by -30; set key top left; set grid ytics;"
                  f" plot for [i=2:{len(plot_cols) + 1}] '{data}' using i:xtic(1) title columnheader(i)")
        subprocess.run(["gnuplot", "-e", script], check=True)
        os.remove(data)
        out += ["", f"![GFLOP/s per layer]({os.path.basename(base)}.png)"]
    open(base + ".md", "w").write("\n".join(out) + "\n")
    print(f"wrote {base}.md")


if __name__ == "__main__":
    main()
