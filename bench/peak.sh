#!/bin/sh
# peak.sh: this machine's single-core float32 FMA peak lines from ../shared/tools/peak.c
# ("FMA AVX-512 zmm, 16 chains: ... GFLOP/s ..."), or nothing when peak.c is absent. peak.c
# uses AVX-512 unconditionally; on a CPU without it (AVX2 only), a copy without the AVX-512
# rows and without the bandwidth part (which reads with zmm) is measured instead.
set -u
peak_c=${CONVTGEN_SHARED:-../shared}/tools/peak.c
[ -f "$peak_c" ] || exit 0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if grep -q avx512f /proc/cpuinfo 2>/dev/null; then
  ${CC:-cc} -O2 -march=native -fopenmp -o "$dir/peak" "$peak_c" 2>/dev/null || exit 0
else
  sed -e '/{"AVX-512 zmm/d' -e 's|^ *// bandwidth: per-thread buffer sizes|    return 0;|' "$peak_c" > "$dir/peak.c"
  ${CC:-cc} -O2 -march=native -mavx512f -fopenmp -w -o "$dir/peak" "$dir/peak.c" 2>/dev/null || exit 0
fi
OMP_NUM_THREADS=1 "$dir/peak" | grep '^FMA'
