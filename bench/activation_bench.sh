#!/bin/sh
# activation_bench.sh: what a fused activation costs. For every layer of a suite, the cc tier
# on the layer with a bias (as after a folded BatchNorm), plain, with ReLU and with tanh fused,
# in interleaved rounds, beside PyTorch running ConvTranspose2d + BatchNorm2d + ReLU as three
# ops (eval mode). One thread. usage: activation_bench.sh SUITE.tsv OUT.md [ROUNDS]
set -eu
suite=$1 out=$2 rounds=${3:-3}
cli=${CONVTGEN:-build/convtgen}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -v '^#' "$suite" | while read -r name n cin h w cout kh kw sh sw ph pw oph opw dh dw g bias; do
  [ -n "$name" ] || continue
  for act in none relu tanh; do
    # bias on in all three, as after a folded BatchNorm: only the activation differs
    case $act in none) a=nil;; relu) a="'relu'";; tanh) a="'tanh'";; esac
    cat > "$work/${name}_$act.lua" <<SPEC
return { name = '${name}_$act', in_channels = $cin, out_channels = $cout, kernel_size = {$kh, $kw},
  stride = {$sh, $sw}, padding = {$ph, $pw}, output_padding = {$oph, $opw}, dilation = {$dh, $dw},
  groups = $g, bias = true, input_shape = {$n, $cin, $h, $w}, activation = $a }
SPEC
  done
  echo "$name" >> "$work/names"
done
r=1
while [ $r -le "$rounds" ]; do
  while read -r name; do
    for act in none relu tanh; do "$cli" bench "$work/${name}_$act.lua" --backend cc | tail -n 1 >> "$work/cc.tsv"; done
  done < "$work/names"
  if /usr/bin/python3 -c "import torch" 2>/dev/null; then
    OMP_NUM_THREADS=1 /usr/bin/python3 bench/torch_bench.py "$suite" 1 --bn-relu | tail -n +1 >> "$work/torch.tsv"
  fi
  r=$((r + 1))
done
/usr/bin/python3 - "$work" "$out" <<'PY'
import statistics, sys, platform, subprocess
work, out = sys.argv[1], sys.argv[2]
t = {}
for f in ("cc.tsv", "torch.tsv"):
    try:
        for line in open(f"{work}/{f}"):
            p = line.split("\t")
            if len(p) < 4 or p[0] == "name": continue
            t.setdefault(p[0], []).append(float(p[3]))
    except FileNotFoundError:
        pass
names = [l.strip() for l in open(f"{work}/names")]
cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p' | head -1"], capture_output=True, text=True).stdout.strip()
med = lambda k: statistics.median(t[k]) if k in t else float("nan")
rows = ["| layer | plain (ms) | relu fused (ms) | relu cost | tanh fused (ms) | tanh cost | PyTorch conv+bn+relu (ms) | fused relu vs PyTorch |",
        "|---|---:|---:|---:|---:|---:|---:|---:|"]
for n in names:
    a, r, th, pt = med(n + "_none"), med(n + "_relu"), med(n + "_tanh"), med(n)
    rows.append(f"| {n} | {a:.4f} | {r:.4f} | {100 * (r / a - 1):+.1f}% | {th:.4f} | {100 * (th / a - 1):+.1f}% | {pt:.4f} | {pt / r:.2f}x |")
open(out, "w").write(f"""# Fused activations: cost over the plain kernel, and against PyTorch's three ops

Machine: {cpu} ({platform.machine()}), one thread. `bench/activation_bench.sh`: per layer the cc
tier on the layer with a bias (as after a folded BatchNorm) plain, with ReLU fused and with tanh
fused, and PyTorch {subprocess.run(['/usr/bin/python3', '-c', 'import torch; print(torch.__version__)'], capture_output=True, text=True).stdout.strip() or '(absent)'}
running ConvTranspose2d, BatchNorm2d and ReLU (eval mode) as three ops; medians of `convtgen
bench` medians over interleaved rounds.

""" + "\n".join(rows) + "\n")
print("\n".join(rows))
PY
