#!/bin/sh
# dtype_bench.sh: each dtype against float32 in the cc tier, one thread, on the large public
# layers (or the suite rows named in $DTYPE_LAYERS; the dtypes in $DTYPES, float32 first), rounds interleaved, best round kept.
# Rates count real FLOPs: a complex multiply-add is 4 real ones (8 FLOPs). Writes
# bench/results/<date>-dtypes.md. usage: sh bench/dtype_bench.sh [build/convtgen]
set -eu
convtgen=${1:-build/convtgen}
suite=bench/layers.tsv
layers=${DTYPE_LAYERS:-dcgan_g2 dcgan_g3 dcgan_g4 unet_up1 dilated_s1 melgan_up8}
dtypes=${DTYPES:-float32 float64 complex64 complex128 float16 bfloat16}
rounds=${BENCH_ROUNDS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export CONVTGEN_CACHE_DIR=${CONVTGEN_CACHE_DIR:-$out/cache}

for name in $layers; do
  for d in $dtypes; do
    sh bench/layer_spec.sh "$suite" "$name" "dtype = \"$d\", " > "$out/$name-$d.lua"
  done
done
for r in $(seq "$rounds"); do
  for name in $layers; do
    for d in $dtypes; do
      echo "dtype_bench: round $r/$rounds: $name $d" >&2
      "$convtgen" bench "$out/$name-$d.lua" --backend cc | sed "s/^/$d	/" >> "$out/rows.tsv"
    done
  done
done
/usr/bin/python3 - "$out/rows.tsv" "$rounds" <<'EOF'
import datetime, os, sys
best = {}
for line in open(sys.argv[1]):
    p = line.rstrip("\n").split("\t")
    if len(p) != 7 or p[1] == "name":
        continue
    dtype, name, ms = p[0], p[1], float(p[4])
    if (name, dtype) not in best or ms < best[(name, dtype)][0]:
        best[(name, dtype)] = (ms, float(p[5]))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown cpu")
date = datetime.date.today().isoformat()
dtypes, names = [], []
for (n, d) in best:
    if n not in names:
        names.append(n)
    if d not in dtypes:
        dtypes.append(d)
out = [f"# Each dtype against float32 in the cc tier ({date})", "",
       f"Machine: {cpu}, {os.cpu_count()} cores. `sh bench/dtype_bench.sh`: `convtgen bench SPEC --backend cc`, one",
       f"thread, each figure the best of {sys.argv[2]} interleaved rounds of a median over about 0.3 s of calls.",
       "Real GFLOP/s: FLOPs = 2*N*Cin*(Cout/groups)*KH*KW*H*W, times 4 for complex (a complex multiply-add is",
       "four real ones). The share is the dtype's real-FLOP rate over float32's.", "",
       "| layer | float32 ms | float32 GFLOP/s | " + " | ".join(f"{d} ms (GFLOP/s, share)" for d in dtypes[1:]) + " |",
       "|---|---:|---:|" + "---:|" * (len(dtypes) - 1)]
for n in names:
    if (n, "float32") not in best:
        continue
    ms32, gf32 = best[(n, "float32")]
    cells = []
    for d in dtypes[1:]:
        if (n, d) not in best:
            cells.append("-")
            continue
        ms, gf = best[(n, d)]
        real = gf * (4 if d.startswith("complex") else 1)
        cells.append(f"{ms:.3f} ({real:.1f}, {100 * real / gf32:.0f}%)")
    out.append(f"| {n} | {ms32:.3f} | {gf32:.1f} | " + " | ".join(cells) + " |")
path = os.environ.get("DTYPE_REPORT", f"bench/results/{date}-dtypes.md")
open(path, "w").write("\n".join(out) + "\n")
print("wrote " + path)
EOF
