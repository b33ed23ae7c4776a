#!/bin/sh
# half_suite.sh DTYPE [BACKEND]: `convtgen bench` on every public layer (bench/layers.tsv) as a
# spec of DTYPE (float16, bfloat16, ...), its rows as `bench --suite` prints them (one header).
# tools/gpu_check.sh runs it with nvrtc against bench/cudnn_bench.py --dtype DTYPE.
set -eu
dtype=${1:?usage: bench/half_suite.sh DTYPE [BACKEND]}
backend=${2:-nvrtc}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf 'name\tbackend\tthreads\tmedian_ms\tgflops\tcompile_ms\n'
for name in $(grep -v '^#' bench/layers.tsv | cut -f1); do
  sh bench/layer_spec.sh bench/layers.tsv "$name" "dtype = \"$dtype\", " > "$dir/$name.lua"
  build/convtgen bench "$dir/$name.lua" --backend "$backend" | grep -v '^name'
done
