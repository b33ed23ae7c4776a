#!/bin/sh
# run.sh: `make bench`: the public suite through convtgen's backends and, where installed,
# oneDNN (libdnnl-dev) and PyTorch (python3-torch), in one run; then the report.
set -eu
convtgen=${1:-build/convtgen}
suite=bench/layers.tsv
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export CONVTGEN_CACHE_DIR=${CONVTGEN_CACHE_DIR:-$out/cache}

for backend in interp tcc cc; do
  echo "bench: convtgen $backend, 1 thread" >&2
  "$convtgen" bench --suite "$suite" --backend "$backend" > "$out/convtgen-$backend.tsv"
done
echo "bench: convtgen cc, 2 threads" >&2
"$convtgen" bench --suite "$suite" --backend cc --threads 2 > "$out/convtgen-cc-2.tsv"
if [ -f /usr/include/dnnl.h ]; then
  ${CC:-cc} -O2 -o "$out/onednn_bench" bench/onednn_bench.c -ldnnl
  for t in 1 2; do
    echo "bench: oneDNN, $t thread(s)" >&2
    OMP_NUM_THREADS=$t "$out/onednn_bench" "$suite" "$t" > "$out/onednn-$t.tsv"
  done
else
  echo "bench: libdnnl-dev is not installed: no oneDNN figures" >&2
fi
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  for t in 1 2; do
    echo "bench: PyTorch, $t thread(s)" >&2
    OMP_NUM_THREADS=$t /usr/bin/python3 bench/torch_bench.py "$suite" "$t" > "$out/pytorch-$t.tsv"
  done
else
  echo "bench: python3-torch is not installed: no PyTorch figures" >&2
fi
python3 bench/report.py "$out" bench/results
