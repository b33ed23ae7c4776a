-- spec.lua: turns a raw layer spec table into a normalized layer, with PyTorch's verdict.
--
-- Every error is one line that names the key and what is wrong with it; it is raised
-- with level 0 so no Lua position leaks into a message about the user's spec.

local schema = require("schema")

local M = {}

local INT_MAX = 2147483647               -- 32-bit indexing: no tensor may reach this
local BYTES_CAP = 4 * 1024 * 1024 * 1024 -- input + weight + bias + output, a sane cap for one layer
-- The generator's own limits (README, "Limits"): its tables grow with stride + kernel size.
M.MAX_KERNEL = 1024
M.MAX_STRIDE = 1024

-- Keys PyTorch's ConvTranspose2d takes, plus convtgen's own (generator/schema.lua owns the list
-- and the defaults); order is the order `info` prints.
M.KEYS = {}
local KNOWN = {}
for _, e in ipairs(schema.KEYS) do
  M.KEYS[#M.KEYS + 1] = e.key
  KNOWN[e.key] = true
end
local default = schema.default

-- Element types: C scalar of one real part, and 2 parts (re, im interleaved) for complex.
M.DTYPES = {
  float32 = { real = "float", parts = 1, bytes = 4 },
  float64 = { real = "double", parts = 1, bytes = 8 },
  complex64 = { real = "float", parts = 2, bytes = 8 },
  complex128 = { real = "double", parts = 2, bytes = 16 },
  -- TensorFlow Lite's integer layer: int8 input, weights and output, int32 bias (M.quantization)
  int8 = { real = "int8_t", parts = 1, bytes = 1, integer = true },
  -- 16-bit patterns in memory (half: float16's, or bfloat16's; bits: their C type), float32
  -- arithmetic: each load widens, each output is rounded once (templates/half.c.in)
  float16 = { real = "float", parts = 1, bytes = 2, half = "float16", bits = "uint16_t" },
  bfloat16 = { real = "float", parts = 1, bytes = 2, half = "bfloat16", bits = "uint16_t" },
}
M.UNROLL = { "none", "taps", "auto", "full" }
-- PyTorch's names: contiguous is NCHW in memory, channels_last NHWC (input and output; the
-- weights keep PyTorch's layout either way).
M.MEMORY_FORMATS = { "contiguous", "channels_last" }

local C_KEYWORDS = {}
for w in ("auto break case char const continue default do double else enum extern float for goto " ..
          "if inline int long register restrict return short signed sizeof static struct switch " ..
          "typedef union unsigned void volatile while"):gmatch("%S+") do C_KEYWORDS[w] = true end

local function fail(key, fmt, ...)
  error(key .. ": " .. string.format(fmt, ...), 0)
end

-- How a value reads in a message: the user sees what they wrote.
local function show(v)
  local t = type(v)
  if t == "string" then return string.format("%q", v) end
  if math.type(v) == "float" then return string.format("%.14g (a float)", v) end
  if t == "table" then return "a table" end
  return tostring(v)
end

local function edit_distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = (a:sub(i, i) == b:sub(j, j)) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

local function suggestion(key)
  if #key > 40 then return "" end -- no key is longer; the distance costs #key * #k
  local best, best_d = nil, 3
  for _, k in ipairs(M.KEYS) do
    local d = edit_distance(key, k)
    if d < best_d then best, best_d = k, d end
  end
  return best and string.format(" (did you mean '%s'?)", best) or ""
end

local function check_int(key, v, what)
  if math.type(v) == "float" then
    local hint = (v == math.floor(v)) and "; use // for integer division" or ""
    fail(key, "expected an integer%s, got %s%s", what or "", show(v), hint)
  elseif math.type(v) ~= "integer" then
    fail(key, "expected an integer%s, got %s", what or "", type(v) == "table" and "a table" or
         (type(v) == "string" and "a string " .. show(v) or type(v)))
  end
  if v > INT_MAX or v < -INT_MAX then fail(key, "%d is out of range", v) end
  return v
end

-- A table that is exactly a list of n values (no holes, no named fields).
local function is_list(t, n)
  if type(t) ~= "table" then return false end
  local count = 0
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 then return false end
    count = count + 1
  end
  return count == #t and (n == nil or count == n)
end

-- int or {h, w}, as PyTorch's _pair.
local function pair(raw, key, default, min)
  local v = raw[key]
  local p
  if v == nil then
    p = { default, default }
  elseif type(v) == "table" then
    if not is_list(v, 2) then
      fail(key, "expected an integer or a pair {h, w}, got a table with %d entries", (function()
        local c = 0; for _ in pairs(v) do c = c + 1 end; return c end)())
    end
    p = { check_int(key, v[1], " or a pair {h, w}"), check_int(key, v[2], " or a pair {h, w}") }
  else
    local n = check_int(key, v, " or a pair {h, w}")
    p = { n, n }
  end
  if min and (p[1] < min or p[2] < min) then
    if min == 0 then
      fail(key, "must not be negative, got (%d, %d)", p[1], p[2])
    end
    fail(key, "must be positive, got (%d, %d)", p[1], p[2])
  end
  return p
end

-- padding: int, {h, w}, or {top, left, bottom, right} (ONNX's begin/end order) for the
-- asymmetric padding PyTorch cannot express. Returns the beginning's pair and the end's.
local function padding(raw)
  local v = raw.padding
  if v == "same" or v == "valid" then return v end -- TFLite's rule, resolved with the sizes (tflite_padding)
  if type(v) == "string" then
    fail("padding", "expected an integer, a pair, {top, left, bottom, right}, \"same\" or \"valid\", got %s", show(v))
  end
  if type(v) == "table" and is_list(v, 4) then
    local t = {}
    for i = 1, 4 do t[i] = check_int("padding", v[i], " in {top, left, bottom, right}") end
    if t[1] < 0 or t[2] < 0 or t[3] < 0 or t[4] < 0 then
      fail("padding", "must not be negative, got (%d, %d, %d, %d)", t[1], t[2], t[3], t[4])
    end
    return { t[1], t[2] }, { t[3], t[4] }
  end
  if type(v) == "table" and not is_list(v, 2) then
    local c = 0
    for _ in pairs(v) do c = c + 1 end
    fail("padding", "expected an integer, a pair {h, w} or {top, left, bottom, right}, got a table with %d entries", c)
  end
  local p = pair(raw, "padding", default("padding"), 0)
  return p, { p[1], p[2] }
end

-- True when the layer's padding differs between the beginning and the end of a dimension.
function M.asymmetric(l)
  return l.padding[1] ~= l.padding_end[1] or l.padding[2] ~= l.padding_end[2]
end

-- Activations fused into the store, with the parameters each takes: PyTorch's names, and
-- clamp (min, max) for ReLU6, Hardtanh and ONNX's Clip.
-- ORDER runtime/internal.h's CTG__ACTIVATION_LIST (test_spec checks the two agree).
M.ACTIVATION_LIST = { { "none", 0 }, { "relu", 0 }, { "leaky_relu", 1 }, { "tanh", 0 }, { "sigmoid", 0 }, { "clamp", 2 } }
M.ACTIVATIONS = {} -- the names a spec may give
local ACTIVATION_ARGS = {}
for _, a in ipairs(M.ACTIVATION_LIST) do
  if a[1] ~= "none" then M.ACTIVATIONS[#M.ACTIVATIONS + 1] = a[1] end
  ACTIVATION_ARGS[a[1]] = a[2]
end

local function number_arg(key, v, what)
  if type(v) ~= "number" then fail(key, "%s: expected a number, got %s", what, show(v)) end
  if v ~= v then fail(key, "%s: NaN is not a number it can use", what) end
  return v + 0.0
end

-- activation: nil, a name, or {name, parameters...}. Returns the name ("none" when absent) and
-- two numbers: leaky_relu's slope (PyTorch's default 0.01), clamp's min and max (either may be
-- -math.huge or math.huge for a one-sided clamp).
local function activation(raw)
  local v = raw.activation
  if v == nil then return default("activation"), 0.0, 0.0 end
  local list = type(v) == "table" and v or { v }
  if type(v) == "table" and not is_list(v) then
    fail("activation", "expected a name or a list {name, parameters...}, got a table with named entries")
  end
  local name = list[1]
  if type(name) ~= "string" then
    fail("activation", "expected one of %s (or {name, parameters...}), got %s",
         table.concat(M.ACTIVATIONS, ", "), show(name))
  end
  local args = ACTIVATION_ARGS
  if not args[name] then
    fail("activation", "unknown activation %s; expected one of %s", show(name), table.concat(M.ACTIVATIONS, ", "))
  end
  if name == "leaky_relu" and #list == 1 then return name, 0.01, 0.0 end
  if #list - 1 ~= args[name] then
    local usage = { leaky_relu = '{"leaky_relu", slope}', clamp = '{"clamp", min, max}' }
    fail("activation", "%s takes %d parameter%s%s, got %d", show(name), args[name], args[name] == 1 and "" or "s",
         usage[name] and " (" .. usage[name] .. ")" or "", #list - 1)
  end
  if name == "leaky_relu" then
    local slope = number_arg("activation", list[2], "leaky_relu's slope")
    if slope == math.huge or slope == -math.huge then fail("activation", "leaky_relu's slope must be finite") end
    return name, slope, 0.0
  end
  if name == "clamp" then
    local lo, hi = number_arg("activation", list[2], "clamp's min"), number_arg("activation", list[3], "clamp's max")
    if lo > hi then fail("activation", "clamp's min (%.9g) is larger than its max (%.9g)", lo, hi) end
    if lo == math.huge or hi == -math.huge then fail("activation", "clamp's range (%.9g, %.9g) holds no number", lo, hi) end
    return name, lo, hi
  end
  return name, 0.0, 0.0
end

local function positive(raw, key, default)
  local v = raw[key]
  if v == nil then
    if default == nil then fail(key, "is required") end
    return default
  end
  check_int(key, v)
  if v < 1 then fail(key, "must be a positive integer, got %d", v) end
  return v
end

local function dims(t) return "(" .. table.concat(t, ", ") .. (#t == 1 and ",)" or ")") end

-- Size of one spatial output dimension before output_padding (PyTorch's min size).
-- pb, pe: the padding at the beginning and at the end of the dimension (equal unless asymmetric)
local function min_out(i, s, pb, pe, d, k) return (i - 1) * s - pb - pe + d * (k - 1) + 1 end

-- output_size's {H, W}, checked as integers.
local function output_hw(raw, l)
  local v = raw.output_size
  local spatial
  if type(v) ~= "table" or not is_list(v) then
    fail("output_size", "expected a list {H, W} or a full output shape, got %s", show(v))
  end
  local full = l.batched and 4 or 3
  if #v == 2 then
    spatial = { v[1], v[2] }
  elseif #v == full then
    spatial = { v[full - 1], v[full] }  -- PyTorch ignores the leading dims
    for i = 1, #v do check_int("output_size", v[i]) end
  else
    fail("output_size", "for %d-D input it must have 2 or %d elements, got %d", full, full, #v)
  end
  return { check_int("output_size", spatial[1]), check_int("output_size", spatial[2]) }
end

local function resolve_output_size(raw, l, in_hw)
  local spatial = output_hw(raw, l)
  local op = {}
  for d = 1, 2 do
    local size = spatial[d]
    local lo = min_out(in_hw[d], l.stride[d], l.padding[d], l.padding_end[d], l.dilation[d], l.kernel_size[d])
    local hi = lo + l.stride[d] - 1
    if size < lo or size > hi then
      fail("output_size", "requested an output %s of %d, but valid sizes range from %d to %d " ..
           "(for an input of %dx%d)", d == 1 and "height" or "width", size, lo, hi,
           in_hw[1], in_hw[2])
    end
    op[d] = size - lo
  end
  return op
end

-- padding = "same" / "valid": TensorFlow Lite's TRANSPOSE_CONV. The output size is given
-- (output_size; absent: the size TFLite's converter writes, H*s for same, (H-1)*s + K for valid);
-- the padding at the top (left) is computed from it as TFLite's ComputePaddingHeightWidth does,
-- total/2 with the odd unit at the bottom (right). Nothing else of the bottom padding matters:
-- the output is cropped or extended (bias only) to the size asked for, so the end is written as
-- padding_end, or as output_padding when the output runs past the last tap.
local function tflite_padding(raw, l, in_hw)
  local out = raw.output_size ~= nil and output_hw(raw, l) or nil
  l.padding, l.padding_end, l.output_padding = {}, {}, {}
  for d = 1, 2 do
    local I, s, k = in_hw[d], l.stride[d], (l.kernel_size[d] - 1) * l.dilation[d] + 1
    local O = out and out[d] or (l.tflite_padding == "same" and I * s or (I - 1) * s + k)
    if O < 1 then fail("output_size", "must be positive, got %d", O) end
    if O > INT_MAX // 2 then fail("output_size", "%d is out of range", O) end
    -- ComputeOutSize and ComputePaddingWithOffset, with the transposed layer's output as their input
    local n = l.tflite_padding == "same" and (O + s - 1) // s or (O + s - k) // s
    local total = math.max(0, (n - 1) * s + k - O)
    l.padding[d] = total // 2
    local end_pad = (I - 1) * s + k - l.padding[d] - O
    l.padding_end[d], l.output_padding[d] = math.max(end_pad, 0), math.max(-end_pad, 0)
  end
end

-- A number rounded to float32, as TFLite stores scales; nil when it is not a finite positive one.
local function float32(v)
  local f = string.unpack("<f", string.pack("<f", v))
  if f ~= f or f <= 0 or f == math.huge then return nil end
  return f
end

-- TFLite's QuantizeMultiplier: m = q * 2^shift with q in [0.5, 1) as a Q31 integer, rounded half
-- away from zero; q rounding up to 1 becomes 0.5 with shift + 1; shift below -31 becomes (0, 0).
function M.quantize_multiplier(m)
  if m == 0 then return 0, 0 end
  local shift = math.floor(math.log(m, 2)) + 1
  while m / 2.0 ^ shift >= 1 do shift = shift + 1 end
  while m / 2.0 ^ shift < 0.5 do shift = shift - 1 end
  local q = math.floor(m / 2.0 ^ shift * 2.0 ^ 31 + 0.5) -- exact: q * 2^31 < 2^31 has 22 fraction bits
  if q == 2 ^ 31 then q, shift = q / 2, shift + 1 end
  if shift < -31 then return 0, 0 end
  return math.tointeger(q), shift
end

-- TFLite's Quantize of an activation bound: zero_point + round(f / scale), f / scale in float32.
local function quantize_bound(f, scale, zp)
  local v = string.unpack("<f", string.pack("<f", f / scale))
  local r = v >= 0 and math.floor(v + 0.5) or -math.floor(-v + 0.5)
  return zp + r
end

M.QUANT_MAX_CHANNELS = 1024 -- per-channel scales past it: one scale for the tensor (runtime/params.c)

-- quantization = {...} for dtype int8: the scales as float32, the zero points, one scale per
-- output channel or one for all; each channel's multiplier and shift, as TFLite computes them
-- (PopulateConvolutionQuantizationParams); the output's clamp from the activation
-- (CalculateActivationRangeQuantized: relu, relu6 and relu_n1_to_1 are clamps).
local function quantization(raw, l)
  local v = raw.quantization
  if l.dtype ~= "int8" then
    if v ~= nil then fail("quantization", "is for dtype int8 only; the layer is %s", l.dtype) end
    return nil
  end
  if v == nil then
    fail("quantization", "is required for dtype int8: {input_scale, input_zero_point, output_scale, " ..
         "output_zero_point, weight_scales}")
  end
  if type(v) ~= "table" then fail("quantization", "expected a table, got %s", show(v)) end
  local allowed, names = {}, {}
  for _, f in ipairs(schema.QUANTIZATION) do
    if f[3] then allowed[f[1]], names[#names + 1] = true, f[1] end
  end
  for k in pairs(v) do
    if not allowed[k] then
      fail("quantization", "unknown field %s; expected %s", show(k), table.concat(names, ", "))
    end
  end
  local q = {}
  local function scale(key, x)
    if type(x) ~= "number" then fail("quantization", "%s: expected a positive number, got %s", key, show(x)) end
    local f = float32(x)
    if not f then fail("quantization", "%s: %.9g is not a positive finite float32", key, x) end
    return f
  end
  local function zero_point(key)
    local x = v[key]
    if x == nil then fail("quantization", "%s is required", key) end
    if math.type(x) ~= "integer" then fail("quantization", "%s: expected an integer, got %s", key, show(x)) end
    if x < -128 or x > 127 then fail("quantization", "%s: %d is outside int8's -128..127", key, x) end
    return x
  end
  for _, key in ipairs({ "input_scale", "output_scale" }) do
    if v[key] == nil then fail("quantization", "%s is required", key) end
    q[key] = scale(key, v[key])
  end
  q.input_zero_point, q.output_zero_point = zero_point("input_zero_point"), zero_point("output_zero_point")
  local ws = v.weight_scales
  if ws == nil then fail("quantization", "weight_scales is required (one number, or one per output channel)") end
  q.weight_scales = {}
  if type(ws) == "number" then
    q.weight_scales[1] = scale("weight_scales", ws)
  elseif is_list(ws) then
    if #ws ~= l.out_channels then
      fail("quantization", "weight_scales has %d entries; give one per output channel (%d) or one number",
           #ws, l.out_channels)
    end
    if #ws > M.QUANT_MAX_CHANNELS then
      fail("quantization", "weight_scales: %d per-channel scales are over the limit of %d", #ws, M.QUANT_MAX_CHANNELS)
    end
    for i = 1, #ws do q.weight_scales[i] = scale("weight_scales[" .. i .. "]", ws[i]) end
  else
    fail("quantization", "weight_scales: expected a number or a list, got %s", show(ws))
  end
  q.multiplier, q.shift = {}, {}
  for i, w in ipairs(q.weight_scales) do
    local m = q.input_scale * w / q.output_scale
    q.multiplier[i], q.shift[i] = M.quantize_multiplier(m)
    -- TFLite's requantization shifts left by at most 30 (MultiplyByQuantizedMultiplier): scales
    -- valid one by one can still be out of range together
    if q.shift[i] > 30 then
      fail("quantization", "input_scale (%.9g) x weight_scales%s (%.9g) / output_scale (%.9g) = %.9g, over the " ..
           "2^30 TFLite's requantization can multiply by", q.input_scale, #q.weight_scales > 1 and "[" .. i .. "]" or "",
           w, q.output_scale, m)
    end
  end
  local zp, os = q.output_zero_point, q.output_scale
  q.act_min, q.act_max = -128, 127
  if l.activation == "relu" then
    q.act_min = math.max(-128, quantize_bound(0.0, os, zp))
  elseif l.activation == "clamp" then
    if l.activation_a > -math.huge then q.act_min = math.max(-128, quantize_bound(l.activation_a, os, zp)) end
    if l.activation_b < math.huge then q.act_max = math.min(127, quantize_bound(l.activation_b, os, zp)) end
    -- a range past int8's saturates like the outputs do: clamp(100, 200) at scale 0.1 is 127..127
    q.act_min, q.act_max = math.min(q.act_min, 127), math.max(q.act_max, -128)
  elseif l.activation ~= "none" then
    fail("activation", "int8 layers take relu or clamp (TFLite's RELU, RELU6, RELU_N1_TO_1), got %s", show(l.activation))
  end
  return q
end

-- raw[key], one of the names in list, or default when absent.
local function one_of(raw, key, list, default)
  local v = raw[key]
  if v == nil then return default end
  for _, name in ipairs(list) do
    if v == name then return v end
  end
  fail(key, "expected one of %s, got %s", table.concat(list, ", "), show(v))
end

local function default_name(l)
  local function hw(p) return p[1] == p[2] and tostring(p[1]) or (p[1] .. "x" .. p[2]) end
  local pad = hw(l.padding)
  if M.asymmetric(l) then pad = table.concat({ l.padding[1], l.padding[2], l.padding_end[1], l.padding_end[2] }, "x") end
  local n = string.format("convt_%dx%d_k%s_s%s_p%s", l.in_channels, l.out_channels,
                          hw(l.kernel_size), hw(l.stride), pad)
  if l.output_padding[1] ~= 0 or l.output_padding[2] ~= 0 then n = n .. "_op" .. hw(l.output_padding) end
  if l.tflite_padding then n = n:gsub("_p[%dx]+$", "_" .. l.tflite_padding) end
  if l.dilation[1] ~= 1 or l.dilation[2] ~= 1 then n = n .. "_d" .. hw(l.dilation) end
  if l.groups ~= 1 then n = n .. "_g" .. l.groups end
  if l.activation ~= "none" then n = n .. "_" .. l.activation end
  if l.dtype == "int8" then return n .. "_int8" end -- NHWC goes without saying
  if l.memory_format == "channels_last" then n = n .. "_nhwc" end
  return n
end

local function check_name(v)
  if type(v) ~= "string" then fail("name", "expected a string, got %s", show(v)) end
  if not v:match("^[A-Za-z][A-Za-z0-9_]*$") then
    fail("name", "%s is not a C identifier (a letter, then letters, digits or _)", show(v))
  end
  if #v > 63 then fail("name", "is %d characters long; the limit is 63", #v) end
  if C_KEYWORDS[v] then fail("name", "%s is a C keyword", show(v)) end
  return v
end

local function numel(t)
  local n = 1.0
  for _, d in ipairs(t) do n = n * d end
  return n
end

-- raw: the table a spec returned (plain data, copied out of the sandbox).
-- Returns the normalized layer: every default filled in and every size resolved.
function M.normalize(raw)
  if type(raw) ~= "table" then
    error("the spec must return a table, got " .. (raw == nil and "nothing" or type(raw)), 0)
  end
  local keys = {}
  for k in pairs(raw) do
    if type(k) ~= "string" then
      error(string.format("spec table has a positional entry [%s]; every entry needs a name " ..
                          "such as in_channels = 16", tostring(k)), 0)
    end
    keys[#keys + 1] = k
  end
  table.sort(keys)
  for _, k in ipairs(keys) do
    if not KNOWN[k] then error(string.format("unknown key '%s'%s", #k > 64 and k:sub(1, 64) .. "..." or k, suggestion(k)), 0) end
  end

  local l = {}
  l.in_channels = positive(raw, "in_channels")
  l.out_channels = positive(raw, "out_channels")
  if raw.kernel_size == nil then fail("kernel_size", "is required") end
  l.kernel_size = pair(raw, "kernel_size", nil, 1)
  l.stride = pair(raw, "stride", default("stride"), 1)
  l.padding, l.padding_end = padding(raw)
  if type(l.padding) == "string" then l.tflite_padding, l.padding, l.padding_end = l.padding, { 0, 0 }, { 0, 0 } end
  l.output_padding = pair(raw, "output_padding", default("output_padding"), nil)
  l.dilation = pair(raw, "dilation", default("dilation"), 1)
  for _, lim in ipairs({ { "kernel_size", M.MAX_KERNEL }, { "stride", M.MAX_STRIDE } }) do
    local v = l[lim[1]]
    if v[1] > lim[2] or v[2] > lim[2] then
      fail(lim[1], "(%d, %d) is over the generator's limit of %d per dimension", v[1], v[2], lim[2])
    end
  end
  l.groups = positive(raw, "groups", default("groups"))

  if raw.bias == nil then l.bias = default("bias")
  elseif type(raw.bias) ~= "boolean" then fail("bias", "expected true or false, got %s", show(raw.bias))
  else l.bias = raw.bias end

  local mode = raw.padding_mode
  if mode ~= nil and type(mode) ~= "string" then fail("padding_mode", "expected a string, got %s", show(mode)) end
  if mode ~= nil and mode ~= "zeros" then
    fail("padding_mode", "only 'zeros' is supported for ConvTranspose2d, got %s", show(mode))
  end
  l.padding_mode = default("padding_mode")

  if l.in_channels % l.groups ~= 0 then
    fail("groups", "in_channels (%d) must be divisible by groups (%d)", l.in_channels, l.groups)
  end
  if l.out_channels % l.groups ~= 0 then
    fail("groups", "out_channels (%d) must be divisible by groups (%d)", l.out_channels, l.groups)
  end

  -- input_shape: {N, C, H, W} or unbatched {C, H, W}
  local shape = raw.input_shape
  if shape == nil then fail("input_shape", "is required ({N, C, H, W} or {C, H, W})") end
  if not is_list(shape) or (#shape ~= 3 and #shape ~= 4) then
    fail("input_shape", "expected {N, C, H, W} or unbatched {C, H, W}, got %s",
         type(shape) == "table" and ("a table with " .. #shape .. " entries") or show(shape))
  end
  for i = 1, #shape do check_int("input_shape", shape[i]) end
  l.batched = #shape == 4
  local off = l.batched and 1 or 0
  l.batch = l.batched and shape[1] or 1
  if l.batch < 0 then fail("input_shape", "batch size must not be negative, got %d", l.batch) end
  local c, h, w = shape[1 + off], shape[2 + off], shape[3 + off]
  if c < 1 or h < 1 or w < 1 then
    fail("input_shape", "channels, height and width must be positive, got %s", dims(shape))
  end
  if c ~= l.in_channels then
    fail("input_shape", "has %d channels but in_channels is %d", c, l.in_channels)
  end
  l.in_h, l.in_w = h, w

  if l.tflite_padding then
    if raw.output_padding ~= nil then
      fail("output_padding", "does not go with padding = %q: output_size sets the output's size", l.tflite_padding)
    end
    tflite_padding(raw, l, { h, w })
  elseif raw.output_size ~= nil then
    -- forward(output_size=) replaces the module's output_padding, as in PyTorch
    l.output_padding = resolve_output_size(raw, l, { h, w })
  else
    for d = 1, 2 do
      local op, s, dl = l.output_padding[d], l.stride[d], l.dilation[d]
      if op < 0 then
        fail("output_padding", "must not be negative, got (%d, %d)", l.output_padding[1], l.output_padding[2])
      end
      if not (op < s or op < dl) then
        fail("output_padding", "must be smaller than either stride or dilation, got output_padding %s " ..
             "with stride %s and dilation %s", dims(l.output_padding), dims(l.stride), dims(l.dilation))
      end
    end
  end

  local out = {}
  for d, i in ipairs({ h, w }) do
    -- floats first: huge strides or dilations must not overflow the integer check
    local approx = (i - 1.0) * l.stride[d] + l.dilation[d] * (l.kernel_size[d] - 1.0) + 1
    if approx > INT_MAX then fail("input_shape", "the output would be larger than 32-bit indexing allows") end
    out[d] = min_out(i, l.stride[d], l.padding[d], l.padding_end[d], l.dilation[d], l.kernel_size[d]) +
             l.output_padding[d]
  end
  if out[1] < 1 or out[2] < 1 then
    error(string.format("padding: the output size would be %dx%d for an input of %dx%d; it must be " ..
                        "positive (reduce padding)", out[1], out[2], h, w), 0)
  end
  l.out_h, l.out_w = out[1], out[2]

  local dt = raw.dtype
  if dt == nil then dt = default("dtype") end
  if type(dt) ~= "string" then fail("dtype", "expected a string, got %s", show(dt)) end
  if not M.DTYPES[dt] then
    fail("dtype", "unknown dtype %s; expected float32, float64, complex64, complex128, int8, float16 or bfloat16", show(dt))
  end
  l.dtype = dt

  l.memory_format = one_of(raw, "memory_format", M.MEMORY_FORMATS, dt == "int8" and "channels_last" or "contiguous")
  if dt == "int8" and l.memory_format ~= "channels_last" then
    fail("memory_format", "int8 layers are NHWC as TFLite holds them: channels_last, got %s", show(l.memory_format))
  end

  l.activation, l.activation_a, l.activation_b = activation(raw)
  if l.activation ~= "none" and M.DTYPES[dt].parts == 2 then
    fail("activation", "%s has no order; activations need a real dtype (float32 or float64)", dt)
  end
  if dt == "float32" or dt == "int8" or M.DTYPES[dt].half then -- (int8's bounds are float32 in TFLite too)
    -- a bound the outputs cannot hold would be a different number in the kernel: refused
    local FLT_MAX = 3.4028234663852886e38
    local range = M.DTYPES[dt].half and "float32 (" .. dt .. "'s arithmetic)" or dt .. "'s"
    local function fits(x, what)
      if x ~= math.huge and x ~= -math.huge and math.abs(x) > FLT_MAX then
        fail("activation", "%s %.9g is outside %s range (largest %.9g; math.huge for no bound)", what, x, range, FLT_MAX)
      end
    end
    if l.activation == "leaky_relu" then fits(l.activation_a, "leaky_relu's slope") end
    if l.activation == "clamp" then
      fits(l.activation_a, "clamp's min")
      fits(l.activation_b, "clamp's max")
    end
  end

  l.quantization = quantization(raw, l)
  l.unroll = one_of(raw, "unroll", M.UNROLL, default("unroll"))

  l.threads = default("threads")
  if raw.threads ~= nil then
    l.threads = check_int("threads", raw.threads)
    if l.threads < 1 or l.threads > 256 then fail("threads", "must be between 1 and 256, got %d", l.threads) end
  end

  l.name = raw.name ~= nil and check_name(raw.name) or default_name(l)
  l.tflite_padding = l.tflite_padding or "" -- "same" or "valid": how padding was given (info says so)
  l.flops = M.flops(l)

  -- Tensor sizes: each within 32-bit indexing, all together under the memory cap.
  local cpg = l.out_channels // l.groups
  local tensors = {
    { "input", { l.batch, l.in_channels, h, w } },
    { "weight", { l.in_channels, cpg, l.kernel_size[1], l.kernel_size[2] } },
    { "output", { l.batch, l.out_channels, l.out_h, l.out_w } },
  }
  local bytes = M.DTYPES[l.dtype].bytes
  local total = l.out_channels * bytes
  for _, t in ipairs(tensors) do
    local n = numel(t[2])
    if n > INT_MAX then
      error(string.format("the %s tensor %s would have %.0f elements, more than 32-bit indexing " ..
                          "allows (%d)", t[1], dims(t[2]), n, INT_MAX), 0)
    end
    total = total + bytes * n
  end
  if total > BYTES_CAP then
    error(string.format("the layer's tensors would need %.1f GiB, over the %d GiB cap",
                        total / 2 ^ 30, BYTES_CAP // 2 ^ 30), 0)
  end
  return l
end

-- The activation in words: "none", "relu", "leaky_relu (slope 0.2)", "clamp (0, 6)".
function M.activation_text(l)
  if l.activation == "leaky_relu" then return string.format("leaky_relu (slope %.9g)", l.activation_a) end
  if l.activation == "clamp" then
    local function bound(v) return v == math.huge and "inf" or v == -math.huge and "-inf" or string.format("%.9g", v) end
    return string.format("clamp (%s, %s)", bound(l.activation_a), bound(l.activation_b))
  end
  return l.activation
end

-- FLOPs as the benchmark counts them: 2 * N * Cin * (Cout/groups) * KH * KW * H * W.
function M.flops(l)
  return 2 * l.batch * l.in_channels * (l.out_channels // l.groups) *
         l.kernel_size[1] * l.kernel_size[2] * l.in_h * l.in_w
end

M.dims = dims
return M
