-- emit_c.lua: C source and header for one normalized layer, from its plan and the templates.

local plan = require("plan")
local spec = require("spec")
local template = require("template")

local M = {}

-- One line that says which layer a file is for, in PyTorch's own words.
function M.summary(l)
  local function pair(p) return string.format("(%d, %d)", p[1], p[2]) end
  return string.format("ConvTranspose2d(%d, %d, kernel_size=%s, stride=%s, padding=%s, " ..
    "output_padding=%s, groups=%d, bias=%s, dilation=%s) on input %s, %s",
    l.in_channels, l.out_channels, pair(l.kernel_size), pair(l.stride), pair(l.padding),
    pair(l.output_padding), l.groups, l.bias and "True" or "False", pair(l.dilation),
    spec.dims(spec.shapes(l).input), l.dtype)
end

-- How generated code spells the layer's element type, shared by the C and CUDA emitters.
-- T is the element: float or double, or for complex a struct of two parts (re, im), which lays
-- them out interleaved exactly as NumPy and PyTorch store complex64/complex128; R is one part.
-- Complex arithmetic is written out on the parts: tcc has no _Complex, and CUDA code must not
-- depend on cuComplex.h.
function M.types(l)
  local d = spec.DTYPES[l.dtype]
  local t = { R = d.real, complex = d.parts == 2, dtype = l.dtype }
  t.zero_r = d.real == "float" and "0.0f" or "0.0"
  if t.complex then
    t.T = "ctg_" .. l.dtype
    local guard = "CTG_" .. l.dtype:upper() .. "_DEFINED"
    t.typedefs = string.format("#ifndef %s\n#define %s\ntypedef struct %s { %s re, im; } %s;\n#endif\n",
                               guard, guard, t.T, d.real, t.T)
    t.zero = "{" .. t.zero_r .. ", " .. t.zero_r .. "}"
  else
    t.T, t.typedefs, t.zero = d.real, "", t.zero_r
  end
  -- Accumulator `name` set to the element expression init, or to zero.
  function t.acc_decl(name, init)
    if not t.complex then return string.format("%s %s = %s;", t.T, name, init or t.zero) end
    if init then return string.format("%s %s_re = (%s).re, %s_im = (%s).im;", t.R, name, init, name, init) end
    return string.format("%s %s_re = %s, %s_im = %s;", t.R, name, t.zero_r, name, t.zero_r)
  end
  -- name += the sum of x * w over terms { {x, w}, ... } (element lvalues), as one line.
  function t.acc_add(name, terms)
    local re, im = {}, {}
    for i, tm in ipairs(terms) do
      local x, w = tm[1], tm[2]
      if t.complex then
        re[i] = string.format("%s.re * %s.re - %s.im * %s.im", x, w, x, w)
        im[i] = string.format("%s.re * %s.im + %s.im * %s.re", x, w, x, w)
      else
        re[i] = x .. " * " .. w
      end
    end
    if not t.complex then return name .. " += " .. table.concat(re, " + ") .. ";" end
    return string.format("%s_re += %s; %s_im += %s;", name, table.concat(re, " + "), name, table.concat(im, " + "))
  end
  -- lhs (an element lvalue) = the accumulator.
  function t.acc_store(lhs, name)
    if not t.complex then return lhs .. " = " .. name .. ";" end
    return string.format("%s.re = %s_re; %s.im = %s_im;", lhs, name, lhs, name)
  end
  return t
end

-- A float as a C literal that reads back to the same float32.
local function float_literal(v)
  local s = string.format("%.9g", v)
  if not s:find("[%.e]") then s = s .. ".0" end
  return s .. "f"
end

-- Raw float32 bytes (from C) as a list of numbers; nil stays nil.
local function decode(bytes, what)
  if bytes == nil then return nil end
  local values = {}
  for i = 1, #bytes // 4 do
    local v = string.unpack("=f", bytes, 4 * i - 3)
    if v ~= v or v == math.huge or v == -math.huge then
      error(string.format("%s: element %d is %s; only finite values can be baked in", what, i - 1,
                          tostring(v)), 0)
    end
    values[i] = v
  end
  return values
end

