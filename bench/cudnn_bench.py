#!/usr/bin/env python3
"""cudnn_bench.py: PyTorch's ConvTranspose2d on a CUDA device (cuDNN, benchmark mode, no TF32)
on the same suite, in the TSV of `convtgen bench` (name backend threads median_ms gflops
compile_ms). Times runs back to back on device tensors with CUDA events, as
`convtgen bench --backend nvrtc` does. usage: cudnn_bench.py SUITE.tsv [--cpu] [--dtype D]
(--cpu: the same loop on the CPU with wall-clock times, named "pytorch-cpu", to try the script
without a GPU; --dtype float16 or bfloat16: the layer and its input in that dtype, labelled
"cudnn-float16" and so on)."""
import statistics
import sys
import time

import torch

from torch_bench import suite_layers


def main():
    suite = sys.argv[1]
    cpu = "--cpu" in sys.argv[2:]
    dtype_name = sys.argv[sys.argv.index("--dtype") + 1] if "--dtype" in sys.argv else "float32"
    dtype = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}[dtype_name]
    if not cpu and not torch.cuda.is_available():
        sys.exit("cudnn_bench.py: no CUDA device for PyTorch (--cpu tries the script on the CPU)")
    dev = torch.device("cpu" if cpu else "cuda")
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.manual_seed(0)
    for name, shape, make, flops in suite_layers(suite):
        t0 = time.perf_counter()
        layer = make().eval().to(dev, dtype)
        x = torch.randn(*shape, device=dev, dtype=dtype)
        with torch.no_grad():
            layer(x)  # cuDNN's benchmark mode picks its algorithm here
            if not cpu:
                torch.cuda.synchronize()
            setup_ms = (time.perf_counter() - t0) * 1e3
            t0 = time.perf_counter()
            layer(x)
            if not cpu:
                torch.cuda.synchronize()
            first = (time.perf_counter() - t0) * 1e3
            reps = 1 if first > 1000 else max(3, min(2000, int(300 / max(first, 1e-3))))
            times = []
            if cpu:
                for _ in range(reps):
                    t0 = time.perf_counter()
                    layer(x)
                    times.append((time.perf_counter() - t0) * 1e3)
            else:
                events = [torch.cuda.Event(enable_timing=True) for _ in range(reps + 1)]
                for i in range(reps):
                    events[i].record()
                    layer(x)
                events[reps].record()
                events[reps].synchronize()
                times = [events[i].elapsed_time(events[i + 1]) for i in range(reps)]
        median = statistics.median(times)
        label = ("pytorch-cpu" if cpu else "cudnn") + ("" if dtype_name == "float32" else "-" + dtype_name)
        print(f"{name}\t{label}\t1\t{median:.4f}\t{flops / (median * 1e6):.3f}\t{setup_ms:.2f}", flush=True)


if __name__ == "__main__":
    main()
