-- schema.lua: the spec's keys and the normalized layer's fields, each written once. spec.lua
-- reads the keys (which are known, their order, their defaults); the build writes the C lists
-- from this file (tools/schema_h.c: build/gen/spec_schema.h, CTG__LAYER_FIELDS,
-- CTG__LAYER_DEFAULTS and CTG__PARAMS_FIELDS in runtime/internal.h), so C's ctg_layer,
-- ctg_layer_init, the copy of a ctg_layer into a spec table and the trip of a normalized
-- layer back into ctg_params follow it. A new key is an entry here plus its meaning in
-- spec.lua (and a field in ctg_layer and ctg_params when C carries it).
--
-- KEYS, in the order `info` prints them:
--   key      the spec key
--   kind     int, pair (a number or {height, width}), bool, string, or own (a value with rules
--            of its own in spec.lua)
--   default  when the key is absent (nil: required, or worked out by spec.lua)
--   layer    "field": ctg_layer has a field of the key's name that spec.c hands over as it is;
--            "own": spec.c has rules of its own for it; nil: ctg_layer does not carry it

local M = {}

M.KEYS = {
  { key = "in_channels", kind = "int", layer = "field" },
  { key = "out_channels", kind = "int", layer = "field" },
  { key = "kernel_size", kind = "pair", layer = "field" },
  { key = "stride", kind = "pair", default = 1, layer = "field" },
  { key = "padding", kind = "own", default = 0, layer = "own" },       -- or "same" / "valid" (TFLite)
  { key = "output_padding", kind = "pair", default = 0, layer = "field" },
  { key = "dilation", kind = "pair", default = 1, layer = "field" },
  { key = "groups", kind = "int", default = 1, layer = "field" },
  { key = "bias", kind = "bool", default = true, layer = "field" },
  { key = "padding_mode", kind = "string", default = "zeros", layer = "field" },
  { key = "input_shape", kind = "own", layer = "own" },
  { key = "output_size", kind = "own", layer = "own" },
  { key = "dtype", kind = "string", default = "float32", layer = "field" },
  { key = "memory_format", kind = "string", layer = "field" },         -- by dtype: int8 is NHWC
  { key = "activation", kind = "own", default = "none", layer = "own" },
  { key = "quantization", kind = "own", layer = "own" },
  { key = "name", kind = "string", layer = "field" },                  -- made from the sizes
  { key = "unroll", kind = "string", default = "auto", layer = "field" },
  { key = "threads", kind = "int", default = 1, layer = "own" },
}

-- The normalized layer (spec.lua's normalize) as C's ctg_params holds it, ORDER ctg_params:
-- { field, kind, key in the normalized table }. Kinds: INT, PAIR (int[2]), BOOL (int), STRING
-- (char[]), NUM (double), REAL (double, derived: not part of the layer's identity).
M.NORMALIZED = {
  { "in_channels", "INT", "in_channels" },
  { "out_channels", "INT", "out_channels" },
  { "groups", "INT", "groups" },
  { "kernel", "PAIR", "kernel_size" },
  { "stride", "PAIR", "stride" },
  { "padding", "PAIR", "padding" },
  { "output_padding", "PAIR", "output_padding" },
  { "dilation", "PAIR", "dilation" },
  { "padding_end", "PAIR", "padding_end" },
  { "bias", "BOOL", "bias" },
  { "batched", "BOOL", "batched" },
  { "batch", "INT", "batch" },
  { "in_h", "INT", "in_h" },
  { "in_w", "INT", "in_w" },
  { "out_h", "INT", "out_h" },
  { "out_w", "INT", "out_w" },
  { "threads", "INT", "threads" },
  { "flops", "REAL", "flops" },
  { "dtype", "STRING", "dtype" },
  { "unroll", "STRING", "unroll" },
  { "name", "STRING", "name" },
  { "activation", "STRING", "activation" },
  { "activation_a", "NUM", "activation_a" },
  { "activation_b", "NUM", "activation_b" },
  { "memory_format", "STRING", "memory_format" },
  { "tflite_padding", "STRING", "tflite_padding" },
}

-- An int8 layer's quantization table (spec.lua's quantization()) as C's ctg_quantization holds
-- it, ORDER ctg_quantization: { field, kind, given }. Kinds: NUM (double), INT, FLOATS (float per
-- weight scale), INT32S (int32_t per weight scale); given: a field of the spec's quantization
-- key (the others spec.lua derives as TFLite does).
M.QUANTIZATION = {
  { "input_scale", "NUM", true },
  { "output_scale", "NUM", true },
  { "input_zero_point", "INT", true },
  { "output_zero_point", "INT", true },
  { "weight_scales", "FLOATS", true },
  { "multiplier", "INT32S", false },
  { "shift", "INT32S", false },
  { "act_min", "INT", false },
  { "act_max", "INT", false },
}

-- The entry of key (nil when there is none).
function M.entry(key)
  for _, e in ipairs(M.KEYS) do
    if e.key == key then return e end
  end
  return nil
end

-- The default of key (an error when the schema gives none: a bug, not a spec's fault).
function M.default(key)
  local e = M.entry(key)
  if e == nil or e.default == nil then error("schema.lua: no default for " .. tostring(key)) end
  return e.default
end

return M
