#!/bin/sh
# run.sh: `make bench`: the public suite through convtgen's backends and, where installed,
# oneDNN (libdnnl-dev), XNNPACK (libxnnpack-dev) and PyTorch (python3-torch), in one run; then
# the report. Each layer runs twice through the cc tier: as the suite gives it (NCHW, `cc`) and
# with memory_format = "channels_last" (NHWC, `cc-nhwc`, XNNPACK's layout).
set -eu
convtgen=${1:-build/convtgen}
# BENCH_SUITE: another suite file of the same columns (bench/large_strides.tsv: FCN heads); its
# report is named after it
suite=${BENCH_SUITE:-bench/layers.tsv}
tag=$(basename "$suite" .tsv)
[ "$tag" = layers ] && tag=
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export CONVTGEN_CACHE_DIR=${CONVTGEN_CACHE_DIR:-$out/cache}

# BENCH_ISA=avx2 adds the AVX2 comparison: each layer's `gen --isa avx2` file built with
# -O3 -mavx2 -mfma (no AVX-512) as aot-avx2, against oneDNN restricted to AVX2
# (DNNL_MAX_CPU_ISA=AVX2) as onednn-avx2 and onednn-any-avx2. BENCH_BACKENDS picks convtgen's
# tiers (default "interp tcc cc"); BENCH_TORCH=0 leaves PyTorch out.
isa=${BENCH_ISA:-}
backends=${BENCH_BACKENDS:-interp tcc cc}
case "$isa" in ""|avx2) ;; *) echo "bench: BENCH_ISA=$isa: expected avx2 or nothing" >&2; exit 2;; esac

# The machine's single-core FMA peak (../shared/tools/peak.c), stated in the report
sh bench/peak.sh > "$out/peak.txt"
[ -s "$out/peak.txt" ] || rm -f "$out/peak.txt"

# Rounds interleave every contender, so a slow spell of a shared machine hits them alike; the
# report keeps each figure's best round (interference only ever slows a run down).
rounds=${BENCH_ROUNDS:-3}
if [ -f /usr/include/dnnl.h ]; then
  ${CC:-cc} -O2 -o "$out/onednn_bench" bench/onednn_bench.c -ldnnl
else
  echo "bench: libdnnl-dev is not installed: no oneDNN figures" >&2
fi
# oneDNN 3.x (PyPI's wheels, `make onednn3`): built with the SYCL CPU runtime, so it runs with
# OCL_ICD_FILENAMES at the bundled OpenCL CPU runtime, its libraries on LD_LIBRARY_PATH, and one
# thread by affinity (taskset -c 0) as well as OMP_NUM_THREADS
v3=${ONEDNN3_VENV:-$HOME/.cache/convtgen-bench/onednn3}
if [ -f "$v3/include/oneapi/dnnl/dnnl.h" ] && command -v taskset > /dev/null; then
  ${CC:-cc} -O2 -I"$v3/include" -o "$out/onednn3_bench" bench/onednn_bench.c -L"$v3/lib" -Wl,-rpath,"$v3/lib" -ldnnl
else
  echo "bench: no oneDNN 3.x in $v3 (make onednn3): no oneDNN 3 figures" >&2
fi
if [ -f /usr/include/xnnpack.h ] && [ -f /usr/include/pthreadpool.h ]; then
  ${CC:-cc} -O2 -o "$out/xnnpack_bench" bench/xnnpack_bench.c -lXNNPACK -lm
else
  echo "bench: libxnnpack-dev is not installed: no XNNPACK figures" >&2
fi
torch=0
if [ "${BENCH_TORCH:-1}" = 0 ]; then echo "bench: BENCH_TORCH=0: no PyTorch figures" >&2
elif /usr/bin/python3 -c "import torch" 2>/dev/null; then torch=1; else
  echo "bench: python3-torch is not installed: no PyTorch figures" >&2
