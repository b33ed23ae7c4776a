-- pack.lua: a packed-weight layout, described once by its shape (shape.layout(p)) and used
-- twice: printed as the C of NAME_pack, and evaluated here for baked weights. One source of
-- truth for the order run_packed reads.
--
-- A layout is a list of nests. A nest is a loop nest (loops: { {var, count}, ... }, outer
-- first) that writes one element per iteration:
--   packed[base + dst] = src, where dst is affine in the loop variables ({ var = coefficient })
--   src = "weight": weight[ci * WC + co * KHW + tap], ci (the global input channel) and co (the
--         output channel within its group) affine, tap affine or taps[i] (taps: kernel indices)
--   src = "bias": bias[g * COUT_G + co] (g: the variable "g", absent in the loops for 0)
--   zero where co >= limit (channel blocks padded past the group's channels), or without a bias
-- base: a number, or for a phase group (member = { count, id, T }) each member's offset from
-- the group's _wo table and its taps from _tw. unit "R": packed real parts, a complex element's
-- imaginary part `parts` elements after its real part; unit "T": whole elements.
--
-- int8 layouts (TFLite's OHWI weights, int32 words) use the same nests with:
--   windex: the weight index as an affine form (tap times tap_k added), in place of ci and co;
--   unit "i32" (packed int32 words) or "i8" (bytes of the packed buffer);
--   src = "pair": the int16 pair (weight[idx + hi] << 16) | (weight[idx] & 0xffff) in one word;
--   src = "start": bias[co] - zero_point * the sum of weight[idx + tap * tap_k + ci] over
--         ci < sum_ci and the taps of the loop variable `item`'s entry in items (each a list of
--         kernel indices), wrapping at 32 bits as TFLite's int32 sums do;
--   src = "bias": bias[co] (0 without a bias); src = "zero": 0;
--   guard: a preprocessor condition the nest is compiled under ("X"; "!X" is its #else);
--   part: which baked array the nest belongs to (evaluate's part).

local plan = require("plan")

local M = {}

-- An affine form's value at the loop variables' values vals.
local function value(form, vals)
  local v = form.const or 0
  for var, k in pairs(form) do
    if var ~= "const" then v = v + k * (vals[var] or 0) end
  end
  return v
end

-- form scaled by k, plus the terms of extra (both affine).
function M.combine(form, k, extra)
  local out = {}
  for var, c in pairs(form) do out[var] = (out[var] or 0) + c * k end
  for var, c in pairs(extra or {}) do out[var] = (out[var] or 0) + c end
  return out
end

-- A nest's source weight index as one affine form plus the tap (number, form or table index).
local function weight_form(p, n)
  local f = M.combine(n.ci, p.WC, nil)
  return M.combine(n.co, p.KHW, f)
end

-- Every iteration of a nest: fn(vals) with vals[var] for each loop variable.
local function iterate(loops, fn)
  local vals = {}
  local function level(d)
    if d > #loops then return fn(vals) end
    local var, count = loops[d][1], loops[d][2]
    for v = 0, count - 1 do
      vals[var] = v
      level(d + 1)
    end
  end
  level(1)
end

local function wrap32(v)
  v = v % 4294967296
  if v >= 2147483648 then v = v - 4294967296 end
  return math.tointeger(v)
end

-- The value an int8 nest writes at one iteration (tap: the kernel index, or nil).
local function int8_value(n, vals, weights, bias, tap)
  if n.src == "zero" then return 0 end
  if n.src == "bias" then return bias and bias[value(n.co, vals) + 1] or 0 end
  local idx = value(n.windex, vals) + (tap or 0) * (n.tap_k or 0)
  if n.src == "pair" then
    return wrap32((weights[idx + n.hi + 1] << 16) | (weights[idx + 1] & 0xffff))
  elseif n.src == "start" then
    local s = bias and bias[value(n.co, vals) + 1] or 0
    for _, k in ipairs(n.items[vals.item + 1]) do
      for ci = 0, n.sum_ci - 1 do s = s - n.zero_point * weights[idx + k * n.tap_k + ci + 1] end
    end
    return wrap32(s)
  end
  return weights[idx + 1]
end

-- Baked weights (plain lists in PyTorch's layout, or TFLite's for int8; 1-based; float32, so no
-- parts) in the layout's order: the list a C NAME_pack would write; with part, only the nests of
-- that part (an int8 layout's parts are compiled under different guards).
function M.evaluate(p, layout, weights, bias, part)
  local out = {}
  for _, n in ipairs(layout) do
    if part and n.part ~= part then goto next_nest end
    local bases = { { base = n.base, taps = n.taps } }
    if n.member then
      bases = {}
      for _, m in ipairs(n.member.list) do bases[#bases + 1] = { base = m.pack_off, taps = m.w } end
    end
    for _, b in ipairs(bases) do
      iterate(n.loops, function(vals)
        local co = n.co and value(n.co, vals) or 0
        local x = 0.0
        if n.unit == "i32" or n.unit == "i8" then
          x = int8_value(n, vals, weights, bias, b.taps and b.taps[vals.i + 1])
        elseif n.src == "weight" and (not n.limit or co < n.limit) then
          local tap = b.taps and b.taps[vals.i + 1] or value(n.tap, vals)
          x = weights[value(weight_form(p, n), vals) + tap + 1]
        elseif n.src == "bias" and bias and (not n.limit or co < n.limit) then
          x = bias[(vals.g or 0) * p.COUT_G + co + 1]
        end
        out[b.base + value(n.dst, vals) + 1] = x
      end)
    end
    ::next_nest::
  end
  return out
end

-- form as C over the nest's loops: "g * 288 + ci * 9 + 4", the largest strides first; variables
-- of one-iteration loops (always 0) and zero terms left out, a coefficient of 1 unwritten.
local function c_affine(form, loops, tail)
  local used = {}
  for i, l in ipairs(loops) do
    local k = form[l[1]]
    if k and k ~= 0 and l[2] > 1 then used[#used + 1] = { var = l[1], k = k, i = i } end
  end
  table.sort(used, function(a, b) if a.k ~= b.k then return a.k > b.k end return a.i < b.i end)
  local terms = {}
  for _, u in ipairs(used) do terms[#terms + 1] = u.k == 1 and u.var or u.var .. " * " .. u.k end
  local const = form.const or 0
  if tail then terms[#terms + 1] = tail end
  if const ~= 0 or #terms == 0 then terms[#terms + 1] = tostring(const) end
  return (table.concat(terms, " + "):gsub("%+ %-", "- "))
end

-- C integer literals, 12 to a line, for a static table inside NAME_pack.
local function int_table(ctype, name, values, indent)
  local lines = { string.format("%sstatic const %s %s[%d] = {", indent, ctype, name, #values) }
  for i = 1, #values, 12 do
    lines[#lines + 1] = indent .. "  " .. table.concat(values, ", ", i, math.min(i + 11, #values)) .. ","
  end
  lines[#lines + 1] = indent .. "};"
  return table.concat(lines, "\n")
end

-- The C expression an int8 nest stores (idx: the weight index as C; "start" is c_body's).
local function int8_source(p, n, idx, loops, tap)
  if n.src == "zero" then return "0" end
  if n.src == "bias" then return p.bias and "bias[" .. c_affine(n.co, loops) .. "]" or "0" end
  if n.src == "pair" then
    local hi = c_affine(M.combine(n.windex, 1, { const = n.hi }), loops, tap)
    return string.format("(int32_t)(((uint32_t)weight[%s] << 16) | ((uint32_t)weight[%s] & 0xffffu))", hi, idx)
  end
  return "weight[" .. idx .. "]"
end

-- The body of NAME_pack(weight, bias, packed) for layout; t: the element type's spellings
-- (emit_c.types), p the plan.
function M.c_body(p, layout, t)
  local out = {}
  local function line(depth, text) out[#out + 1] = string.rep("  ", depth) .. text end
  local parts = false
  for _, n in ipairs(layout) do parts = parts or (n.unit == "R" and t.complex) end
  if parts then line(1, string.format("%s *pr = (%s *)packed;", t.R, t.R)) end
  local guard
  for _, n in ipairs(layout) do
    if n.guard ~= guard then
      local g = n.guard and n.guard:gsub("^!", "")
      if guard and n.guard == "!" .. guard then out[#out + 1] = "#else"
      else
        if guard then out[#out + 1] = "#endif" end
        if n.guard then out[#out + 1] = "#if " .. g end
      end
      guard = n.guard
    end
    local loops, depth = {}, 1
    if n.comment then line(1, "/* " .. n.comment .. " */") end
    local open = 0
    local base, tap
    if n.member then
      line(depth, string.format("for (int m = 0; m < %d; m++) {", #n.member.list))
      depth, open = depth + 1, open + 1
      base = string.format("%s_wo[m]", n.member.id)
      -- (a one-tap phase has no tap loop: its i is always 0)
      tap = n.member.T == 1 and string.format("%s_tw[m]", n.member.id) or
            string.format("%s_tw[m * %d + i]", n.member.id, n.member.T)
    else
      base = n.base ~= 0 and tostring(n.base) or nil
      if n.taps then
        if #n.taps == 1 then
          tap = n.taps[1] ~= 0 and tostring(n.taps[1] * (n.tap_k or 1)) or nil
        else
          line(depth, "{")
          line(depth + 1, string.format("static const int taps[%d] = { %s };", #n.taps, table.concat(n.taps, ", ")))
          depth, open = depth + 1, open + 1
          tap = (n.tap_k or 1) == 1 and "taps[i]" or "taps[i] * " .. n.tap_k
        end
      end
    end
    if n.items then
      local starts, ks = { 0 }, {}
      for _, list in ipairs(n.items) do
        for _, k in ipairs(list) do ks[#ks + 1] = k end
        starts[#starts + 1] = #ks
      end
      line(depth, "{")
      out[#out + 1] = int_table("int32_t", "start", starts, string.rep("  ", depth + 1))
      out[#out + 1] = int_table("int16_t", "taps", #ks > 0 and ks or { 0 }, string.rep("  ", depth + 1))
      depth, open = depth + 1, open + 1
    end
    for _, l in ipairs(n.loops) do
      if l[2] > 1 then
        line(depth, string.format("for (int %s = 0; %s < %d; %s++)", l[1], l[1], l[2], l[1]))
        depth = depth + 1
      end
      loops[#loops + 1] = l
    end
    if n.tap then tap = c_affine(n.tap, loops) end
    local dst = c_affine(n.dst, loops, base)
    if n.unit == "i32" or n.unit == "i8" then
      local idx = n.windex and c_affine(n.windex, loops, tap)
      if n.src == "start" then
        local item = (#n.items > 1) and "item" or "0"
        line(depth, "{")
        line(depth + 1, string.format("uint32_t s = %s;", p.bias and "(uint32_t)bias[" .. c_affine(n.co, loops) .. "]" or "0u"))
        if n.zero_point ~= 0 then
          line(depth + 1, string.format("for (int t = start[%s]; t < start[%s + 1]; t++)", item, item))
          line(depth + 2, string.format("for (int ci = 0; ci < %d; ci++) s -= (uint32_t)(%d * weight[%s + taps[t] * %d + ci]);",
                                        n.sum_ci, n.zero_point, idx, n.tap_k))
        end
        line(depth + 1, string.format("packed[%s] = (int32_t)s;", dst))
        line(depth, "}")
      elseif n.unit == "i8" then
        line(depth, string.format("((int8_t *)(void *)packed)[%s] = %s;", dst, int8_source(p, n, idx, loops, tap)))
      else
        line(depth, string.format("packed[%s] = %s;", dst, int8_source(p, n, idx, loops, tap)))
      end
    else
      local co = n.co and c_affine(n.co, loops) or "0"
      local guard_co = n.limit and (co .. " < " .. n.limit .. " ? ") or nil
      local zero = t.half and "0" or n.unit == "R" and t.zero_r or (t.complex and "(" .. t.T .. ")" .. t.zero or t.zero)
      local src
      if n.src == "weight" then
        src = "weight[" .. c_affine(weight_form(p, n), loops, tap ~= "0" and tap or nil) .. "]"
      elseif n.src == "bias" and p.bias then
        src = "bias[" .. c_affine(M.combine({ g = p.COUT_G }, 1, n.co), loops) .. "]"
      end
      local function store(at, part)
        local x = src and (part and src .. "." .. part or src)
        if not x then return at .. " = " .. zero .. ";" end
        return at .. " = " .. (guard_co and guard_co .. x .. " : " .. zero or x) .. ";"
      end
      if n.unit == "R" and t.complex then
        line(depth, "{")
        line(depth + 1, store("pr[" .. dst .. "]", "re"))
        line(depth + 1, store("pr[" .. dst .. " + " .. n.parts .. "]", "im"))
        line(depth, "}")
      else
        line(depth, store("packed[" .. dst .. "]"))
      end
    end
    for d = open, 1, -1 do line(d, "}") end
  end
  if guard then out[#out + 1] = "#endif" end
  if not p.bias then line(1, "(void)bias;") end
  return table.concat(out, "\n")
end

-- Every phase of plan p with taps (grouped or not) as the part of a nest that says where it
-- goes: base and taps, or member (the group's members, their _wo/_tw tables).
function M.phases(p)
  local out = {}
  for _, phase in ipairs(p.phases) do
    if phase.T > 0 then
      local e = { phase = phase }
      if phase.members then
        e.member = { list = phase.members, id = plan.group_id(p, phase), T = phase.T }
        e.comment = string.format("the %d phases like (%d, %d): %d taps each", #phase.members, phase.rh, phase.rw, phase.T)
      else
        e.base, e.taps = phase.pack_off, {}
        for i, tp in ipairs(phase.all_taps) do e.taps[i] = tp.w end
        e.comment = string.format("phase (%d, %d): %d taps", phase.rh, phase.rw, phase.T)
      end
      out[#out + 1] = e
    end
  end
  return out
end

return M
