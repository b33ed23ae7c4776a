-- emit_c.lua: C source and header for one normalized layer, from its plan and the templates.

local plan = require("plan")
local pack = require("pack")
local registry = require("registry")
local spec = require("spec")
local template = require("template")

local M = {}

-- One line that says which layer a file is for, in PyTorch's own words.
function M.summary(l)
  local function pair(p) return string.format("(%d, %d)", p[1], p[2]) end
  local pad = pair(l.padding)
  if spec.asymmetric(l) then -- not PyTorch's: ONNX's pads, begin then end
    pad = string.format("(%d, %d, %d, %d) [top, left, bottom, right]", l.padding[1], l.padding[2],
                        l.padding_end[1], l.padding_end[2])
  end
  local act = l.activation ~= "none" and ", then " .. spec.activation_text(l) or ""
  local fmt = l.memory_format == "channels_last" and ", channels_last" or ""
  return string.format("ConvTranspose2d(%d, %d, kernel_size=%s, stride=%s, padding=%s, " ..
    "output_padding=%s, groups=%d, bias=%s, dilation=%s) on input %s, %s%s%s",
    l.in_channels, l.out_channels, pair(l.kernel_size), pair(l.stride), pad,
    pair(l.output_padding), l.groups, l.bias and "True" or "False", pair(l.dilation),
    spec.dims(l.shapes.input), l.dtype, fmt, act)
end

