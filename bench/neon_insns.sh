#!/bin/sh
# neon_insns.sh: executed AArch64 instructions per multiply-add of each public layer's NEON
# kernel (`gen --isa neon`) and of its C99 code (`--isa scalar`), both cross-compiled with
# aarch64-linux-gnu-gcc -O3 and counted under qemu-aarch64 by ../shared/tools/insncount.c
# (one call: the count of pack + run less the count of pack alone). A NEON FMA does 4
# multiply-adds. Writes bench/results/<date>-neon-instructions.md.
# usage: sh bench/neon_insns.sh [build/convtgen]  (NEON_LAYERS="a b" for a subset)
set -eu
convtgen=${1:-build/convtgen}
suite=bench/layers.tsv
tools=${CONVTGEN_SHARED:-../shared}/tools
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -shared -fPIC -O2 -o "$out/insncount.so" "$tools/insncount.c"
count() { qemu-aarch64 -plugin "$out/insncount.so" -d plugin "$@" 2>&1 | sed -n 's/^insncount: total //p'; }
date=$(date +%Y-%m-%d)
res=bench/results/$date-neon-instructions.md
{
  echo "# NEON instructions per multiply-add ($date)"
  echo
  echo "Executed AArch64 instructions of one call (pack excluded) under qemu-aarch64 with ../shared/tools/insncount.c,"
  echo "aarch64-linux-gnu-gcc $(aarch64-linux-gnu-gcc -dumpversion) -O3; multiply-adds are the plan's (in-bounds taps only)."
  echo "\`sh bench/neon_insns.sh\`. A NEON FMA does 4 float32 multiply-adds: 0.25 per multiply-add is the floor."
  echo
  echo "| layer | multiply-adds | NEON code | NEON instructions | per multiply-add | C99 instructions | per multiply-add |"
  echo "|---|---:|---|---:|---:|---:|---:|"
} > "$res.tmp"
grep -v '^#' "$suite" | cut -f1 | while read -r name; do
  [ -n "$name" ] || continue
  case " ${NEON_LAYERS:-$name} " in *" $name "*) ;; *) continue;; esac
  sh bench/layer_spec.sh "$suite" "$name" > "$out/$name.lua"
  upper=$(echo "$name" | tr a-z A-Z)
  line="| $name"
  for isa in neon scalar; do
    mkdir -p "$out/$isa"
    "$convtgen" gen "$out/$name.lua" --isa "$isa" -o "$out/$isa" > /dev/null
    aarch64-linux-gnu-gcc -O3 -static -I"$out/$isa" -DKERNEL="$name" -DKERNEL_UPPER="$upper" -include "$out/$isa/$name.h" \
      -o "$out/$isa/$name" bench/neon_insns.c "$out/$isa/$name.c"
    macs=$(sed -n "s/^#define ${upper}_MACS \([0-9]*\).*/\1/p" "$out/$isa/$name.h")
    base=$(count "$out/$isa/$name" 0)
    full=$(count "$out/$isa/$name" 1)
    insns=$((full - base))
    per=$(awk -v i="$insns" -v m="$macs" 'BEGIN { printf "%.3f", i / m }')
    if [ "$isa" = neon ]; then
      shape=$(sed -n 's/^\/\/   Code: \([a-z_]*\).*/\1/p' "$out/$isa/$name.c" | head -1)
      line="$line | $macs | $shape | $insns | $per"
    else
      line="$line | $insns | $per"
    fi
  done
  echo "$line |" >> "$res.tmp"
  echo "neon_insns: $line" >&2
done
mv "$res.tmp" "$res"
echo "wrote $res"