fi
# The aot column: each layer's `gen --isa portable` output built as a deployment build would
# (cc -O3 -march=native) into bench/aot_bench.c's harness; its build time is the compile column.
aot="$out/aot"
mkdir -p "$aot"
grep -v '^#' "$suite" | cut -f1 | while read -r name; do
  [ -n "$name" ] || continue
  sh bench/layer_spec.sh "$suite" "$name" > "$aot/$name.lua"
  sh bench/layer_spec.sh "$suite" "$name" 'memory_format = "channels_last", ' > "$aot/$name.nhwc.lua"
  "$convtgen" gen "$aot/$name.lua" --isa portable -o "$aot" > /dev/null
  upper=$(echo "$name" | tr a-z A-Z)
  t0=$(date +%s%N)
  ${CC:-cc} -O3 -march=native -I"$aot" -DKERNEL="$name" -DKERNEL_UPPER="$upper" -include "$aot/$name.h" \
    -o "$aot/$name" bench/aot_bench.c "$aot/$name.c"
  t1=$(date +%s%N)
  echo "$name $(( (t1 - t0) / 1000000 ))" >> "$aot/layers"
  if [ "$isa" = avx2 ]; then
    mkdir -p "$aot/avx2"
    "$convtgen" gen "$aot/$name.lua" --isa avx2 -o "$aot/avx2" > /dev/null
    t0=$(date +%s%N)
    ${CC:-cc} -O3 -mavx2 -mfma -mno-avx512f -I"$aot/avx2" -DKERNEL="$name" -DKERNEL_UPPER="$upper" -DBACKEND=aot-avx2 \
      -include "$aot/avx2/$name.h" -o "$aot/avx2/$name" bench/aot_bench.c "$aot/avx2/$name.c"
    t1=$(date +%s%N)
    echo "$name $(( (t1 - t0) / 1000000 ))" >> "$aot/avx2/layers"
  fi
done

for r in $(seq "$rounds"); do
  for backend in $backends; do
    echo "bench: round $r/$rounds: convtgen $backend, 1 thread" >&2
    "$convtgen" bench --suite "$suite" --backend "$backend" > "$out/r$r-convtgen-$backend.tsv"
  done
  echo "bench: round $r/$rounds: convtgen cc, channels_last (NHWC), 1 thread" >&2
  while read -r name ms; do
    "$convtgen" bench "$aot/$name.nhwc.lua" --backend cc | grep -v '^name' | sed 's/\tcc\t/\tcc-nhwc\t/'
  done < "$aot/layers" > "$out/r$r-convtgen-cc-nhwc.tsv"
  if [ -x "$out/onednn3_bench" ]; then
    echo "bench: round $r/$rounds: oneDNN 3.x, its own layouts, 1 thread" >&2
    LD_LIBRARY_PATH="$v3/lib" OCL_ICD_FILENAMES="$v3/lib/libintelocl.so" OMP_NUM_THREADS=1 \
      taskset -c 0 "$out/onednn3_bench" "$suite" 1 > "$out/r$r-onednn3.tsv"
  fi
  if [ -x "$out/xnnpack_bench" ]; then
    echo "bench: round $r/$rounds: XNNPACK (NHWC), 1 thread" >&2
    "$out/xnnpack_bench" "$suite" > "$out/r$r-xnnpack.tsv"
  fi
  echo "bench: round $r/$rounds: ahead-of-time C (gen --isa portable, cc -O3 -march=native), 1 thread" >&2
  while read -r name ms; do "$aot/$name" "$ms"; done < "$aot/layers" > "$out/r$r-aot.tsv"
  if [ "$isa" = avx2 ]; then
    echo "bench: round $r/$rounds: ahead-of-time C (gen --isa avx2, cc -O3 -mavx2 -mfma), 1 thread" >&2
    while read -r name ms; do "$aot/avx2/$name" "$ms"; done < "$aot/avx2/layers" > "$out/r$r-aot-avx2.tsv"
    if [ -x "$out/onednn_bench" ]; then
      echo "bench: round $r/$rounds: oneDNN restricted to AVX2, 1 thread" >&2
      DNNL_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS=1 "$out/onednn_bench" "$suite" 1 |
        sed 's/\tonednn\t/\tonednn-avx2\t/; s/\tonednn-any\t/\tonednn-any-avx2\t/' > "$out/r$r-onednn-avx2.tsv"
    fi
  fi
  echo "bench: round $r/$rounds: convtgen cc, 2 threads" >&2
  "$convtgen" bench --suite "$suite" --backend cc --threads 2 > "$out/r$r-convtgen-cc-2.tsv"
  if [ -x "$out/onednn_bench" ]; then
    for t in 1 2; do
      echo "bench: round $r/$rounds: oneDNN, $t thread(s)" >&2
      OMP_NUM_THREADS=$t "$out/onednn_bench" "$suite" "$t" > "$out/r$r-onednn-$t.tsv"
    done
  fi
  if [ "$torch" = 1 ]; then
    for t in 1 2; do
      echo "bench: round $r/$rounds: PyTorch, $t thread(s)" >&2
      OMP_NUM_THREADS=$t /usr/bin/python3 bench/torch_bench.py "$suite" "$t" > "$out/r$r-pytorch-$t.tsv"
    done
  fi
done
python3 bench/report.py "$out" bench/results $tag