-- How generated code spells the layer's element type, shared by the C and CUDA emitters.
-- T is the element: float or double, or for complex a struct of two parts (re, im), which lays
-- them out interleaved exactly as NumPy and PyTorch store complex64/complex128; R is one part.
-- Complex arithmetic is written out on the parts: tcc has no _Complex, and CUDA code must not
-- depend on cuComplex.h.
-- float16 / bfloat16 (d.half): T is the 16-bit pattern (uint16_t; unsigned short in CUDA) and R
-- float: accumulators are R, every element read goes through NAME_widen and every output
-- through NAME_narrow (t.conversions defines them, templates/half.c.in).
function M.types(l, cuda)
  local d = spec.DTYPES[l.dtype]
  local t = { R = d.real, complex = d.parts == 2, dtype = l.dtype, half = d.half, conversions = "" }
  t.zero_r = d.real == "float" and "0.0f" or "0.0"
  if t.half then
    t.T, t.typedefs, t.zero = cuda and "unsigned short" or d.bits, "", t.zero_r
    t.element_note = " (" .. l.dtype .. " bits, as " .. t.T .. ")"
    t.conversions = template.render("templates/half.c.in", { part = "scalar", H = t.T, Q = cuda and "CTG_HALF_FN" or "static inline",
                                                             bfloat16 = d.half == "bfloat16", cuda = cuda, name = l.name })
    t.conversions = t.conversions:gsub("\n$", "")
  elseif t.complex then
    t.T = "ctg_" .. l.dtype
    t.element_note = " (re, im interleaved, as " .. t.T .. ")"
    local guard = "CTG_" .. l.dtype:upper() .. "_DEFINED"
    t.typedefs = string.format("#ifndef %s\n#define %s\ntypedef struct %s { %s re, im; } %s;\n#endif\n",
                               guard, guard, t.T, d.real, t.T)
    t.zero = "{" .. t.zero_r .. ", " .. t.zero_r .. "}"
  else
    t.T, t.typedefs, t.zero, t.element_note = d.real, "", t.zero_r, ""
  end
  -- An element read (an lvalue or value of T) as R, and an R value as the T stored.
  local function widen(e) return t.half and string.format("%s_widen(%s)", l.name, e) or e end
  local function narrow(e) return t.half and string.format("%s_narrow(%s)", l.name, e) or e end
  t.widen, t.narrow = widen, narrow
  -- Accumulator `name` set to the element expression init, or to zero.
  function t.acc_decl(name, init)
    if not t.complex then return string.format("%s %s = %s;", t.R, name, init and widen(init) or t.zero) end
    if init then return string.format("%s %s_re = (%s).re, %s_im = (%s).im;", t.R, name, init, name, init) end
    return string.format("%s %s_re = %s, %s_im = %s;", t.R, name, t.zero_r, name, t.zero_r)
  end
  -- name += the sum of x * w over terms { {x, w}, ... } (element lvalues); with indent, sums
  -- of more than 4 products wrap, 4 to a line.
  function t.acc_add(name, terms, indent)
    local re, im = {}, {}
    for i, tm in ipairs(terms) do
      local x, w = tm[1], tm[2]
      if t.complex then
        re[i] = string.format("%s.re * %s.re - %s.im * %s.im", x, w, x, w)
        im[i] = string.format("%s.re * %s.im + %s.im * %s.re", x, w, x, w)
      else
        re[i] = widen(x) .. " * " .. widen(w)
      end
    end
    local per_line = t.complex and 2 or 4
    local function sum(list)
      if not indent or #list <= per_line then return table.concat(list, " + ") end
      local lines = {}
      for i = 1, #list, per_line do lines[#lines + 1] = table.concat(list, " + ", i, math.min(i + per_line - 1, #list)) end
      return table.concat(lines, " +\n" .. indent .. "    ")
    end
    if not t.complex then return name .. " += " .. sum(re) .. ";" end
    if indent then
      return string.format("%s_re += %s;\n%s%s_im += %s;", name, sum(re), indent, name, sum(im))
    end
    return string.format("%s_re += %s; %s_im += %s;", name, sum(re), name, sum(im))
  end
  -- An element expression, and a vector expression, through the layer's activation
  -- (templates/activation.c.in defines the functions); unchanged without one.
  local act = l.activation ~= "none"
  function t.act(expr) return act and string.format("%s_act(%s)", l.name, expr) or expr end
  function t.act_v(expr) return act and string.format("%s_act_v(%s)", l.name, expr) or expr end
  t.activation = l.activation
  -- Every vector accumulator of a tile's rows ({ {name, init}, ... } lists) through it in place.
  function t.act_v_rows(rows)
    local out = {}
    for _, row in ipairs(rows) do
      for _, e in ipairs(row) do out[#out + 1] = string.format("%s = %s;", e[1], t.act_v(e[1])) end
    end
    return table.concat(out, " ")
  end
  -- lhs (an element lvalue) = the accumulator, through the activation.
  function t.acc_store(lhs, name)
    if not t.complex then return lhs .. " = " .. narrow(t.act(name)) .. ";" end
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

-- The definitions of the layer's activation functions (templates/activation.c.in): part
-- "scalar" (one element, C or CUDA) or "vector" (the vector type of plan p's ISA profile); ""
-- without an activation.
function M.activation_code(l, part, cuda, p)
  if l.activation == "none" then return "" end
  local real = spec.DTYPES[l.dtype].real
  local function literal(x)
    if real == "float" then return float_literal(x) end
    local s = string.format("%.17g", x)
    return s:find("[%.eni]") and s or s .. ".0"
  end
  local v = { name = l.name, act = l.activation, R = real, part = part, cuda = cuda,
              zero = real == "float" and "0.0f" or "0.0",
              lo_bound = l.activation == "clamp" and l.activation_a > -math.huge,
              hi_bound = l.activation == "clamp" and l.activation_b < math.huge }
  if p then v.VT, v.VT_I, v.VT_SELECT, v.L = p.VT, p.VT_I, p.VT_SELECT, p.L end
  if l.activation == "leaky_relu" or v.lo_bound then v.A = literal(l.activation_a) end
  if v.hi_bound then v.B = literal(l.activation_b) end
  return template.render("templates/activation.c.in", v)
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


-- Helpers the templates print with (formatting only; every value comes from the plan).
local helpers = {}
-- Each entry of list (a table of values) through fmt, joined by sep.
function helpers.join(list, fmt, sep)
  local out = {}
  for i, e in ipairs(list) do out[i] = string.format(fmt, table.unpack(e)) end
  return table.concat(out, sep)
end
-- The opening line of the loop over a group's input channels, with the pointers it advances;
-- a block when there is one channel (depthwise).
function helpers.channel_loop(count, steps)
  if count == 1 then return "{" end
  local adv = {}
  for _, st in ipairs(steps) do adv[#adv + 1] = string.format(", %s += %s", st[1], st[2]) end
  return string.format("for (int ci = 0; ci < %d; ci++%s) {", count, table.concat(adv))
end
-- Like join, with a line break and indent after every per_line entries (long unrolled lines).
function helpers.join_lines(list, fmt, sep, per_line, indent)
  local lines = {}
  for i = 1, #list, per_line do
    lines[#lines + 1] = helpers.join({ table.unpack(list, i, math.min(i + per_line - 1, #list)) }, fmt, sep)
  end
  return table.concat(lines, "\n" .. indent)
end
-- expr times a constant stride k: "qw" for 1, "qw * 3" otherwise ("(expr) * 3" with paren:
-- expr is a sum).
function helpers.scale(expr, k, paren)
  if k == 1 then return expr end
  return (paren and "(" .. expr .. ")" or expr) .. " * " .. k
end
-- A sum of terms with the zero terms left out: offset("xc", 0) is "xc", offset(3, "qt") "3 + qt".
function helpers.offset(...)
  local out = {}
  for i = 1, select("#", ...) do
    local t = select(i, ...)
    if type(t) == "number" then
      if t > 0 and #out > 0 then out[#out + 1] = " + " .. t
      elseif t < 0 then out[#out + 1] = (#out > 0 and " - " or "-") .. -t
      elseif t > 0 then out[#out + 1] = tostring(t) end
    elseif t ~= nil and t ~= "" then
      out[#out + 1] = (#out > 0 and " + " or "") .. t
    end
  end
  return #out > 0 and table.concat(out) or "0"
end
-- The lanes of a vector holding complex element expr at each of count positions:
-- "expr.re, expr.im, expr.re, ..." (the interleaved order of the complex vector shapes).
function helpers.pair_lanes(expr, count)
  local lanes = {}
  for k = 1, count do lanes[k] = expr .. ".re, " .. expr .. ".im" end
  return table.concat(lanes, ", ")
end
-- The opening line of the loop over the batch: its size is the run-time argument `batch` (one
-- compiled kernel serves any batch; the spec's N is what NAME_run passes).
function helpers.batch_loop() return "for (int n = 0; n < batch; n++) {" end
-- The opening line of a loop over var from first to last; a loop that runs once is a block
-- with a constant (kept a loop when an OpenMP pragma shares it out).
function helpers.loop(var, first, last, parallel, step)
  if first == last and not parallel then return string.format("{ const int %s = %d;", var, first) end
  if step and step > 1 then
    return string.format("for (int %s = %d; %s <= %d; %s += %d) {", var, first, var, last, var, step)
  end
  return string.format("for (int %s = %d; %s <= %d; %s++) {", var, first, var, last, var)
end

-- A region's tiles of rows (r.row_tiles of r.RH rows, the last ending at the region's last row):
-- the loop over them (shared out by OpenMP with parallel), the last tile's index, the first row
-- of the last tile, and the row of tile qt when tiles are one row; nil for a region without them.
function helpers.row_tiles(r, parallel)
  if not r.row_tiles then return nil end
  return helpers.loop("qt", 0, r.row_tiles - 1, parallel), r.row_tiles - 1, r.qh1 - r.RH + 1,
         helpers.offset(r.qh0, "qt")
end
-- The loops along a region's columns for a tile of r.NR positions: NR at a time while they fit,
-- then one at a time ({ nr, head } each, head the loop's opening line; none without taps).
function helpers.column_runs(r)
  local runs, width = {}, r.qw1 - r.qw0 + 1
  if #r.taps == 0 then return runs end
  if width >= r.NR and r.NR > 1 then
    runs[#runs + 1] = { nr = r.NR, head = string.format("for (; qw + %d <= %d; qw += %d) {", r.NR - 1, r.qw1, r.NR) }
  end
  if width % r.NR > 0 or r.NR == 1 then
    runs[#runs + 1] = { nr = 1, head = string.format("for (; qw <= %d; qw++) {", r.qw1) }
  end
  return runs
end

-- A template helper for plan p (C and CUDA): base + the offset of channel c of image n in the
-- input ("x") or output ("y"), NCHW (n * C + c) * H * W or channels_last n * C * H * W + c.
function M.at_channel(p)
  return function(base, side, n, c)
    local C, plane = side == "x" and p.CIN or p.COUT, side == "x" and p.HW or p.OHW
    if p.CL then return string.format("%s + %s * %d + %s", base, n, C * plane, c) end
    return string.format("%s + (%s * %d + %s) * %d", base, n, C, c, plane)
  end
end
M.scale = helpers.scale
M.helpers = helpers -- the int8 emitter prints with the same ones

-- Phase groups (plan.group_phases), as the templates print them for plan p, and the calls of
-- the phase functions that every packed shape's run_packed_batch makes.
function M.phase_groups(p)
  local g = {}
  -- the prefix of a group's tables: packed weight offsets (_wo), output offsets (_yo) and the
  -- kernel index of each member's taps (_tw, for pack)
  function g.id(ph) return plan.group_id(p, ph) end
  -- the tables of every group of the plan ("" without groups); _tw with_taps
  function g.tables(with_taps)
    local out = {}
    for _, ph in ipairs(p.phases) do
      if ph.members then
        local wo, yo, tw, id = {}, {}, {}, g.id(ph)
        for i, m in ipairs(ph.members) do
          wo[i], yo[i] = m.pack_off, m.y0
          for _, w in ipairs(m.w) do tw[#tw + 1] = w end
        end
        out[#out + 1] = string.format("/* phases like (%d, %d): %d of them, one function */", ph.rh, ph.rw, #ph.members)
        out[#out + 1] = string.format("static const int %s_wo[%d] = { %s };", id, #wo, table.concat(wo, ", "))
        out[#out + 1] = string.format("static const int %s_yo[%d] = { %s };", id, #yo, table.concat(yo, ", "))
        if with_taps and #tw > 0 then
          out[#out + 1] = string.format("static const int %s_tw[%d] = { %s };", id, #tw, table.concat(tw, ", "))
        end
      end
    end
    return table.concat(out, "\n")
  end
  -- the extra parameters of a group's phase function
  function g.params(ph) return ph.members and ", int wo, int yo" or "" end
  -- the body of run_packed_batch: each phase function called with args (a group's once per
  -- member), on one OpenMP team when threads > 1
  function g.run_body(args)
    local calls = {}
    for _, ph in ipairs(p.phases) do
      local fn = p.name .. "_phase_" .. ph.rh .. "_" .. ph.rw
      if ph.members then
        calls[#calls + 1] = string.format("for (int m = 0; m < %d; m++) %s(%s, %s_wo[m], %s_yo[m]);", #ph.members,
                                          fn, args, g.id(ph), g.id(ph))
      else
        calls[#calls + 1] = string.format("%s(%s);", fn, args)
      end
    end
    local body = "  " .. table.concat(calls, "\n  ")
    if p.threads == 1 then return body end
    return "  /* one team for the whole call; each loop nest splits statically and nobody waits between\n" ..
           "   * nests: they write disjoint outputs */\n" ..
           string.format("#pragma omp parallel num_threads(%d)\n  {\n%s\n  }", p.threads, body)
  end
  return g
end

-- Template variables: the plan, the element type's spelling, the helpers.
local function variables(l, p)
  local v = setmetatable({}, { __index = p })
  for k, x in pairs(M.types(l)) do v[k] = x end
  for k, x in pairs(helpers) do v[k] = x end
  v.version = CONVTGEN_VERSION
  v.summary = M.summary(l)
  v.unroll = l.unroll
  v.at_channel = M.at_channel(p)
  v.groups = M.phase_groups(p)
  return v
end

-- OpenMP pragmas only where OpenMP is on: a kernel with threads > 1 still builds warning-free
-- (and runs on one thread) without -fopenmp.
local function guard_pragmas(text)
  return (text:gsub("\n(#pragma omp[^\n]*)", "\n#ifdef _OPENMP\n%1\n#endif"))
end

-- The body of one section: the chosen shape's template on its plan. `fn` prefixes the entry
-- points it defines and `linkage` qualifies them ("static " behind a baked wrapper).
function M.render_section(l, sec, baked)
  local v = variables(l, sec.plan)
  v.baked = baked and sec.convention == "baked"
  v.fn, v.linkage, v.emit_pack = l.name, "", not baked
  if baked and sec.convention ~= "baked" then v.fn, v.linkage = l.name .. "_code", "static " end
  local shape = registry.shape(sec.shape)
  if shape.layout and not baked then v.pack_code = pack.c_body(sec.plan, shape.layout(sec.plan), v) end
  if shape.view then shape.view(v, sec.plan) end -- what the shape's template prints, computed
  if v.baked then
    v.run_params = "const float *input, float *output"
    v.baked_bias = l.bias and l.name .. "_bias" or "(const float *)0" -- the baked array, or none
  else
    v.run_params = string.format("const %s *input, const %s *weight, const %s *bias, %s *output", v.T, v.T, v.T, v.T)
  end
  return guard_pragmas(template.render(sec.template, v))
end

-- Baked arrays: PyTorch's layout for the scalar code, the packed order for vector code.
function M.baked_arrays(l, sec, weights, bias)
  if sec.convention == "baked" then
    local arrays = { c_array(l.name .. "_weight", weights) }
    if bias then arrays[2] = c_array(l.name .. "_bias", bias) end
    return table.concat(arrays, "\n")
  end
  local shape, packed = registry.shape(sec.shape), {}
  if shape.layout then
    packed = pack.evaluate(sec.plan, shape.layout(sec.plan), weights, bias)
  else -- a direct shape's run_packed reads the weights as they are, then the bias
    for i, v in ipairs(weights) do packed[i] = v end
    for _, v in ipairs(bias or {}) do packed[#packed + 1] = v end
  end
  return c_array(l.name .. "_packed", packed)
end

M.decode = decode

-- The vector types of plan p's ISA profile (include-guarded: one unit may hold several files):
-- the vector, its unaligned may_alias twin for loads and stores, the integer vector of its masks.
local function vector_prelude(p)
  local R, I = p.R, p.ES == 4 and "int" or "long long"
  local widen = ""
  if p.HALF then -- float16 / bfloat16: L elements widened to a vector (templates/half.c.in)
    widen = "\n\n" .. template.render("templates/half.c.in", { part = "vector", name = p.name, bfloat16 = p.HALF == "bfloat16",
                                                               L = p.L, VT = p.VT, fn = p.VT_WIDEN, nfn = p.VT_NARROW, H = p.P,
                                                               bytes16 = 2 * p.L, bytes32 = 4 * p.L }):gsub("\n$", "")
  end
  return table.concat({
    "#ifndef " .. p.VT_GUARD,
    "#define " .. p.VT_GUARD,
    string.format("/* %d %ss, one %s register; unaligned loads and stores through a may_alias type */",
                  p.L, R, p.profile.what),
    string.format("typedef %s %s __attribute__((vector_size(%d)));", R, p.VT, p.L * p.ES),
    string.format("typedef %s %s __attribute__((vector_size(%d), aligned(%d), may_alias));", R, p.VT_U,
                  p.L * p.ES, p.ES),
    string.format("typedef %s %s __attribute__((vector_size(%d)));", I, p.VT_I, p.L * p.ES),
    string.format("#define %s(p) (*(const %s *)(const void *)(p))", p.VT_LOAD, p.VT_U),
    string.format("#define %s(p, v) (*(%s *)(void *)(p) = (v))", p.VT_STORE, p.VT_U),
    "#endif" }, "\n") .. widen
end

-- The whole .c file of an answer (see emit.lua): sections under their guards, each with the
-- entry points its convention lacks, so every file offers pack, run_packed and run.
function M.render_file(l, answer, weights, bias)
  local v = variables(l, answer.sections[1].plan)
  v.answer = answer
  v.sections = {}
  for i, sec in ipairs(answer.sections) do
    v.sections[i] = { info = sec, body = M.render_section(l, sec, weights ~= nil),
                      arrays = weights and M.baked_arrays(l, sec, weights, bias) or nil,
                      weight_size = sec.plan.CIN * sec.plan.WC }
    if sec.vector then
      v.sections[i].prelude = vector_prelude(sec.plan)
      v.sections[i].act_vector = M.activation_code(l, "vector", false, sec.plan)
    end
  end
  v.baked = weights ~= nil
  v.code_fn = l.name .. "_code"
  v.act_scalar = M.activation_code(l, "scalar")
  -- an element copy; complex on its parts (tcc would call memmove for a struct copy)
  v.copy = function(dst, src)
    if v.complex then return string.format("{ %s.re = %s.re; %s.im = %s.im; }", dst, src, dst, src) end
    return string.format("%s = %s;", dst, src)
  end
  for _, s in ipairs(v.sections) do
    s.where = s.info.guard and " where " .. s.info.guard or (#v.sections > 1 and " elsewhere" or "")
    s.bias_copy = v.copy("packed[" .. s.weight_size .. "]", "bias[0]")
    s.bias_copy_i = v.copy("packed[" .. s.weight_size .. " + i]", "bias[i]")
    s.packed_bias = l.bias and "packed + " .. s.weight_size or "(const " .. v.T .. " *)0"
    s.baked_bias = l.bias and l.name .. "_packed + " .. s.weight_size or "(const float *)0"
  end
  return template.render("templates/kernel_file.c.in", v)
end

-- The header of an answer.
function M.render_header(l, answer, baked)
  local v = variables(l, answer.sections[1].plan)
  local s = l.shapes -- as C lays the tensors out (params.c)
  local function numel(t) local n = 1; for _, d in ipairs(t) do n = n * d end; return n end
  v.answer = answer
  v.baked = baked
  v.NAME = l.name:upper()
  v.input_shape, v.weight_shape, v.output_shape = spec.dims(s.input), spec.dims(s.weight), spec.dims(s.output)
  v.bias_shape = s.bias and spec.dims(s.bias) or "none"
  if l.memory_format == "channels_last" then
    v.input_layout = l.batched and "(N, H, W, Cin), channels_last" or "(H, W, Cin), unbatched channels_last"
    v.output_layout = l.batched and "(N, Hout, Wout, Cout), channels_last" or "(Hout, Wout, Cout), unbatched channels_last"
  else
    v.input_layout = l.batched and "(N, Cin, H, W)" or "(Cin, H, W), unbatched"
    v.output_layout = l.batched and "(N, Cout, Hout, Wout)" or "(Cout, Hout, Wout), unbatched"
  end
  v.input_size, v.weight_size, v.output_size = numel(s.input), numel(s.weight), numel(s.output)
  -- element types of weight, bias and packed weights: the layer's, but TFLite's for int8
  v.TW, v.TB, v.TP = v.T, v.T, v.T
  v.weight_layout = "(Cin, Cout/groups, KH, KW)"
  if l.dtype == "int8" then
    v.TB, v.TP, v.quant = "int32_t", "int32_t", l.quantization
    v.weight_layout = "(Cout, KH, KW, Cin/groups), TFLite's OHWI"
  end
  v.bias_size = s.bias and numel(s.bias) or 0
  v.bias_note = l.bias and "   (Cout,)" .. (v.TB ~= v.T and " " .. v.TB or "") or "   (the layer has no bias; pass NULL)"
  v.packed_type = v.TP ~= v.T and v.TP .. " " or ""
  for _, sec in ipairs(answer.sections) do
    sec.where = sec.guard and ", where " .. sec.guard or (#answer.sections > 1 and ", elsewhere" or "")
  end
  v.macs = answer.macs
  v.flops = string.format("%.0f", spec.flops(l))
  if v.quant then
    v.quant_input_scale = string.format("%.9g", v.quant.input_scale)
    v.quant_output_scale = string.format("%.9g", v.quant.output_scale)
  end
  return template.render("templates/kernel.h.in", v)
end

-- A rough size of the compiled kernel for a Cortex-M4F at -Os, from what the code contains:
-- about 8 bytes per product written out (a load, a multiply-accumulate, a share of the weight
-- load), 10 per accumulator set up and stored, 60 per loop nest, plus the constants.
-- bench/results/firmware.md sets it beside measured sizes.
local function code_estimate(p, shape, baked)
  local code, constants = 0, baked and 4 * (p.CIN * p.COUT_G * p.KHW + (p.bias and p.COUT or 0)) or 0
  if shape == "phase_tables" then
    code = 400
    constants = constants + 4 * 2 * (#p.tables[1].k + #p.tables[2].k + p.SH + p.SW + 2)
  else
    for _, ph in ipairs(p.phases) do
      code = code + 40
      for _, r in ipairs(ph.regions) do
        code = code + 60
        if shape == "unrolled" then
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

function M.estimate(p, shape, baked)
  local code, constants = code_estimate(p, shape, baked)
  -- the RAM a call needs: the caller's input and output buffers (the kernel has no workspace
  -- and no static state; its stack is a few accumulators)
  local bytes = spec.DTYPES[p.layer.dtype].bytes
  local ram = (p.N * p.CIN * p.HW + p.N * p.COUT * p.OHW) * bytes
  return string.format("about %.1f KiB of code and %.1f KiB of constants (flash) and %.1f KiB of RAM for the " ..
                       "input and output buffers, on a Cortex-M4F at -Os", code / 1024, constants / 1024, ram / 1024)
end

return M
