#!/bin/sh
# gpu_check.sh OUT: what a lent GPU machine runs in one go (device tool; build here first with
# `make all build/tests/test_cuda_double gpu-libs`, carry build/): every public layer timed against
# PyTorch's cuDNN (float32, then float16 and bfloat16), the CUDA double's suite on the real driver and NVRTC (CONVTGEN_CUDA_REAL=1),
# compute-sanitizer on checks. Results and logs go to OUT (the device tool's $OUT). Each step has a
# time limit, so the whole fits the device budget; a step that fails is logged and the next runs.
out=${1:?usage: tools/gpu_check.sh OUT}
mkdir -p "$out"
export LD_LIBRARY_PATH="$PWD/build/gpu-libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export CONVTGEN_CACHE_DIR="$(mktemp -d /tmp/convtgen-gpu.XXXXXX)"
unset CONVTGEN_CUDA_DOUBLE
step() { # step NAME SECONDS COMMAND...: runs it, logs to OUT/NAME.log, says how it ended
  name=$1 limit=$2
  shift 2
  start=$(date +%s)
  timeout "$limit" "$@" > "$out/$name.log" 2>&1
  echo "$name: exit $? in $(( $(date +%s) - start )) s" >> "$out/summary.txt"
}
nvidia-smi -L > "$out/device.txt" 2>&1
device=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)
# the table first (what a GPU is lent for), then correctness on the real driver; under 600 s
step bench_convtgen 80 sh -c "build/convtgen bench --suite bench/layers.tsv --backend nvrtc > '$out/convtgen.tsv'"
step bench_cudnn 80 sh -c "python3 bench/cudnn_bench.py bench/layers.tsv > '$out/cudnn.tsv'"
for d in float16 bfloat16; do # each public layer in that dtype, against cuDNN in the same
  step "bench_convtgen_$d" 35 sh -c "sh bench/half_suite.sh $d nvrtc > '$out/convtgen-$d.tsv'"
  step "bench_cudnn_$d" 35 sh -c "python3 bench/cudnn_bench.py bench/layers.tsv --dtype $d > '$out/cudnn-$d.tsv'"
done
step cuda_real 180 env CONVTGEN_CUDA_REAL=1 build/tests/test_cuda_double
for s in examples/tiny_mcu.lua examples/dcgan_g2.lua; do
  step "sanitizer-$(basename "$s" .lua)" 50 compute-sanitizer --error-exitcode 3 build/convtgen check "$s" --backend nvrtc
done
python3 bench/gpu_report.py "$out/convtgen.tsv" "$out/cudnn.tsv" "${device:-unknown GPU}" \
  "$out/gpu-$(date +%Y-%m-%d).md" > /dev/null 2>> "$out/summary.txt"
for d in float16 bfloat16; do
  python3 bench/gpu_report.py "$out/convtgen-$d.tsv" "$out/cudnn-$d.tsv" "${device:-unknown GPU}" \
    "$out/gpu-$(date +%Y-%m-%d)-$d.md" "$d" > /dev/null 2>> "$out/summary.txt"
done
cat "$out/summary.txt"