local function c_array(name, values)
  local lines = { string.format("static const float %s[%d] = {", name, #values) }
  for i = 1, #values, 8 do
    local row = {}
    for j = i, math.min(i + 7, #values) do row[#row + 1] = float_literal(values[j]) end
    lines[#lines + 1] = "  " .. table.concat(row, ", ") .. ","
  end
  lines[#lines + 1] = "};"
  return table.concat(lines, "\n")
end

-- The plan and template variables for a layer, with its weights baked in when given.
local function prepare(l, weight_bytes, bias_bytes)
  local p = plan.build(l)
  if weight_bytes ~= nil and l.dtype ~= "float32" then
    error(string.format("baked weights are float32 only; the layer is %s (generate it without weights)", l.dtype), 0)
  end
  local weights, bias = decode(weight_bytes, "weight"), decode(bias_bytes, "bias")
  if weights and l.unroll == "full" then plan.unroll_baked(p, weights) end
  local v = setmetatable({}, { __index = p })
  for k, x in pairs(M.types(l)) do v[k] = x end
  v.version = CONVTGEN_VERSION
  v.summary = M.summary(l)
  v.unroll = l.unroll
  v.baked = weights ~= nil
  if v.baked then
    v.run_params = "const float *input, float *output"
    local arrays = { c_array(l.name .. "_weight", weights) }
    if bias then arrays[2] = c_array(l.name .. "_bias", bias) end
    v.weight_array = "\n" .. table.concat(arrays, "\n")
  else
    v.run_params = string.format("const %s *input, const %s *weight, const %s *bias, %s *output", v.T, v.T, v.T, v.T)
  end
  return p, v
end

local TEMPLATES = {
  compact = "templates/kernel_compact.c.in",
  phases = "templates/kernel.c.in",
  unrolled = "templates/kernel_unrolled.c.in",
}

function M.source(l, weight_bytes, bias_bytes)
  local p, v = prepare(l, weight_bytes, bias_bytes)
  return template.render(TEMPLATES[p.shape], v)
end

-- The tcc tier's source: plain C like M.source, but a 1x1 input (float32) takes the
-- vector-matrix shape, which reads the weights once and in order where the phase code would
-- stride through them per tap (dcgan_g1: 3.2 MB of weights, 16 taps).
function M.source_jit(l)
  local p, v = prepare(l)
  if l.dtype == "float32" and plan.gemv(p) then return template.render("templates/kernel_gemv.c.in", v) end
  return template.render(TEMPLATES[p.shape], v)
end

-- The cc tier's vector shapes, in the order the plan tries them: the first whose plan function
-- accepts the layer (and sets the plan up for its template) is built; `what` says it in words.
local CC_SHAPES = {
  { plan.gemv, "templates/kernel_gemv.c.in",
    function() return "vector-matrix product (1x1 input)" end },
  { plan.gemm, "templates/kernel_gemm.c.in", function(p)
      return string.format("matrix product and pixel shuffle (kernel == stride), %d channels x %d " ..
                           "kernel columns x %d vectors per tile", p.CT, p.KW, p.V) end },
  { plan.fast, "templates/kernel_fast.c.in", function(p)
      return string.format("per-phase matrix products, %d channels x up to %d positions per tile",
                           p.MR, plan.NR_MAX[p.MV]) end },
  { plan.wide, "templates/kernel_wide.c.in",
    function() return "vectors along rows (few output channels)" end },
}
local function cc_shape(p)
  for _, shape in ipairs(CC_SHAPES) do
    if shape[1](p) then return shape end
  end
end

-- The cc tier's source: a vector shape where one suits the layer, else "" and the caller
-- uses M.source (the stride-phase code, vectorized by the compiler).
function M.source_fast(l)
  if l.dtype ~= "float32" then return "" end -- the vector shapes are written for float32
  local p, v = prepare(l)
  local shape = cc_shape(p)
  if not shape then return "" end
  v.NR_MAX, v.PF, v.prefetch_offsets = plan.NR_MAX, plan.PF, plan.prefetch_offsets
  return template.render(shape[2], v)
end

function M.header(l, weight_bytes, bias_bytes)
  local _, v = prepare(l, weight_bytes, bias_bytes)
  local s = spec.shapes(l)
  local function numel(t) local n = 1; for _, d in ipairs(t) do n = n * d end; return n end
  v.NAME = l.name:upper()
  v.input_shape, v.weight_shape, v.output_shape = spec.dims(s.input), spec.dims(s.weight), spec.dims(s.output)
  v.bias_shape = s.bias and spec.dims(s.bias) or "none"
  v.input_layout = l.batched and "(N, Cin, H, W)" or "(Cin, H, W), unbatched"
  v.output_layout = l.batched and "(N, Cout, Hout, Wout)" or "(Cout, Hout, Wout), unbatched"
  v.input_size, v.weight_size, v.output_size = numel(s.input), numel(s.weight), numel(s.output)
  v.bias_size = s.bias and numel(s.bias) or 0
  return template.render("templates/kernel.h.in", v)
end

-- A rough size of the compiled kernel for a Cortex-M4F at -Os, from what the code contains:
-- about 8 bytes per product written out (a load, a multiply-accumulate, a share of the weight
-- load), 10 per accumulator set up and stored, 60 per loop nest, plus the constants.
-- bench/results/firmware.md sets it beside measured sizes.
local function code_estimate(p, baked)
  local code, constants = 0, baked and 4 * (p.CIN * p.COUT_G * p.KHW + (p.bias and p.COUT or 0)) or 0
  if p.shape == "compact" then
    code = 400
    constants = constants + 4 * 2 * (#p.tables[1].k + #p.tables[2].k + p.SH + p.SW + 2)
  else
    for _, ph in ipairs(p.phases) do
      code = code + 40
      for _, r in ipairs(ph.regions) do
        code = code + 60
        if p.shape == "unrolled" then
          for _, block in ipairs(r.blocks or {}) do
            for _, acc in ipairs(block.accs) do
              code = code + (8 * #acc.terms + 10) * (p.width_tile + 1)
            end
          end
          if #r.taps == 0 then code = code + 6 * p.COUT end
        else
          local per_iteration = 0
          for _, chunk in ipairs(r.walk.chunks) do per_iteration = per_iteration + #chunk end
          for _, t in ipairs(p.co_tiles) do code = code + 60 + t.size * (8 * per_iteration + 10) end
        end
      end
    end
  end
  return code, constants
end

function M.estimate(l, weight_bytes, bias_bytes)
  local p = prepare(l, weight_bytes, bias_bytes)
  local code, constants = code_estimate(p, weight_bytes ~= nil)
  return string.format("about %.1f KiB of code and %.1f KiB of constants on a Cortex-M4F at -Os",
                       code / 1024, constants / 1024)
end

-- Which code shape the cc tier builds for the layer, in words.
function M.cc_shape(l)
  if l.dtype ~= "float32" then return "the stride-phase code (the vector shapes are float32's)" end
  local p = plan.build(l)
  local shape = cc_shape(p)
  if not shape then return "the stride-phase code (rows too short for vectors), templates/kernel.c.in" end
  return shape[3](p) .. ", " .. shape[2]
end

-- What `convtgen info` shows of the plan.
function M.describe(l)
  local p = plan.build(l)
  local src = M.source(l)
  local out = { string.format("plan  (%s code, unroll = %s)", p.shape == "compact" and "compact" or
                              "stride-phase", l.unroll) }
  local bias_only, macs = 0, 0
  for _, ph in ipairs(p.phases) do
    local border, regions = 0, #ph.regions
    for _, r in ipairs(ph.regions) do
      if not r.interior then border = border + r.outputs end
      macs = macs + r.outputs * #r.taps
    end
    if ph.taps == 0 then bias_only = bias_only + 1 end
    out[#out + 1] = string.format("  phase (%d, %d)  %2d taps  %dx%d outputs  interior %dx%d  " ..
      "border %d outputs  %d regions", ph.rh, ph.rw, ph.taps, ph.QH, ph.QW, ph.interior[1],
      ph.interior[2], border, regions)
  end
  macs = macs * p.N * p.CIN_G * p.COUT
  out[#out + 1] = string.format("  phases %d (%d bias-only), multiply-adds %d", #p.phases, bias_only, macs)
  out[#out + 1] = string.format("  source %d bytes of C", #src)
  out[#out + 1] = "cc tier: " .. M.cc_shape(l)
  return table.concat(out, "\n") .. "\n"
end

return M
