-- emit_int8.lua: the C file of an int8 layer (plan_int8.lua's plan through its templates): one
-- code for every C target, the Cortex-M DSP extension's instructions where the compiler has them
-- (__ARM_FEATURE_DSP), plain C99 elsewhere (tcc, x86, Cortex-M0/M3).

local emit_c = require("emit_c")
local pack = require("pack")
local plan_int8 = require("plan_int8")
local registry = require("registry")
local template = require("template")

local M = {}

-- Integer literals of a list, 12 to a line.
local function int_rows(values, indent)
  local lines = {}
  for i = 1, #values, 12 do
    local row = {}
    for j = i, math.min(i + 11, #values) do row[#row + 1] = plan_int8.int32_literal(values[j]) end
    lines[#lines + 1] = indent .. table.concat(row, ", ") .. ","
  end
  return table.concat(lines, "\n")
end

local function int_array(ctype, name, values)
  return string.format("static const %s %s[%d] = {\n%s\n};", ctype, name, #values, int_rows(values, "  "))
end

-- Template helpers for plan p.
local function helpers(p, l)
  local h = {}
  local U = p.name:upper()
  h.scale, h.offset, h.loop = emit_c.helpers.scale, emit_c.helpers.offset, emit_c.helpers.loop
  -- The tile's accumulators (uint32_t: sums wrap at 32 bits, as TFLite's int32 sums do, with no
  -- undefined behaviour), from the region's starting values: read two at a time by LDRD in
  -- the DSP code (as constants GCC would build each one from two instructions).
  function h.accs(size, rb)
    local out = {}
    for j = 0, size - 1 do out[#out + 1] = string.format("a%d = (uint32_t)%s[%d]", j, rb, j) end
    local plain = table.concat(out, ", ") .. ";"
    if size < 2 then return "            uint32_t " .. plain end
    local dsp = {}
    for j = 0, size - 1 do dsp[#dsp + 1] = "a" .. j end
    local lines = { "#if " .. U .. "_DSP", "            uint32_t " .. table.concat(dsp, ", ") .. ";",
                    "            { const int32_t *rq = " .. rb .. "; int32_t lo, hi;" }
    for j = 0, size - 2, 2 do
      lines[#lines + 1] = string.format("              %s_LDRD_NEXT(lo, hi, rq); a%d = (uint32_t)lo; a%d = (uint32_t)hi;",
                                        U, j, j + 1)
    end
    if size % 2 == 1 then lines[#lines + 1] = string.format("              a%d = (uint32_t)*rq;", size - 1) end
    lines[#lines + 1] = "            }"
    lines[#lines + 1] = "#else"
    lines[#lines + 1] = "            uint32_t " .. plain
    lines[#lines + 1] = "#endif"
    return table.concat(lines, "\n")
  end
  function h.acc_value(a) return "(int32_t)" .. a end
  function h.channel(expr) return p.per_tensor and "0" or expr end
  -- One tap of a tile of `size` channels, DSP: each quad of input channels is one word of input
  -- (two SXTB16) and one pair of weight words per channel (two SMLAD), loaded together (LDRD).
  function h.dsp_tap(size)
    local ind = "              "
    local function body(q)
      local lines = {}
      local xs = q == "qd" and "xt + 4 * qd" or (q == 0 and "xt" or "xt + " .. 4 * q)
      lines[#lines + 1] = string.format("const int32_t xv = (int32_t)*(const %s_u32u *)(const void *)(%s);", p.name, xs)
      lines[#lines + 1] = string.format("const int32_t xe = __sxtb16(xv), xo = %s_sxtb16_ror8(xv);", p.name)
      for j = 0, size - 1 do
        lines[#lines + 1] = string.format("{ int32_t we, wo; %s_LDRD_NEXT(we, wo, w); " ..
                                          "a%d = (uint32_t)__smlad(xo, wo, __smlad(xe, we, (int32_t)a%d)); }",
                                          p.name:upper(), j, j)
      end
      return lines
    end
    local out = {}
    if p.QUADS > 1 and not p.unroll_quads then
      out[#out + 1] = string.format("for (int qd = 0; qd < %d; qd++) {", p.QUADS)
      for _, line in ipairs(body("qd")) do out[#out + 1] = ind .. "  " .. line end
      out[#out + 1] = ind .. "}"
    else
      for qd = 0, p.QUADS - 1 do
        out[#out + 1] = (qd == 0 and "" or ind) .. "{"
        for _, line in ipairs(body(qd)) do out[#out + 1] = ind .. "  " .. line end
        out[#out + 1] = ind .. "}"
      end
    end
    for c = 0, p.TAIL - 1 do
      local xi = 4 * p.QUADS + c
      for j = 0, size - 1 do
        out[#out + 1] = (#out == 0 and "" or ind) .. string.format("a%d += (uint32_t)(xt[%d] * *w++);", j, xi)
      end
    end
    return table.concat(out, "\n")
  end
  -- One tap of a tile, plain C: every input channel times the tile's channels' OHWI weights.
  function h.plain_tap(size)
    local ind = "              "
    local stride = p.KHW * p.CIN_G
    local function line(ci)
      local terms = {}
      for j = 0, size - 1 do
        terms[#terms + 1] = string.format("a%d += (uint32_t)(xv * wt[%s]);", j, h.offset(j * stride, ci))
      end
      return table.concat(terms, " ")
    end
    if p.CIN_G <= 4 or p.unroll_quads and p.CIN_G <= 16 then
      local out = {}
      for ci = 0, p.CIN_G - 1 do
        out[#out + 1] = (ci == 0 and "" or ind) .. string.format("{ const int32_t xv = xt[%d]; %s }", ci,
          line(tostring(ci)):gsub("wt%[(%d+) %+ (%d+)%]", function(a, b) return "wt[" .. (a + b) .. "]" end))
      end
      return table.concat(out, "\n")
    end
    return string.format("for (int ci = 0; ci < %d; ci++) {\n%s  const int32_t xv = xt[ci];\n%s  %s\n%s}", p.CIN_G,
                         ind, ind, line("ci"), ind)
  end
  return h
end

local function variables(l, p, answer)
  local v = setmetatable({}, { __index = p })
  for k, x in pairs(helpers(p, l)) do v[k] = x end
  v.version = CONVTGEN_VERSION
  v.answer = answer
  v.NAME = l.name:upper()
  v.fn = l.name
  return v
end

-- The answer (emit.lua's form) for an int8 layer: one section for every C target.
function M.kernel(l, target, weights, bias, summary)
  local p = plan_int8.build(l)
  p.unroll_quads = l.unroll == "full" or (l.unroll ~= "none" and p.QUADS <= 2)
  p.pixel_fn = l.unroll == "none" -- the smallest code: one pixel function walks each region's taps
  -- full: every channel tile written out, so each channel's multiplier and shift are constants
  p.unroll_tiles = l.unroll == "full" and p.COUT_G // p.int8_tiles[1].size <= 8
  p.CT = p.int8_tiles[1].size
  local shape, why = registry.first("int8", p, {})
  local a = { target = target, shape = shape.name, why = why, features = {}, macs = p.macs }
  a.baked = weights ~= nil
  a.convention = a.baked and "baked" or shape.convention
  a.packed_size = shape.packed_size(p)
  a.description = string.format("%s (%s)", shape.name, shape.what(p))
  a.sections = { { shape = shape.name, plan = p, what = shape.what(p), convention = a.convention } }
  local v = variables(l, p, a)
  v.summary = summary
  v.baked = a.baked
  v.region_tap_array = int_array("int32_t", l.name .. "_region_taps",
                                  #p.region_tap_table > 0 and p.region_tap_table or { 0 })
  if shape.view then shape.view(v, p) end -- what the shape's template prints, computed
  v.body = template.render(shape.template, v)
  v.shape = shape.name
  v.shape_what = shape.what(p)
  if a.baked then
    if shape.name == "int8_phases" then
      -- the arrays NAME_pack would write (the layout's nests evaluated), each from its own start
      local layout = shape.layout(p)
      local starts = pack.evaluate(p, layout, weights, bias, "starts")
      local pairs_ = pack.evaluate(p, layout, weights, bias, "pairs")
      local bytes = pack.evaluate(p, layout, weights, bias, "bytes")
      pairs_ = table.move(pairs_, p.RB_SIZE + 1, p.RB_SIZE + p.PAIR_WORDS, 1, {})
      bytes = table.move(bytes, 4 * p.RB_SIZE + 1, 4 * p.RB_SIZE + p.weight_size, 1, {})
      if #starts == 0 then starts[1] = 0 end
      if #pairs_ == 0 then pairs_[1] = 0 end
      local folds = plan_int8.zero_point_folds(p, weights, starts)
      -- only where each store's channel is a constant of the code: a table read per output costs more
      local constant_channels = p.per_tensor or (not p.pixel_fn and p.G == 1 and
        (p.unroll_tiles or (#p.int8_tiles == 1 and p.int8_tiles[1].count == 1)))
      if not constant_channels then
        v.zfold = nil
      elseif p.per_tensor then
        v.zfold = tostring(folds[1])
      else
        v.zfold = l.name .. "_zfold[c]"
        v.zfold_array = int_array("int8_t", l.name .. "_zfold", folds)
      end
      v.arrays = table.concat({
        int_array("int32_t", l.name .. "_starts", starts),
        "#if " .. v.NAME .. "_DSP",
        int_array("int32_t", l.name .. "_weights", pairs_),
        "#else",
        int_array("int8_t", l.name .. "_weights", bytes),
        "#endif" }, "\n")
    else
      v.arrays = int_array("int8_t", l.name .. "_weight", weights) ..
                 (bias and "\n" .. int_array("int32_t", l.name .. "_bias", bias) or "")
    end
  end
  v.mult_array = not p.per_tensor and int_array("int32_t", l.name .. "_mult", p.MULT) or nil
  v.right_array = not p.per_tensor and int_array("int8_t", l.name .. "_right", p.RIGHT) or nil
  v.left_array = not p.per_tensor and p.any_left and int_array("int8_t", l.name .. "_left", p.LEFT) or nil
  if not a.baked then
    v.pack_code = pack.c_body(p, shape.layout(p), { R = "int32_t", T = "int32_t", zero = "0", zero_r = "0" })
  end
  v.baked_bias = p.bias and l.name .. "_bias" or "(const int32_t *)0"
  v.packed_bias = p.bias and string.format("packed + %d", (p.weight_size + 3) // 4) or "(const int32_t *)0"
  v.convention = a.convention
  a.source = template.render("templates/int8_file.c.in", v)
  a.estimate = ""
  return a
end

return M
