-- plan.lua: the geometry every code shape shares (stride phases, their taps, border regions,
-- phase groups), computed once per layer; each shape (generator/shapes/) adds its own tiles.
--
-- Stride-phase decomposition: output row oh = q*s + r (phase r) receives kernel row k from
-- input row i = q + off exactly when (r + p - k*d) is a multiple of s, with
-- off = (r + p - k*d) / s. So each phase is a small dense convolution over the taps that
-- reach it, and no multiply ever touches an inserted zero. Within a phase, the rows q where
-- the same subset of taps is in bounds form one "class"; the class where every tap is in
-- bounds is the interior, and the others are the border, peeled into their own code.

local spec = require("spec")

local M = {}

-- One spatial dimension: phases, their taps, and (when classes) their classes of q.
-- I input size, O output size, s stride, p padding, d dilation, k kernel size. O(s + k) for the
-- taps; the classes cost about taps^2 per phase, so huge kernels skip them (the compact plan).
local function dimension(I, O, s, p, d, k, classes_wanted)
  local phases = {}
  for r = 0, s - 1 do phases[r + 1] = { r = r, taps = {}, Q = r < O and (O - 1 - r) // s + 1 or 0 } end
  for kk = 0, k - 1 do
    local r = (kk * d - p) % s -- the one phase where (r + p - kk*d) is a multiple of s
    local taps = phases[r + 1].taps
    taps[#taps + 1] = { k = kk, off = (r + p - kk * d) // s }
  end
  for _, ph in ipairs(phases) do
    -- rows where every tap lands inside the input, or nil
    if #ph.taps > 0 then
      local lo, hi = 0, ph.Q - 1
      for _, t in ipairs(ph.taps) do lo, hi = math.max(lo, -t.off), math.min(hi, I - 1 - t.off) end
      if lo <= hi then ph.interior = { lo, hi } end
    end
  end
  if not classes_wanted then return phases end
  for _, ph in ipairs(phases) do
    local Q, taps = ph.Q, ph.taps
    -- validity of a tap changes only where q + off crosses 0 or I
    local cuts = { [0] = true, [Q] = true }
    for _, t in ipairs(taps) do
      for _, c in ipairs({ -t.off, I - t.off }) do
        if c > 0 and c < Q then cuts[c] = true end
      end
    end
    local points = {}
    for c in pairs(cuts) do points[#points + 1] = c end
    table.sort(points)
    local classes = {}
    for i = 1, #points - 1 do
      local q0, q1 = points[i], points[i + 1] - 1
      local valid = {}
      for ti, t in ipairs(taps) do
        if q0 + t.off >= 0 and q0 + t.off < I then valid[#valid + 1] = ti end
      end
      local key = table.concat(valid, ",")
      local last = classes[#classes]
      if last and last.key == key then
        last.q1 = q1
      else
        classes[#classes + 1] = { q0 = q0, q1 = q1, valid = valid, key = key }
      end
    end
    ph.classes = classes
  end
  return phases
end

-- What one dimension contributes to the plan's size: classes, (class, tap) pairs, and the
-- in-bounds (output, tap) pairs (the multiply-adds per output channel and input channel).
-- Regions and products of the 2-D plan are the products of the two dimensions' figures.
local function dimension_size(phases, I)
  local classes, pairs_, macs = 0, 0, 0
  for _, ph in ipairs(phases) do
    for _, c in ipairs(ph.classes or {}) do
      classes = classes + 1
      pairs_ = pairs_ + #c.valid
    end
    for _, t in ipairs(ph.taps) do
      macs = macs + math.max(0, math.min(ph.Q, I - t.off) - math.max(0, -t.off))
    end
  end
  return classes, pairs_, macs
end

-- The largest plan the generator writes out region by region. Layers past it (huge kernels,
-- strides on both axes, kernels far larger than the input) get the compact plan: one loop nest
-- over the tap tables, whose size grows only with stride + kernel.
M.MAX_REGIONS = 4096       -- regions of code, each with its own loop nest
M.MAX_REGION_TAPS = 65536  -- (region, tap) pairs: statements of the stride-phase code
M.MAX_CLASS_WORK = 1 << 20 -- per dimension: taps x cuts, the work of finding the classes
M.MAX_C99_REGIONS = 256     -- with more than GROUP_MIN_PHASES stride phases, the C99 code's regions

-- Output-channel register tiles: as many tiles of `want` as fit, then one remainder tile.
local function channel_tiles(count, want)
  local size = math.min(want, count)
  local tiles = { { start = 0, count = count // size, size = size } }
  local rest = count % size
  if rest > 0 then tiles[2] = { start = (count // size) * size, count = 1, size = rest } end
  return tiles
end

M.CO_TILE = 4            -- output channels per register tile
M.FULL_UNROLL_CIN = 16   -- unroll = "full" unrolls the input-channel loop up to this many channels
M.TERMS = 16             -- products per statement: one expression keeps partial sums in registers

-- How a region walks its input channels: `step` channels per loop iteration, their products
-- (input offset x, weight offset w) in statements of at most M.TERMS terms.
local function channel_walk(p, taps)
  local step = p.CIN_G
  if not p.unroll_cin then
    step = 1
    for _, u in ipairs({ 8, 4, 2 }) do
      if p.CIN_G % u == 0 and u * #taps <= M.TERMS then step = u; break end
    end
  end
  local chunks, chunk = {}, {}
  for ci = 0, step - 1 do
    for _, tap in ipairs(taps) do
      chunk[#chunk + 1] = { x = ci * p.XC + tap.x, w = ci * p.WC + tap.w }
      if #chunk == M.TERMS then chunks[#chunks + 1] = chunk; chunk = {} end
    end
  end
  if #chunk > 0 then chunks[#chunks + 1] = chunk end
  return { step = step, iters = p.CIN_G // step, xstep = step * p.XC, wstep = step * p.WC, chunks = chunks }
end

-- The phases of one dimension with outputs: huge strides have far more phases than outputs.
local function with_outputs(phases)
  local out = {}
  for _, ph in ipairs(phases) do if ph.Q > 0 then out[#out + 1] = ph end end
  return out
end

-- The 2-D phase of row phase ph and column phase pw: every tap pair, and per pair of classes a
-- region with the taps in bounds there.
local function two_d_phase(p, ph, pw)
  -- taps (and T) count all_taps: T is what the packed-weight shapes call it
  local phase = { rh = ph.r, rw = pw.r, QH = ph.Q, QW = pw.Q, taps = #ph.taps * #pw.taps,
                  T = #ph.taps * #pw.taps, regions = {}, interior = { 0, 0 }, all_taps = {},
                  y0 = ph.r * p.YR + pw.r * p.YP, ys = p.SH * p.YR }
  for _, a in ipairs(ph.taps) do
    for _, b in ipairs(pw.taps) do
      phase.all_taps[#phase.all_taps + 1] = { kh = a.k, kw = b.k, x = a.off * p.XR + b.off * p.XP,
                                              w = a.k * p.KW + b.k, i = #phase.all_taps } -- i: 0-based
    end
  end
  for _, ch in ipairs(ph.classes) do
    for _, cw in ipairs(pw.classes) do
      local taps = {}
      for _, th in ipairs(ch.valid) do
        for _, tw in ipairs(cw.valid) do taps[#taps + 1] = phase.all_taps[(th - 1) * #pw.taps + tw] end
      end
      local rows, cols = ch.q1 - ch.q0 + 1, cw.q1 - cw.q0 + 1
      local r = { qh0 = ch.q0, qh1 = ch.q1, qw0 = cw.q0, qw1 = cw.q1, taps = taps,
                  outputs = rows * cols, interior = #taps == phase.taps and #taps > 0,
                  walk = channel_walk(p, taps) }
      if r.interior then phase.interior = { rows, cols } end
      phase.regions[#phase.regions + 1] = r
    end
  end
  -- a phase whose taps all fall outside the input in every region reads nothing
  for _, r in ipairs(phase.regions) do phase.reads = phase.reads or #r.taps > 0 end
  return phase
end

function M.build(l)
  local KH, KW = l.kernel_size[1], l.kernel_size[2]
  local p = {
    name = l.name, layer = l,
    N = l.batch, CIN = l.in_channels, COUT = l.out_channels, G = l.groups,
    CIN_G = l.in_channels // l.groups, COUT_G = l.out_channels // l.groups,
    H = l.in_h, W = l.in_w, OH = l.out_h, OW = l.out_w, KH = KH, KW = KW,
    SH = l.stride[1], SW = l.stride[2], bias = l.bias, threads = l.threads,
  }
  p.HW, p.OHW, p.KHW = p.H * p.W, p.OH * p.OW, KH * KW
  -- Element strides of a channel (C), a row (R) and a column (P) of input (X) and output (Y):
  -- NCHW, or NHWC for channels_last. Every offset the code shapes print is made of these.
  p.CL = l.memory_format == "channels_last" or nil
  if p.CL then
    p.XC, p.XR, p.XP, p.YC, p.YR, p.YP = 1, p.W * p.CIN, p.CIN, 1, p.OW * p.COUT, p.COUT
  else
    p.XC, p.XR, p.XP, p.YC, p.YR, p.YP = p.HW, p.W, 1, p.OHW, p.OW, 1
  end
  p.YSW = p.SW * p.YP -- between a phase's outputs along a row
  p.WC = p.COUT_G * p.KHW          -- weight stride between input channels
  p.WG = p.CIN_G * p.WC            -- weight stride between groups
  p.unroll_cin = l.unroll == "full" and p.CIN_G <= M.FULL_UNROLL_CIN
  -- the class search costs about (2 taps + 1) x taps per phase: bounded before it runs
  local class_work = 0
  for d, I in ipairs({ l.in_h, l.in_w }) do
    local k, s = l.kernel_size[d], l.stride[d]
    local per_phase = (k + s - 1) // s
    class_work = math.max(class_work, math.min(k, s) * (2 * per_phase + 1) * per_phase)
  end
  local classes_wanted = class_work <= M.MAX_CLASS_WORK
  p.dims = {
    dimension(l.in_h, l.out_h, l.stride[1], l.padding[1], l.dilation[1], KH, classes_wanted),
    dimension(l.in_w, l.out_w, l.stride[2], l.padding[2], l.dilation[2], KW, classes_wanted),
  }
  local classes_h, pairs_h, macs_h = dimension_size(p.dims[1], l.in_h)
  local classes_w, pairs_w, macs_w = dimension_size(p.dims[2], l.in_w)
  -- multiply-adds per call: every in-bounds tap of every output, all input channels of its group
  p.macs = macs_h * macs_w * p.N * p.CIN_G * p.COUT
  p.regions, p.region_taps = classes_h * classes_w, pairs_h * pairs_w
  if l.compact_reason then -- emit.lua: the written-out code would be too large
    p.compact = l.compact_reason
  elseif not classes_wanted then
    p.compact = string.format("kernel_size %dx%d with stride %dx%d: too many taps per phase to write out " ..
                              "region by region", KH, KW, p.SH, p.SW)
  elseif p.regions > M.MAX_REGIONS then
    p.compact = string.format("%d regions of code, over the %d the generator writes out", p.regions, M.MAX_REGIONS)
  elseif p.region_taps > M.MAX_REGION_TAPS then
    p.compact = string.format("%d (region, tap) pairs, over the %d the generator writes out",
                              p.region_taps, M.MAX_REGION_TAPS)
  end
  if not p.compact and p.SH * p.SW > M.GROUP_MIN_PHASES and p.regions > M.MAX_C99_REGIONS then
    -- the stride-phase code grows with stride^2 (an FCN head: megabytes of C); the vector
    -- shapes group the phases (group_phases), the C99 code takes the tap tables
    p.many_phases = string.format("%d stride phases and %d regions: the tap tables keep the C99 code small",
                                  p.SH * p.SW, p.regions)
  end
  p.co_tiles = channel_tiles(p.COUT_G, M.CO_TILE)
  for _, t in ipairs(p.co_tiles) do
    t.stop = t.start + t.count * t.size
    t.w_off = {}
    for j = 1, t.size do t.w_off[j] = (j - 1) * p.KHW end
  end

  p.phases = {}
  local row_phases = (p.compact or p.N == 0) and {} or with_outputs(p.dims[1])
  for _, ph in ipairs(row_phases) do
    for _, pw in ipairs(with_outputs(p.dims[2])) do p.phases[#p.phases + 1] = two_d_phase(p, ph, pw) end
  end

  -- the compact shape's tap tables, one per dimension
  p.tables = {}
  for d = 1, 2 do
    local t = { start = { 0 }, count = {}, k = {}, off = {} }
    for _, ph in ipairs(p.dims[d]) do
      for _, tap in ipairs(ph.taps) do
        t.k[#t.k + 1] = tap.k
        t.off[#t.off + 1] = tap.off
      end
      t.start[#t.start + 1] = #t.k
      t.count[#t.count + 1] = ph.Q
    end
    p.tables[d] = t
  end
  return p
end

-- Phase groups: phases whose code is the same but for the weights they read and where their
-- outputs go. With kernel = m x stride every phase of a dimension has m taps at the same input
-- offsets (and rows, and borders), so one function per group serves them all, called once per
-- member with its packed weights' offset (wo) and its outputs' (yo): the code no longer grows
-- with stride^2 (FCN heads: stride 32, kernel 64, 1024 phases in 4 groups, each of 4 taps).
M.GROUP_MIN_PHASES = 16 -- phases (SH x SW) above which the vector shapes group them
local function signature(ph)
  local parts = { ph.Q }
  for _, t in ipairs(ph.taps) do parts[#parts + 1] = t.off end
  parts[#parts + 1] = "|"
  for _, c in ipairs(ph.classes) do parts[#parts + 1] = c.q0 .. ":" .. c.q1 .. ":" .. c.key end
  return table.concat(parts, ",")
end
local function groups_of(phases)
  local groups, index = {}, {}
  for _, ph in ipairs(with_outputs(phases)) do
    local key = signature(ph)
    local g = index[key]
    if not g then
      g = { rep = ph, members = {} }
      index[key], groups[#groups + 1] = g, g
    end
    g.members[#g.members + 1] = ph
  end
  return groups
end

-- Rebuilds p.phases as phase groups (each phase's `members`: rh, rw, y0 and the kernel index w
-- of each of its taps in all_taps order; its y0 is the run-time "yo"). False, leaving p as it
-- was, for few phases or when the groups would still be too many regions.
function M.group_phases(p)
  if p.N == 0 or p.SH * p.SW <= M.GROUP_MIN_PHASES or not p.dims[1][1].classes then return false end
  local gh, gw = groups_of(p.dims[1]), groups_of(p.dims[2])
  local regions, pairs_ = 0, 0
  for _, a in ipairs(gh) do
    for _, b in ipairs(gw) do
      regions = regions + #a.rep.classes * #b.rep.classes
      pairs_ = pairs_ + #a.rep.classes * #b.rep.classes * #a.rep.taps * #b.rep.taps
    end
  end
  if regions > M.MAX_REGIONS or pairs_ > M.MAX_REGION_TAPS then return false end
  p.phases = {}
  for _, a in ipairs(gh) do
    for _, b in ipairs(gw) do
      local phase = two_d_phase(p, a.rep, b.rep)
      phase.y0, phase.members = "yo", {}
      for _, mh in ipairs(a.members) do
        for _, mw in ipairs(b.members) do
          local m = { rh = mh.r, rw = mw.r, y0 = mh.r * p.YR + mw.r * p.YP, w = {} }
          for _, t1 in ipairs(mh.taps) do
            for _, t2 in ipairs(mw.taps) do m.w[#m.w + 1] = t1.k * p.KW + t2.k end
          end
          phase.members[#phase.members + 1] = m
        end
      end
      p.phases[#p.phases + 1] = phase
    end
  end
  p.compact, p.grouped = nil, true
  return true
end

-- Lays out the packed weights of phases (grouped or not): each phase, or each member of a group,
-- `per_phase(phase)` elements from off on; a group's offset is the run-time "wo". Returns the end.
function M.pack_offsets(phases, off, per_phase)
  for _, phase in ipairs(phases) do
    if phase.members then
      phase.pack_off = "wo"
      for _, m in ipairs(phase.members) do
        m.pack_off = off
        off = off + per_phase(phase)
      end
    else
      phase.pack_off = off
      off = off + per_phase(phase)
    end
  end
  return off
end

-- The channels_last shapes' vectors (channel_dots, group_vectors): the widest, 16 bytes or
-- more, whose lanes divide n; nil when none does.
function M.lanes_dividing(p, n)
  local VL = p.L
  while VL * p.ES > 16 and n % VL ~= 0 do VL = VL // 2 end
  return n % VL == 0 and VL or nil
end

-- Positions per tile of region r: nr, but 2 for regions of few rows (the borders), so the code,
-- which grows with positions x taps, goes to the rows that do the work.
M.DOTS_MIN_ROWS = 4 -- rows of a region whose tiles take the full NR positions
function M.region_positions(r, nr)
  return r.qh1 - r.qh0 + 1 >= M.DOTS_MIN_ROWS and nr or math.min(nr, 2)
end

-- No padding and no dilation: each tap lands at its own offset of an input pixel's block
-- (matmul_shuffle, vector_matrix).
function M.plain_taps(l)
  return l.padding[1] == 0 and l.padding[2] == 0 and l.padding_end[1] == 0 and l.padding_end[2] == 0 and
         l.dilation[1] == 1 and l.dilation[2] == 1
end

-- The output channels of channel block cob (blocks of `block` in a group of count) a tile
-- stores, as C: the block, but fewer in a last block the channels do not fill.
function M.block_channels(count, block)
  if count % block == 0 then return tostring(block) end
  return string.format("%d - cob * %d < %d ? %d - cob * %d : %d", count, block, block, count, block, block)
end

-- The name prefix of a phase group's tables (packed offsets _wo, output offsets _yo, each
-- member's kernel indices _tw).
function M.group_id(p, phase) return p.name .. "_" .. phase.rh .. "_" .. phase.rw end

return M
