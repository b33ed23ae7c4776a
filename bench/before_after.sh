#!/bin/sh
# before_after.sh OLD NEW [OUT.md]: the public suite through two builds of convtgen in one run,
# interleaved round by round so a slow spell of a shared machine hits both alike: the tcc and
# cc tiers (`convtgen bench --suite`) and the ahead-of-time file (`gen --isa portable` built
# with cc -O3 -march=native into bench/aot_bench.c, NAME_pack once then NAME_run_packed, as
# `make bench` builds it). OLD and NEW are convtgen binaries (e.g. a clone's build/convtgen at
# the commit before a change, and this tree's). Each figure is the best round's GFLOP/s; the
# table goes to OUT.md (default: stdout) with the machine's name and single-core FMA peak.
set -eu
old=${1:?usage: bench/before_after.sh OLD_CONVTGEN NEW_CONVTGEN [OUT.md]}
new=${2:?usage: bench/before_after.sh OLD_CONVTGEN NEW_CONVTGEN [OUT.md]}
report=${3:-}
suite=${BENCH_SUITE:-bench/layers.tsv}
rounds=${BENCH_ROUNDS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

sh bench/peak.sh | head -1 > "$out/peak.txt"
[ -s "$out/peak.txt" ] || rm -f "$out/peak.txt"

# each build's AOT programs, and its own kernel cache (the cc tier compiles in both runs)
for which in old new; do
  eval bin=\$$which
  mkdir -p "$out/$which/aot" "$out/$which/cache"
  grep -v '^#' "$suite" | cut -f1 | while read -r name; do
    [ -n "$name" ] || continue
    sh bench/layer_spec.sh "$suite" "$name" > "$out/$which/aot/$name.lua"
    "$bin" gen "$out/$which/aot/$name.lua" --isa portable -o "$out/$which/aot" > /dev/null
    upper=$(echo "$name" | tr a-z A-Z)
    ${CC:-cc} -O3 -march=native -I"$out/$which/aot" -DKERNEL="$name" -DKERNEL_UPPER="$upper" \
      -include "$out/$which/aot/$name.h" -o "$out/$which/aot/$name" bench/aot_bench.c "$out/$which/aot/$name.c"
    echo "$name 0" >> "$out/$which/aot/layers"
  done
done

for r in $(seq "$rounds"); do
  for backend in tcc cc; do
    for which in old new; do
      eval bin=\$$which
      echo "before_after: round $r/$rounds: $which $backend" >&2
      CONVTGEN_CACHE_DIR="$out/$which/cache" "$bin" bench --suite "$suite" --backend "$backend" |
        awk -v w="$which" 'NR > 1 { print $1 "\t" w "-" $2 "\t" $5 }' >> "$out/r$r.tsv"
    done
  done
  for which in old new; do
    echo "before_after: round $r/$rounds: $which aot" >&2
    while read -r name ms; do "$out/$which/aot/$name" "$ms"; done < "$out/$which/aot/layers" |
      awk -v w="$which" '$1 != "name" { print $1 "\t" w "-aot\t" $5 }' >> "$out/r$r.tsv"
  done
done

machine=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
python3 - "$out" "$machine" "$rounds" > "$out/report.md" <<'EOF'
import glob, math, os, sys
out, machine, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
best, order = {}, []
for path in sorted(glob.glob(os.path.join(out, "r*.tsv"))):
    for line in open(path):
        name, col, gf = line.split("\t")
        if name not in order:
            order.append(name)
        best[(name, col)] = max(best.get((name, col), 0.0), float(gf))
peak = open(os.path.join(out, "peak.txt")).read().strip() if os.path.exists(os.path.join(out, "peak.txt")) else "not measured"
print(f"Machine: {machine}; single-core FMA peak ({peak}). {rounds} interleaved rounds, each figure the best "
      "round's GFLOP/s, 1 thread.\n")
tiers = ["tcc", "cc", "aot"]
print("| layer | " + " | ".join(f"{t} before | {t} after | {t} after/before" for t in tiers) + " |")
print("|---|" + "---:|" * (3 * len(tiers)))
logs = {t: [] for t in tiers}
for name in order:
    cells = []
    for t in tiers:
        a, b = best.get((name, "old-" + t)), best.get((name, "new-" + t))
        r = b / a if a and b else None
        if r:
            logs[t].append(math.log(r))
        cells += [f"{a:.1f}" if a else "-", f"{b:.1f}" if b else "-", f"{r:.2f}" if r else "-"]
    print(f"| {name} | " + " | ".join(cells) + " |")
gm = []
for t in tiers:
    g = math.exp(sum(logs[t]) / len(logs[t])) if logs[t] else None
    gm += ["", "", f"{g:.3f}" if g else "-"]
print("| geometric mean | " + " | ".join(gm) + " |")
EOF
if [ -n "$report" ]; then cp "$out/report.md" "$report"; else cat "$out/report.md"; fi
