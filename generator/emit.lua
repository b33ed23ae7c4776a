-- emit.lua: the generator's one entry. A normalized layer and a target go in; everything the
-- caller needs comes out: source, header, the code shapes chosen and why, the calling
-- convention, the packed-weight size, a description. Every caller (gen, the tcc and cc tiers,
-- info, CUDA) dispatches on this answer.
--
-- Targets (what code, never which compiler: the runtime's backends choose their target, tcc
-- "scalar" and cc the host's profile): "portable" (ahead of time: the vector code of every ISA profile, each under
-- the compiler's own ISA macros, with the C99 code as the fallback in the same file), "avx512",
-- "avx2", "neon" (one profile's vector code alone, the C99 code where no vector shape fits),
-- "scalar" (the C99 code alone), "cuda". Firmware is a C target with baked weights.

local plan = require("plan")
local profiles = require("profiles")
local registry = require("registry")
local emit_c = require("emit_c")
local fold = require("fold")

local M = {}

local function section(l, name, p, why)
  local shape = registry.shape(name)
  return { shape = name, plan = p, why = why, template = shape.template, vector = shape.vector,
           convention = shape.convention, what = shape.what(p), features = shape.features and shape.features(p) or {} }
end

-- The C99 code: what the tcc tier, the scalar target and every fallback build.
local function scalar_section(l, weights)
  local p = plan.build(l)
  local shape, why = registry.first("c99", p, { baked = weights ~= nil, weights = weights })
  local s = section(l, shape.name, p, why)
  if weights then s.convention = "baked" end
  return s
end

-- The first vector shape that accepts the layer for ISA profile isa, or nil and why none did.
local function vector_section(l, baked, isa)
  local refused, p = {}, profiles.vector_profile(plan.build(l), isa) -- a refusing shape leaves the plan as it was
  plan.group_phases(p) -- very many phases: one function per group of phases alike
  if p.compact then return nil, "the compact plan: " .. p.compact end
  local order = registry.LISTS.vector
  for _, name in ipairs(order) do
    local shape = registry.shape(name)
    local dtype_refusal = registry.dtype_refusal(shape, p)
    if dtype_refusal then
      refused[#refused + 1] = name .. ": " .. dtype_refusal
    elseif shape.vector or not baked then
      local ok, why_not = shape.accepts(p, { baked = baked })
      if ok then
        local why = name .. " is the first shape of " .. table.concat(order, ", ") .. " to accept the layer"
        if #refused > 0 then why = why .. " (" .. table.concat(refused, "; ") .. ")" end
        return section(l, name, p, why)
      end
      refused[#refused + 1] = name .. ": " .. why_not
    end
  end
  return nil, "no vector shape accepts the layer (" .. table.concat(refused, "; ") .. ")"
end

M.PORTABLE_MAX_REGIONS = 256 -- past it a portable file carries one profile's vector code

M.TARGETS = { portable = true, avx512 = true, avx2 = true, neon = true, scalar = true, cuda = true }

-- The sections of a C file for target: a list, the first the one a host with the ISA runs.
local function choose(l, target, weights)
  if target == "scalar" then return { scalar_section(l, weights) } end
  if target ~= "portable" then
    local vec, why_not = vector_section(l, weights ~= nil, target)
    if vec then return { vec } end
    local s = scalar_section(l, weights)
    s.why = why_not
    return { s }
  end
  -- portable: each profile's vector code where the compiler targets its ISA, in the order of
  -- profiles.PROFILE_ORDER, the C99 code elsewhere. A plan of very many regions (huge strides:
  -- FCN heads) keeps the first profile's alone, so the file stays a few times the C99 code's.
  local sections, why_nots, fallback = {}, {}, scalar_section(l, weights)
  local isas = profiles.PROFILE_ORDER
  if fallback.plan.regions > M.PORTABLE_MAX_REGIONS then isas = { isas[1] } end
  for _, isa in ipairs(isas) do
    local vec, why_not = vector_section(l, weights ~= nil, isa)
    if vec and not vec.vector then return { vec } end -- plain C (vector_matrix): one section serves all
    if vec then
      vec.guard = profiles.PROFILES[isa].guard
      sections[#sections + 1] = vec
    else
      why_nots[#why_nots + 1] = isa .. ": " .. why_not
    end
  end
  if #sections == 0 then fallback.why = why_nots[1]:gsub("^avx512: ", "") end
  sections[#sections + 1] = fallback
  return sections
end

-- Elements of the packed weights a section's pack writes (its run_packed reads): a packed
-- shape's own layout, else the weights and then the bias as PyTorch stores them.
local function packed_size(sec)
  local p = sec.plan
  if sec.convention == "packed" then return p.packed_size end
  return p.CIN * p.WC + (p.bias and p.COUT or 0)
end

-- The answer for layer l and target, whatever its size (M.kernel bounds it); weight_bytes/
-- bias_bytes (raw float32, or nil) bake them in.
local function unbounded_kernel(l, target, weight_bytes, bias_bytes)
  if not M.TARGETS[target] then error("unknown target " .. tostring(target), 0) end
  if target == "cuda" then
    local cuda = require("emit_cuda")
    return { target = "cuda", shape = "cuda_phases", convention = "direct", packed_size = 0, features = {},
             why = "one CUDA kernel per row phase", description = "CUDA: one kernel per output row phase",
             estimate = "", source = fold.source(cuda.source(l)), header = fold.source(cuda.header(l)),
             launches = cuda.launches(l) }
  end
  if l.dtype == "int8" then
    local int8 = require("emit_int8")
    local function ints(bytes, fmt, size)
      if bytes == nil then return nil end
      local out = {}
      for i = 1, #bytes // size do out[i] = string.unpack(fmt, bytes, size * i - size + 1) end
      return out
    end
    local a = int8.kernel(l, target, ints(weight_bytes, "<i1", 1), ints(bias_bytes, "<i4", 4), emit_c.summary(l))
    a.header = emit_c.render_header(l, a, a.baked)
    a.source = fold.source(a.source)
    return a
  end
  if weight_bytes ~= nil and l.dtype ~= "float32" then
    error(string.format("baked weights are float32 only; the layer is %s (generate it without weights)", l.dtype), 0)
  end
  local weights, bias = emit_c.decode(weight_bytes, "weight"), emit_c.decode(bias_bytes, "bias")
  local sections = choose(l, target, weights)
  local a = { target = target, sections = sections }
  local first, last = sections[1], sections[#sections]
  a.shape, a.why, a.convention, a.features = first.shape, first.why, first.convention, first.features
  a.fallback = #sections > 1 and last.shape or nil
  a.baked = weights ~= nil
  a.packed_size = 0
  for _, sec in ipairs(sections) do
    sec.packed_size = packed_size(sec)
    a.packed_size = math.max(a.packed_size, sec.packed_size)
  end
  if a.baked then a.convention = "baked" end
  a.macs = last.plan.macs
  local lines = {}
  for _, sec in ipairs(sections) do
    lines[#lines + 1] = string.format("%s (%s)%s", sec.shape, sec.what,
                                      sec.guard and " where " .. sec.guard or (#sections > 1 and " elsewhere" or ""))
  end
  a.description = table.concat(lines, "; then ")
  a.source = fold.source(emit_c.render_file(l, a, weights, bias))
  a.header = emit_c.render_header(l, a, a.baked)
  a.estimate = emit_c.estimate(last.plan, last.shape, a.baked)
  return a
end

-- The most C the generator hands a compiler: past it a compiler takes minutes and gigabytes
-- (a complex128 layer at unroll = full wrote 33 MB). A larger file is made again smaller: at
-- unroll = none first, then with the compact plan (tap tables; its size grows only with
-- stride + kernel), and the answer's why says so.
M.MAX_SOURCE = 1 << 20

local function with(l, key, value)
  local copy = {}
  for k, v in pairs(l) do copy[k] = v end
  copy[key] = value
  return copy
end

-- The answer for layer l and target, in at most M.MAX_SOURCE bytes of C.
function M.kernel(l, target, weight_bytes, bias_bytes)
  local a = unbounded_kernel(l, target, weight_bytes, bias_bytes)
  -- C only: CUDA has its own tap limit, int8 its own tables, and a compact plan is as small as it gets
  if target == "cuda" or l.dtype == "int8" or l.compact_reason or #a.source <= M.MAX_SOURCE then return a end
  local over = string.format("%d bytes of C at unroll = %s, over the %d the generator hands a compiler",
                             #a.source, l.unroll, M.MAX_SOURCE)
  if l.unroll ~= "none" then
    local b = unbounded_kernel(with(l, "unroll", "none"), target, weight_bytes, bias_bytes)
    if #b.source <= M.MAX_SOURCE then
      b.why, b.description = over .. "; made at unroll = none: " .. b.why, b.description .. " (" .. over .. ")"
      return b
    end
  end
  local c = unbounded_kernel(with(l, "compact_reason", over), target, weight_bytes, bias_bytes)
  c.description = c.description .. " (" .. over .. ")"
  return c
end

-- What `convtgen info` shows of the plan and of the code each target gets.
function M.describe(l)
  local p = plan.build(l)
  local stride_phase = registry.shape("phases").accepts(p, {})
  local out = { string.format("plan  (%s code, unroll = %s)", stride_phase and "stride-phase" or "phase-table",
                              l.unroll) }
  local bias_only = 0
  for _, ph in ipairs(p.phases) do if ph.taps == 0 then bias_only = bias_only + 1 end end
  if p.compact then out[#out + 1] = "  compact: " .. p.compact end
  for i, ph in ipairs(p.phases) do
    if i > 64 then
      out[#out + 1] = string.format("  ... and %d more phases", #p.phases - 64)
      break
    end
    local border, regions = 0, #ph.regions
    for _, r in ipairs(ph.regions) do
      if not r.interior then border = border + r.outputs end
    end
    out[#out + 1] = string.format("  phase (%d, %d)  %2d taps  %dx%d outputs  interior %dx%d  " ..
      "border %d outputs  %d regions", ph.rh, ph.rw, ph.taps, ph.QH, ph.QW, ph.interior[1],
      ph.interior[2], border, regions)
  end
  out[#out + 1] = string.format("  phases %d (%d bias-only), multiply-adds %d", #p.phases, bias_only, p.macs)
  out[#out + 1] = "code  (what each target builds)"
  -- the tcc tier builds the scalar target, the cc tier the host's profile
  local host = CONVTGEN_HOST_ISA or "scalar"
  for _, row in ipairs({ { "tcc", "scalar" }, { "cc", host }, { "portable", "portable" }, { "scalar", "scalar" } }) do
    local name, target = row[1], row[2]
    local a = M.kernel(l, target)
    out[#out + 1] = string.format("  %-9s %s; %d bytes of C", name, a.description, #a.source)
    if name == "cc" then
      out[#out + 1] = "            isa: " .. a.target .. " (this host's profile)"
      out[#out + 1] = "            why: " .. a.why
    end
  end
  return table.concat(out, "\n") .. "\n"
end

return M
