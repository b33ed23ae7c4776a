#!/bin/sh
# layer_spec.sh: the spec (Lua) of one row of a benchmark suite (bench/layers.tsv columns), the
# one place the suite's columns become spec keys for the bench scripts.
# usage: sh bench/layer_spec.sh SUITE NAME [EXTRA]   (EXTRA: more keys, e.g. 'dtype = "float64", ')
set -eu
row=$(grep "^$2	" "$1") || { echo "layer_spec: no layer $2 in $1" >&2; exit 2; }
echo "$row" | while IFS='	' read -r name n cin h w cout kh kw sh sw ph pw oph opw dh dw groups bias; do
  b=false; [ "$bias" = 1 ] && b=true
  printf 'return {name = "%s", %sin_channels = %s, out_channels = %s, kernel_size = {%s, %s}, stride = {%s, %s}, padding = {%s, %s}, output_padding = {%s, %s}, dilation = {%s, %s}, groups = %s, bias = %s, input_shape = {%s, %s, %s, %s}}\n' \
    "$name" "${3:-}" "$cin" "$cout" "$kh" "$kw" "$sh" "$sw" "$ph" "$pw" "$oph" "$opw" "$dh" "$dw" "$groups" "$b" "$n" "$cin" "$h" "$w"
done
