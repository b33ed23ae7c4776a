#!/bin/sh
# snapshot_generated.sh OUT: the generated code of the public suite (NCHW and channels_last,
# float32 and float64 and complex64, activations) and of the examples, for every C ISA target, tcc's
# C99 and CUDA, plus baked weights and int8: a refactor of the generator diffs two snapshots.
set -e
out=${1:?usage: tools/snapshot_generated.sh OUT}
bin=${CONVTGEN:-build/convtgen}
mkdir -p "$out/specs"
grep -v '^#' ../shared/bench/layers.tsv | while read -r name n cin h w cout kh kw sh sw ph pw oph opw dh dw g bias; do
  for fmt in contiguous channels_last; do
    for dt in float32 complex64; do
      act=$([ $dt = float32 ] && echo relu || echo none)
      b=$([ "$bias" = 1 ] && echo true || echo false)
      s="$out/specs/${name}_${fmt}_${dt}.lua"
      cat > "$s" <<SPEC
return { name = "${name}", in_channels = $cin, out_channels = $cout, kernel_size = {$kh, $kw},
  stride = {$sh, $sw}, padding = {$ph, $pw}, output_padding = {$oph, $opw}, dilation = {$dh, $dw},
  groups = $g, bias = $b, input_shape = {$n, $cin, $h, $w}, memory_format = "$fmt", dtype = "$dt",
  activation = "$act" }
SPEC
    done
  done
done
cp examples/*.lua "$out/specs/"
# the C99 shapes' other forms: unroll none and full
for u in none full; do
  for base in dcgan_g3_contiguous_float32 seed_3x5 tiny_mcu tiny_mcu_int8; do
    src="$out/specs/$base.lua"; [ -f "$src" ] || src=examples/$base.lua
    sed "s/^return {/return { unroll = \"$u\",/" "$src" > "$out/specs/${base}_unroll_$u.lua"
  done
done
# baked weights (firmware): random weights of each layer's shape
for base in tiny_mcu tiny_mcu_small seed_3x5 tiny_mcu_unroll_full tiny_mcu_int8; do
  s="$out/specs/$base.lua"
  d="$out/${base}_baked"; mkdir -p "$d"
  /usr/bin/python3 - "$bin" "$s" "$d" <<'PY'
import subprocess, sys, re, numpy as np
bin_, spec, d = sys.argv[1:]
info = subprocess.run([bin_, "info", spec], capture_output=True, text=True).stdout
def shape(word):
    m = re.search(word + r"\s+\(([0-9, ]+)\)", info)
    return tuple(int(x) for x in m.group(1).split(",") if x.strip()) if m else None
rng = np.random.default_rng(1)
int8 = "int8" in info.split("\n")[0] or "dtype int8" in info
w, b = shape("weight"), shape("bias")
if "int8" in spec:
    np.save(d + "/w.npy", rng.integers(-127, 128, w).astype(np.int8))
    if b: np.save(d + "/b.npy", rng.integers(-1000, 1000, b).astype(np.int32))
else:
    np.save(d + "/w.npy", rng.standard_normal(w).astype(np.float32))
    if b: np.save(d + "/b.npy", rng.standard_normal(b).astype(np.float32))
PY
  for isa in portable scalar avx2; do
    mkdir -p "$d/$isa"
    bias=""; [ -f "$d/b.npy" ] && bias="--bias $d/b.npy"
    "$bin" gen "$s" --isa $isa --weights "$d/w.npy" $bias -o "$d/$isa" >/dev/null 2>"$d/$isa/err" || true
  done
done
for s in "$out"/specs/*.lua; do
  base=$(basename "$s" .lua)
  for isa in portable avx512 avx2 neon scalar; do
    d="$out/$base/$isa"; mkdir -p "$d"
    "$bin" gen "$s" --isa $isa -o "$d" >/dev/null 2>"$d/err" || true
  done
  d="$out/$base/cuda"; mkdir -p "$d"
  "$bin" gen "$s" --target cuda -o "$d" >/dev/null 2>"$d/err" || true
  "$bin" info "$s" > "$out/$base/info" 2>&1 || true
done
