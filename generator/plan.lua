-- plan.lua: the code-shape decisions for one normalized layer, made once at generation time.
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
M.MAX_BAKED_TERMS = 1 << 20 -- products written out by unroll = "full" with baked weights
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
    shape = (l.unroll == "none") and "phase_tables" or "phases",
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
    p.shape = "phase_tables"
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
  if p.compact then p.shape = "phase_tables" end
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
local function pack_offsets(phases, off, per_phase)
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

-- The vector shapes below are written with GCC/Clang vector extensions, for every dtype, sized
-- by an ISA profile: a vector width (bytes) and the tile budgets that keep each shape's inner
-- loop in its registers (AVX-512 and NEON 32, AVX2 16): accumulators + the vectors it loads +
-- one broadcast.
-- Each shape function accepts a layer or returns false, and when it accepts, sets on the plan
-- everything its template prints: tiles, register names, loads, masks.
--   acc, mv: phase_matmul's accumulators and vectors of output channels; shuffle_acc, shuffle_v:
--   matmul_shuffle's accumulators and input vectors; row_acc, row_wregs: row_vectors'
--   accumulators and weights held in registers; lane_fma: a multiply-add takes one lane of a
--   vector register (phase_matmul loads its inputs as vectors); tap_barrier: a compiler barrier
--   between phase_matmul's taps (row_tile_barrier: only in full tiles of one row); vregs: vector
--   registers; ci_unroll: phase_matmul's channel loop unrolled twice where a
--   tile has at most that many taps (the loop's own instructions, halved).
-- GCC 12 hoists the weight loads of a tile's taps ahead of their products, so phase_matmul
-- needs slack beyond its accumulators. AVX2's 6x2 tile (12 accumulators) spilled; 4x2 ran
-- 14-42% faster on dcgan_g2, g4, dilated_s1 and melgan_up8; 5x2 with a barrier between taps
-- was the best mix over those and unet_up1 (matmul_shuffle's 12 do not spill). NEON's 6x4 (24)
-- spilled too (dcgan_g2: 0.58 instructions per multiply-add under qemu-aarch64, 8x2 0.51);
-- 4x4 gives 0.38, with the barrier 0.33-0.36 on dcgan_g3/g4, dilated_s1 and melgan_up8, and
-- the unrolled channel loop takes unet_up1's single tap from 0.47 to 0.40.
M.PROFILES = {
  avx512 = { bytes = 64, vregs = 32, acc = 24, mv = 2, row_tile_barrier = true, shuffle_acc = 24, shuffle_v = 4, row_acc = 12, row_wregs = 16,
             guard = "defined(__GNUC__) && defined(__AVX512F__)", isa = "defined(__AVX512F__)", flags = "-mavx512f",
             what = "AVX-512" },
  avx2 = { bytes = 32, vregs = 16, acc = 10, tap_barrier = true, mv = 2, shuffle_acc = 12, shuffle_v = 2, row_acc = 8, row_wregs = 6,
           guard = "defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__)",
           isa = "defined(__AVX2__) && defined(__FMA__)", flags = "-mavx2 -mfma", what = "AVX2 with FMA" },
  neon = { bytes = 16, vregs = 32, acc = 16, mv = 4, shuffle_acc = 24, shuffle_v = 4, row_acc = 12, row_wregs = 16,
           lane_fma = true, tap_barrier = true, ci_unroll = 2, guard = "defined(__GNUC__) && defined(__aarch64__)",
           isa = "defined(__aarch64__)", flags = "an AArch64 compiler", what = "AArch64 NEON" },
}
M.PROFILE_ORDER = { "avx512", "avx2", "neon" }  -- the order a portable file tries them in
M.LINE_BYTES = 64
M.PF = 12  -- input channels ahead phase_matmul prefetches: rows over 2 KiB apart defeat the hardware stride prefetcher
M.NR_MAX = 16           -- positions per phase_matmul tile
M.ROW_BLOCK_BYTES = 512 * 1024  -- inputs a block of row tiles reads, kept in L2 across channel blocks

-- Sets the profile isa on plan p: lanes L per vector of the layer's real parts (spec.DTYPES),
-- positions LP per vector, the cache line in elements, and the names the templates print the
-- vector type with. Complex: phase_matmul packs each channel block's real and imaginary parts
-- into vectors of their own (a complex multiply-add is 4 vector FMAs); row_vectors and
-- matmul_shuffle work on the interleaved pairs as PyTorch stores them (x * wr + swap(x) *
-- (-wi, wi, ...)); vector_matrix writes the products out on the parts.
function M.vector_profile(p, isa)
  local prof, d = M.PROFILES[isa], spec.DTYPES[p.layer.dtype]
  local es = d.bytes // d.parts -- bytes of one real part
  p.profile, p.ES, p.R = prof, es, d.real
  p.CPX = d.parts == 2 or nil
  p.PARTS = d.parts
  p.L = prof.bytes // es
  p.LP = p.L // p.PARTS -- positions per vector
  if p.CPX then -- lane k of a vector: the real part of position k // 2, or its imaginary part
    local swap, sign = {}, {}
    for k = 0, p.L - 1 do
      swap[#swap + 1] = k % 2 == 0 and k + 1 or k - 1
      sign[#sign + 1] = k % 2 == 0 and "-1" or "1"
    end
    p.SWAP, p.SIGNS = table.concat(swap, ", "), table.concat(sign, ", ")
  end
  p.LINE = M.LINE_BYTES // (es * p.PARTS) -- in elements (complex: pairs)
  return M.vector_names(p)
end

-- The names the templates print plan p's vector type with (p.L lanes of p.ES bytes).
function M.vector_names(p)
  local vt = string.format("ctg_f%dx%d", p.ES * 8, p.L)
  p.VT = vt
  p.VT_U = vt .. "u"
  p.VT_I = string.format("ctg_i%dx%d", p.ES * 8, p.L)
  p.VT_LOAD, p.VT_STORE, p.VT_SELECT = vt:upper() .. "_LOAD", vt:upper() .. "_STORE", vt:upper() .. "_SELECT"
  p.VT_GUARD = vt:upper() .. "_DEFINED"
  return p
end

-- channel_dots (channels_last): few output channels per group (where phase_matmul's vectors of
-- output channels would be mostly empty: fsrcnn's 1, DCGAN's last 3). channels_last puts each
-- position's input channels side by side, so each output is a dot product over (tap, input
-- channel) in vectors of VL input channels: a tile of NR positions by all the group's output
-- channels in accumulators, each summed across its lanes once, at the end (a tree of shuffles).
-- Weights packed per phase and group as [channel vector][tap][output channel][VL lanes].
M.DOTS_MIN_WORK = 4 -- channel vectors x taps per output, at least: less leaves the lane sums the cost
M.DOTS_MAX_WRITTEN = 1200 -- taps x positions of the wide regions' tiles, at most
M.DOTS_MIN_ROWS = 4 -- rows of a region whose tiles take the full NR positions
-- The channels_last shapes' vectors: the widest, 16 bytes or more, whose lanes divide n; nil
-- when none does.
local function lanes_dividing(p, n)
  local VL = p.L
  while VL * p.ES > 16 and n % VL ~= 0 do VL = VL // 2 end
  return n % VL == 0 and VL or nil
end

-- Positions per tile of region r: nr, but 2 for regions of few rows (the borders), so the code,
-- which grows with positions x taps, goes to the rows that do the work.
local function region_positions(r, nr)
  return r.qh1 - r.qh0 + 1 >= M.DOTS_MIN_ROWS and nr or math.min(nr, 2)
end

function M.channel_dots(p)
  if not p.CL then return false, "contiguous (NCHW): a position's input channels lie apart" end
  if p.CPX or p.N == 0 then return false, "complex, or an empty batch" end
  local VL = lanes_dividing(p, p.CIN_G)
  if not VL then
    return false, string.format("input channels per group (%d) not a multiple of %d", p.CIN_G, 16 // p.ES)
  end
  local taps = 0
  for _, phase in ipairs(p.phases) do taps = math.max(taps, phase.T) end
  if (p.CIN_G // VL) * taps < M.DOTS_MIN_WORK then
    return false, "too few channel vectors x taps per output for the lane sums"
  end
  -- registers: NR x COUT_G accumulators, COUT_G weights and one input vector per position
  local regs = p.profile.vregs - 2
  local NR = (regs - p.COUT_G) // (p.COUT_G + 1)
  if NR < 1 then return false, "too many output channels per group for the registers" end
  p.shape, p.L, p.VL, p.CV = "channel_dots", VL, VL, p.CIN_G // VL
  M.vector_names(p)
  -- at most 8 positions a tile (region_positions: 2 at the borders, fsrcnn's 9x9 kernel), halved
  -- while the wide regions' tiles would write out over 1,200 tile positions x taps
  local full = math.min(NR, 8)
  local written = 0 -- at full width
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do
      local nr = region_positions(r, full)
      if r.qw1 - r.qw0 + 1 >= nr then written = written + #r.taps * nr end
    end
  end
  p.NR = full
  while p.NR > 2 and written * p.NR > M.DOTS_MAX_WRITTEN * full do p.NR = p.NR // 2 end
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do r.NR = region_positions(r, p.NR) end
  end
  -- the lane sum: a = a + shuffle(a) with lanes w apart, w = VL/2 .. 1; lane 0 ends with the sum
  p.hsum = {}
  local w = VL // 2
  while w >= 1 do
    local mask = {}
    for k = 0, VL - 1 do mask[#mask + 1] = k + w < VL and k + w or k end
    p.hsum[#p.hsum + 1] = table.concat(mask, ", ")
    w = w // 2
  end
  for _, phase in ipairs(p.phases) do
    phase.block = p.CIN_G * phase.T * p.COUT_G -- per group
    phase.cv_step = phase.T * p.COUT_G * VL    -- per channel vector
  end
  local off = pack_offsets(p.phases, 0, function(phase) return p.G * phase.block end)
  p.bias_off = off
  p.packed_size = off + p.COUT
  return true
end

-- Prefetch addresses for the input offsets a tile reads per input channel, one per 64-byte line
-- as far as the generator can tell (it does not know the base's alignment): each run of nearby
-- offsets gets its first, one every `line` elements after it, and its last.
function M.prefetch_offsets(offsets, line)
  table.sort(offsets)
  local out, kept = {}, nil
  for i, off in ipairs(offsets) do
    local last_of_run = i == #offsets or offsets[i + 1] > off + line
    if kept == nil or off >= kept + line or (last_of_run and off > kept) then
      out[#out + 1] = off
      kept = off
    end
  end
  return out
end

-- One tile of phase_matmul: nr positions along a row by rh rows, MV vectors of output channels.
local function phase_matmul_tile(p, phase, r, nr, rh)
  local t = { nr = nr, rh = rh, pos = {}, accs = {}, taps = {}, stores = {} }
  local reads = {}
  for rr = 0, rh - 1 do
    for jj = 0, nr - 1 do t.pos[#t.pos + 1] = { x = rr * p.XR + jj * p.XP, y = rr * phase.ys + jj * p.YSW } end
  end
  -- complex: accumulators a (real parts) and i (imaginary), weights w (real) and u (imaginary)
  for j = 0, #t.pos - 1 do
    local row = {}
    for m = 0, p.MV - 1 do row[#row + 1] = { "a" .. m .. "_" .. j, "b" .. m } end
    if p.CPX then for m = 0, p.MV - 1 do row[#row + 1] = { "i" .. m .. "_" .. j, "c" .. m } end end
    t.accs[#t.accs + 1] = row
  end
  for _, tap in ipairs(r.taps) do
    local step = { weights = {}, products = {} }
    for m = 0, p.MV - 1 do
      step.weights[#step.weights + 1] = { "w" .. m .. "_" .. tap.i, tap.i * p.MR * p.PARTS + p.L * m }
      if p.CPX then
        step.weights[#step.weights + 1] = { "u" .. m .. "_" .. tap.i, tap.i * p.MR * 2 + p.MR + p.L * m }
      end
    end
    for j, pos in ipairs(t.pos) do
      -- { accumulator, weight } per vector; complex adds the imaginary accumulator and weight
      local uses = {}
      for m = 0, p.MV - 1 do
        local a, w = "a" .. m .. "_" .. (j - 1), "w" .. m .. "_" .. tap.i
        uses[#uses + 1] = p.CPX and { a, w, "i" .. m .. "_" .. (j - 1), "u" .. m .. "_" .. tap.i } or { a, w }
      end
      -- lane_fma profiles: L consecutive positions of a row as one vector load, each lane a
      -- multiply-add by element (NEON's fmla v, w, x.s[k]); only whole vectors, never past a row
      local jj = (j - 1) % nr
      local group = p.profile.lane_fma and not p.CPX and not p.CL and jj % p.L == 0 and jj + p.L <= nr
      local last = step.products[#step.products]
      if group then
        step.products[#step.products + 1] = { x = tap.x + pos.x, lanes = { uses } }
      elseif last and last.lanes and #last.lanes < p.L then
        last.lanes[#last.lanes + 1] = uses
      else
        step.products[#step.products + 1] = { x = tap.x + pos.x, uses = uses }
      end
      reads[#reads + 1] = tap.x + pos.x
    end
    t.taps[#t.taps + 1] = step
  end
  for j = 0, #t.pos - 1 do
    for m = 0, p.MV - 1 do
      t.stores[#t.stores + 1] = { j = j, lane0 = p.L * m, acc = "a" .. m .. "_" .. j, im = p.CPX and "i" .. m .. "_" .. j }
    end
  end
  -- NCHW's channel planes lie far apart (the hardware prefetcher misses them); channels_last
  -- reads each position's channels in order
  t.prefetch = p.CL and {} or M.prefetch_offsets(reads, p.LINE)
  for i, off in ipairs(t.prefetch) do t.prefetch[i] = M.PF * p.HW + off end
  -- AVX-512: the barrier only for (nearly) full tiles of one row (melgan_up8 +30%, dilated_s1 +18%);
  -- smaller or several-row tiles lost 3-9% with it (dcgan_g2-g4), their taps reusing inputs
  local one_row_barrier = p.profile.row_tile_barrier and rh == 1 and #t.pos * p.MV * p.PARTS >= p.profile.acc - 4
  t.tap_barrier = (p.profile.tap_barrier or one_row_barrier) and #r.taps > 1
  t.unroll_ci = p.profile.ci_unroll and #r.taps <= p.profile.ci_unroll and p.CIN_G > 1
  return t
end

-- phase_matmul: each stride phase a matrix product of packed weights (a block of MR output
-- channels, MV vectors of L) by input positions (NR along a row), accumulated in vector registers
-- over input channels x taps. Rejects layers it suits poorly (few output channels, or padding
-- a channel block would waste more than a quarter of the work).
function M.phase_matmul(p)
  if p.N == 0 or p.COUT_G < 16 then return false, "fewer than 16 output channels per group" end
  -- blocks of whole vectors that the channels fill to three quarters or more (half, channels_last
  -- or with phase groups, where the other shapes are scalar code: FCN's 21 channels in two blocks
  -- of 16); of those, the fewest padded channels, then the widest
  -- (33 channels: three blocks of 16, not two of 32)
  local MV, MR, COB
  local waste = (p.CL or p.grouped) and 2 or 1.25
  for mv = p.profile.mv, 1, -1 do
    local mr = p.L * mv
    local cob = (p.COUT_G + mr - 1) // mr
    if mr <= p.COUT_G and cob * mr <= waste * p.COUT_G and (not MV or cob * mr < COB * MR) then
      MV, MR, COB = mv, mr, cob
    end
  end
  if not MV then return false, "channel blocks of whole vectors would waste too much of the work" end
  p.shape = "phase_matmul"
  p.MR, p.MV, p.COB = MR, MV, COB
  p.NR = math.min(M.NR_MAX, p.profile.acc // (MV * p.PARTS))
  for _, phase in ipairs(p.phases) do
    phase.block = p.CIN_G * phase.T * MR * p.PARTS -- packed real parts per (group, channel block)
  end
  local off = pack_offsets(p.phases, 0, function(phase) return p.G * COB * phase.block end)
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do
      local width = r.qw1 - r.qw0 + 1
      -- tiles as even as the width allows (64 = 5 x 11 + 9 rather than 5 x 12 + 4): a narrow
      -- remainder tile runs the same loop for few positions
      local tiles = (width + p.NR - 1) // p.NR
      r.NR = (width + tiles - 1) // tiles
      r.rem = width % r.NR
      r.main_end = r.qw0 + (width // r.NR) * r.NR - 1  -- last qw covered by full tiles
      r.main_tiles = width // r.NR
      -- a narrow region's tiles take several rows, so each weight vector loaded serves
      -- about as many positions as a wide row's tile (dcgan_g2: 4x4 inputs)
      r.RH = math.max(1, math.min(r.qh1 - r.qh0 + 1, p.NR // r.NR))
      r.row_tiles = (r.qh1 - r.qh0 + 1 + r.RH - 1) // r.RH
      -- every channel block reads all the region's inputs: past L2's share, take the rows in
      -- blocks (unet_up1: 3.2 MB of inputs read once per block of 32 channels otherwise)
      local row_bytes = p.ES * p.PARTS * p.CIN_G * p.W * r.RH
      r.RB = math.max(1, M.ROW_BLOCK_BYTES // row_bytes)
      r.blocked = #r.taps > 0 and r.RB < r.row_tiles
      if #r.taps > 0 then
        r.main = r.main_end >= r.qw0 and phase_matmul_tile(p, phase, r, r.NR, r.RH) or nil
        r.tail = r.rem > 0 and phase_matmul_tile(p, phase, r, r.rem, r.RH) or nil
      end
    end
    -- a phase whose channel block's weights outweigh its inputs (small images, long channel
    -- loops: dcgan_g2's 4x4) takes all its regions inside the channel-block loop, so each
    -- block's weights come from memory once, not once per region
    local reading, blocked = 0, false
    for _, r in ipairs(phase.regions) do
      if #r.taps > 0 then reading = reading + 1 end
      blocked = blocked or r.blocked
    end
    phase.cob_outer = reading > 1 and not blocked and phase.T * MR > p.H * p.W or nil
  end
  p.bias_off = off
  p.packed_size = (off + p.G * COB * MR * p.PARTS) // p.PARTS -- elements (complex: pairs of parts)
  return true
end

-- group_vectors (channels_last, depthwise: one input and one output channel per group): the
-- groups lie side by side in memory, so vectors of VL groups, a tile of NR positions of one
-- vector of groups in accumulators, each tap's weights for the VL groups one vector load (packed
-- per phase as [tap][group]).
function M.group_vectors(p)
  if not p.CL then return false, "contiguous (NCHW): the groups of a position lie apart" end
  if p.CPX or p.N == 0 then return false, "complex, or an empty batch" end
  if p.CIN_G ~= 1 or p.COUT_G ~= 1 or p.G == 1 then return false, "not depthwise" end
  local VL = lanes_dividing(p, p.G)
  if not VL then return false, string.format("groups (%d) not a multiple of %d", p.G, 16 // p.ES) end
  p.shape, p.L, p.VL, p.GV = "group_vectors", VL, VL, p.G // VL
  M.vector_names(p)
  p.NR = math.min(8, p.profile.vregs - 4)
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do r.NR = region_positions(r, p.NR) end
  end
  local off = pack_offsets(p.phases, 0, function(phase) return phase.T * p.G end)
  p.bias_off = off
  p.packed_size = off + p.COUT
  return true
end

-- matmul_shuffle: kernel == stride with no padding, dilation or output padding (and so 1x1
-- stride 1): every output pixel gets exactly one tap, input pixel (h, w) alone makes the output
-- block (h*s .. h*s+s-1, w*s .. w*s+s-1), so the layer is a matrix product of the weights by the
-- input followed by a pixel shuffle. Vectors of L input positions along a row, a tile of CT
-- output channels x KW kernel columns x V vectors in registers, weights broadcast from a packed
-- copy; the KW column results interleave into contiguous output. Rows of a vector or more,
-- weights that fit in L2.
-- Each input row meets every weight, so they must stay in L2 (else phase_matmul, which keeps a
-- channel block's weights in cache across rows, does better: unet_up1, 8 MiB).
M.GEMM_WEIGHT_BYTES = 1024 * 1024
-- No padding and no dilation: each tap lands at its own offset of an input pixel's block.
local function plain_taps(l)
  return l.padding[1] == 0 and l.padding[2] == 0 and l.padding_end[1] == 0 and l.padding_end[2] == 0 and
         l.dilation[1] == 1 and l.dilation[2] == 1
end

-- One tile of matmul_shuffle at column q0 (a number, or the loop's "q"): vectors at q0 + offs[v].
local function matmul_shuffle_tile(p, q0, offs)
  local t = { q0 = q0, loads = {}, accs = {}, products = {}, channels = {} }
  for v, o in ipairs(offs) do t.loads[v] = { "x" .. (v - 1), o } end
  local last = offs[#offs] + p.LP - 1
  t.prefetch_last = last >= p.LINE and M.PF * p.HW + last or nil
  for c = 0, p.CT - 1 do
    local ch = { c = c, y = c * p.OHW, stores = {} }
    for kw = 0, p.KW - 1 do
      local row, uses = {}, {}
      for v = 0, #offs - 1 do
        local acc = "a" .. c .. "_" .. kw .. "_" .. v
        row[#row + 1] = { acc, "bias" .. c }
        uses[#uses + 1] = { acc, "x" .. v }
      end
      t.accs[#t.accs + 1] = row
      t.products[#t.products + 1] = { w = c * p.KHW + kw, uses = uses }
    end
    for v, o in ipairs(offs) do
      local s = { off = o * p.KW, acc = {} }
      for kw = 0, p.KW - 1 do s.acc[kw + 1] = "a" .. c .. "_" .. kw .. "_" .. (v - 1) end
      -- KW 1: the vector as it is; 2: two interleaving shuffles (of positions: complex moves
      -- pairs of parts); more, or vectors of one position: lane by lane
      s.kind = p.KW == 1 and "plain" or (p.KW == 2 and p.LP >= 2) and "interleave" or "lanes"
      if s.kind == "interleave" then s.halves = p.interleave end
      ch.stores[#ch.stores + 1] = s
    end
    t.channels[#t.channels + 1] = ch
  end
  return t
end

function M.matmul_shuffle(p)
  if p.CL then return false, "channels_last: rows are not contiguous" end
  if p.N == 0 or p.KH ~= p.SH or p.KW ~= p.SW or not plain_taps(p.layer) then
    return false, "kernel differs from stride, or padding or dilation"
  end
  local L = p.LP -- positions per vector (complex: pairs of parts)
  if p.W < L or p.KW > 8 then return false, string.format("rows shorter than %d, or kernel wider than 8", L) end
  if p.OH ~= p.H * p.SH or p.OW ~= p.W * p.SW then return false, "output padding" end
  -- a row of up to VMAX vectors is one tile (the last vector overlapping); longer rows take
  -- tiles of VMAX vectors and finish with whole vectors and one overlapping vector
  -- (complex: each input vector has its swapped twin in a register too)
  local VMAX = math.max(1, math.min(p.profile.shuffle_v // p.PARTS, p.profile.shuffle_acc // p.KW))
  local vectors = (p.W + L - 1) // L
  local VROW = vectors <= VMAX and vectors or nil
  local V = VROW or VMAX
  local CT = math.max(1, math.min(p.COUT_G, p.profile.shuffle_acc // (p.KW * V)))
  local COB = (p.COUT_G + CT - 1) // CT
  local block = p.CIN_G * CT * p.KHW   -- packed elements per (group, channel block)
  local bias_off = p.G * COB * block
  local packed_size = bias_off + p.G * COB * CT
  if p.ES * p.PARTS * packed_size > M.GEMM_WEIGHT_BYTES then return false, "packed weights larger than 1 MiB" end
  p.shape, p.VROW, p.V, p.CT, p.COB, p.block = "matmul_shuffle", VROW, V, CT, COB, block
  p.bias_off, p.packed_size = bias_off, packed_size
  -- KW 2: the two vectors' positions interleaved, low halves then high halves (shuffle indices
  -- of lanes: a position is PARTS lanes)
  local lo, hi, u = {}, {}, p.PARTS
  local function pos(list, first, i)
    for k = 0, u - 1 do list[#list + 1] = first + u * i + k end
  end
  for i = 0, L // 2 - 1 do
    pos(lo, 0, i); pos(lo, p.L, i)
    pos(hi, 0, L // 2 + i); pos(hi, p.L, L // 2 + i)
  end
  p.interleave = { table.concat(lo, ", "), table.concat(hi, ", ") }
  local function vectors_at(n) local o = {} for v = 1, n do o[v] = L * (v - 1) end return o end
  p.tiles = {}
  if VROW then -- the whole row in one tile, its last vector ending at the row's edge
    local offs = vectors_at(VROW)
    offs[VROW] = p.W - L
    p.tiles.row = matmul_shuffle_tile(p, 0, offs)
  else
    p.VW = L * V
    p.tiles.main = matmul_shuffle_tile(p, "q", vectors_at(V))
    local left = p.W % p.VW
    p.tiles.single = left >= L and matmul_shuffle_tile(p, "q", vectors_at(1)) or nil
    p.tiles.tail = left % L > 0 and matmul_shuffle_tile(p, p.W - L, { 0 }) or nil
  end
  return true
end

-- vector_matrix: a 1x1 input without padding, output padding or dilation: the output of each
-- image and group is its input channels times the weight rows (Cout/groups x KH x KW), a
-- vector-matrix product; bound by reading the weights, so they are read once and in order.
-- Plain C: the tcc tier and the scalar target use it too.
M.GEMV_CHUNK = 2048      -- outputs kept in L1 (8 KiB) while every weight row passes over them
M.GEMV_CIN_UNROLL = 4    -- weight rows per pass: the output chunk is loaded and stored once per 4
function M.vector_matrix(p)
  if p.CL then return false, "channels_last: the outputs of a weight row are not contiguous" end
  if p.N == 0 or p.H ~= 1 or p.W ~= 1 or p.OH ~= p.KH or p.OW ~= p.KW or not plain_taps(p.layer) then
    return false, "not a 1x1 input without padding"
  end
  p.shape = "vector_matrix"
  p.CHUNK = math.min(M.GEMV_CHUNK, p.WC)
  p.CIN_UNROLL = math.min(M.GEMV_CIN_UNROLL, p.CIN_G)
  p.unrolled_rows = {}
  for u = 0, p.CIN_UNROLL - 1 do p.unrolled_rows[#p.unrolled_rows + 1] = { "x" .. u, "w" .. u } end
  -- an activation goes into the last pass of CIN_UNROLL rows (no pass of its own over the chunk)
  p.FUSED_LAST = p.layer.activation ~= "none" and p.CIN_G >= p.CIN_UNROLL
  p.MAIN_ROWS = p.CIN_G - (p.FUSED_LAST and p.CIN_UNROLL or 0)
  return true
end

-- One tile of row_vectors: nv vectors at column q0 by rh rows, for channel tile t; stores lanes
-- from `skip` on when skip is set (the tail vector that overlaps the one before it).
-- Complex (p.CPX) works on the interleaved pairs as PyTorch stores them: a vector of L parts
-- holds LP = L/2 positions, x * (wr + i wi) = x * (wr, wr, ...) + swap(x) * (-wi, wi, ...), so
-- each use names the accumulator, the real-part weight vector and the signed imaginary one.
local function row_vectors_tile(p, phase, r, t, nv, q0, skip, rh)
  local tile = { nv = nv, q0 = q0, skip = skip, rh = rh, accs = {}, weights = {}, loads = {}, rows = {} }
  local function acc(j, v, rr) return "a" .. j .. "_" .. v .. "_" .. rr end
  for j = 0, t.size - 1 do
    for rr = 0, rh - 1 do
      local row = {}
      for v = 0, nv - 1 do row[#row + 1] = { acc(j, v, rr), (p.CPX and "bv" or "b") .. j } end
      tile.accs[#tile.accs + 1] = row
    end
  end
  -- each input vector loaded once and used at once by every tap and row that reads it (rows of
  -- a tile share input rows), with the weights in registers when they fit
  local in_regs = t.size * #r.taps * p.PARTS <= p.profile.row_wregs
  -- the weight of channel j at tap (complex: its real part, and its signed imaginary part)
  local function weight(j, tap)
    local k = j * p.KHW + tap.w
    if not p.CPX then return in_regs and ("w" .. j .. "_" .. tap.w) or ("wc[" .. k .. "]") end
    if in_regs then return "w" .. j .. "_" .. tap.w, "wi" .. j .. "_" .. tap.w end
    return string.format("wc[%d].re", k), string.format("(sgn * wc[%d].im)", k)
  end
  if in_regs then -- { register, element index[, imaginary register] }
    for _, tap in ipairs(r.taps) do
      for j = 0, t.size - 1 do
        local re, im = weight(j, tap)
        tile.weights[#tile.weights + 1] = { re, j * p.KHW + tap.w, im }
      end
    end
  end
  local uses = {}
  for _, tap in ipairs(r.taps) do
    for rr = 0, rh - 1 do
      for v = 0, nv - 1 do
        local off = tap.x + rr * p.W + p.LP * v
        if not uses[off] then uses[off] = {}; tile.loads[#tile.loads + 1] = off end
        for j = 0, t.size - 1 do table.insert(uses[off], { acc(j, v, rr), weight(j, tap) }) end
      end
    end
  end
  table.sort(tile.loads)
  for i, off in ipairs(tile.loads) do tile.loads[i] = { off = off, uses = uses[off] } end
  for rr = 0, rh - 1 do
    local row = { rr = rr, guarded = rh > 1, stores = {} }
    for j = 0, t.size - 1 do
      for v = 0, nv - 1 do
        local s = { acc = acc(j, v, rr), off = rr * phase.ys + j * p.OHW }
        if p.SW == 1 and not skip then
          s.kind, s.off = "vector", s.off + p.LP * v
        elseif r.merge_stores and not skip then
          -- the SW * L outputs around these L: this phase's lanes merged into what is there
          s.kind, s.off, s.masks = "merge", s.off + p.L * v * p.SW - phase.rw, phase.merge_masks
        else
          s.kind, s.lane0, s.v0 = "lanes", skip and "skip" or 0, p.LP * v
        end
        row.stores[#row.stores + 1] = s
      end
    end
    tile.rows[#tile.rows + 1] = row
  end
  return tile
end

-- row_vectors: few output channels per group. Vectors of L positions along a row (the input
-- row is contiguous there), a tile of up to 4 output channels by V vectors in registers,
-- weights read as PyTorch stores them and broadcast. Rows narrower than a vector finish with
-- scalar code. Rejects layers whose rows are too short to fill vectors.
function M.row_vectors(p)
  local L = p.LP -- positions per vector (complex: pairs of parts)
  if p.CL then return false, "channels_last: rows are not contiguous" end
  if p.grouped then return false, "phase groups (more than " .. M.GROUP_MIN_PHASES .. " phases)" end
  if p.N == 0 or p.dims[2][1].Q < L then return false, string.format("rows of fewer than %d outputs per phase", L) end
  p.shape = "row_vectors"
  local tile, budget = p.co_tiles[1].size, p.profile.row_acc
  p.V = math.max(1, math.min(3, budget // tile))   -- at most row_acc accumulators
  p.VW = L * p.V
  for _, phase in ipairs(p.phases) do
    -- shuffle masks that merge a vector of this phase's L outputs into SW vectors of output
    phase.merge_masks = {}
    for k = 0, p.SW - 1 do
      local mask = {}
      for i = 0, L - 1 do
        local pos = L * k + i
        mask[#mask + 1] = pos % p.SW == phase.rw and (L + pos // p.SW) or i
      end
      phase.merge_masks[k + 1] = { off = L * k, lanes = table.concat(mask, ", ") }
    end
    for _, r in ipairs(phase.regions) do
      local width = r.qw1 - r.qw0 + 1
      r.V = math.max(1, math.min(p.V, width // L))  -- a row shorter than the tile takes fewer vectors
      r.VW = L * r.V
      -- rows per tile: enough accumulators to hide the multiply-add latency (scalar-only
      -- regions, narrower than a vector, keep one row)
      r.RH = width < L and 1 or math.max(1, math.min(r.qh1 - r.qh0 + 1, budget // (tile * r.V)))
      r.row_tiles = (r.qh1 - r.qh0 + 1 + r.RH - 1) // r.RH
      -- strided stores (stride 2 to 4) as whole vectors: read the outputs around a vector's L,
      -- merge its lanes in, write them back. Only on one thread (another thread may own the
      -- other phases' lanes) and where the vectors stay inside the output row.
      r.merge_stores = p.threads == 1 and p.SW >= 2 and p.SW <= 4 and (r.qw1 + 1) * p.SW <= p.OW and not p.CPX
      -- per channel tile: whole tiles of V vectors, single vectors, then one vector ending at
      -- the region's edge that stores only new outputs; regions without taps or narrower than
      -- a vector take the scalar loop
      local left = width % r.VW
      r.scalar = #r.taps == 0 or width < L
      r.by_tile = {}
      for ti, t in ipairs(p.co_tiles) do
        local v = {}
        if not r.scalar then
          v.main = width >= r.VW and row_vectors_tile(p, phase, r, t, r.V, "qw", nil, r.RH) or nil
          v.single = left >= L and row_vectors_tile(p, phase, r, t, 1, "qw", nil, r.RH) or nil
          v.tail = left % L > 0 and row_vectors_tile(p, phase, r, t, 1, r.qw1 - (L - 1), "skip", r.RH) or nil
        end
        r.by_tile[ti] = v
      end
    end
  end
  return true
end

-- Baked weights in the order a shape's run_packed reads them (weights: PyTorch's layout, a
-- 1-based list; bias: nil or a list): what its pack would write, computed at generation time.
function M.pack_weights(p, weights, bias)
  local out = {}
  local function w(ci_global, co, tap) return weights[(ci_global * p.COUT_G + co) * p.KHW + tap + 1] end
  -- after the weights, each group's bias padded with zeros to its channel blocks (per_group)
  local function packed_bias(per_group)
    for g = 0, p.G - 1 do
      for c = 0, per_group - 1 do
        out[p.bias_off + g * per_group + c + 1] = (bias and c < p.COUT_G) and bias[g * p.COUT_G + c + 1] or 0.0
      end
    end
  end
  -- every phase, or every member of a phase group: its packed offset and its taps' kernel indices
  local function each_phase(fn)
    for _, phase in ipairs(p.phases) do
      if phase.members then
        for _, m in ipairs(phase.members) do fn(phase, m.pack_off, m.w) end
      else
        local tw = {}
        for i, t in ipairs(phase.all_taps) do tw[i] = t.w end
        fn(phase, phase.pack_off, tw)
      end
    end
  end
  if p.shape == "phase_matmul" then
    each_phase(function(phase, pack_off, tw)
      for g = 0, p.G - 1 do
        for cob = 0, p.COB - 1 do
          local base = pack_off + (g * p.COB + cob) * phase.block
          for ci = 0, p.CIN_G - 1 do
            for c = 0, p.MR - 1 do
              local co = cob * p.MR + c
              for i = 1, phase.T do
                out[base + (ci * phase.T + i - 1) * p.MR + c + 1] = co < p.COUT_G and w(g * p.CIN_G + ci, co, tw[i]) or 0.0
              end
            end
          end
        end
      end
    end)
    packed_bias(p.COB * p.MR)
  elseif p.shape == "channel_dots" then
    each_phase(function(phase, pack_off, tw)
      for g = 0, p.G - 1 do
        for ci = 0, p.CIN_G - 1 do
          local base = pack_off + g * phase.block + (ci // p.VL) * phase.cv_step + ci % p.VL
          for i = 1, phase.T do
            for co = 0, p.COUT_G - 1 do
              out[base + ((i - 1) * p.COUT_G + co) * p.VL + 1] = w(g * p.CIN_G + ci, co, tw[i])
            end
          end
        end
      end
    end)
    packed_bias(p.COUT_G)
  elseif p.shape == "group_vectors" then
    each_phase(function(phase, pack_off, tw)
      for i = 1, phase.T do
        for g = 0, p.G - 1 do out[pack_off + (i - 1) * p.G + g + 1] = w(g, 0, tw[i]) end
      end
    end)
    packed_bias(1)
  elseif p.shape == "matmul_shuffle" then
    for g = 0, p.G - 1 do
      for cob = 0, p.COB - 1 do
        for ci = 0, p.CIN_G - 1 do
          for c = 0, p.CT - 1 do
            local co = cob * p.CT + c
            for t = 0, p.KHW - 1 do
              out[(g * p.COB + cob) * p.block + (ci * p.CT + c) * p.KHW + t + 1] =
                co < p.COUT_G and w(g * p.CIN_G + ci, co, t) or 0.0
            end
          end
        end
      end
    end
    packed_bias(p.COB * p.CT)
  else -- direct shapes: the weights as they are, then the bias
    for i, v in ipairs(weights) do out[i] = v end
    for _, v in ipairs(bias or {}) do out[#out + 1] = v end
  end
  return out
end

-- The fully unrolled shape for baked weights (unroll = "full" with --weights): inside each
-- region's spatial loops, every output channel and input channel is unrolled, each product
-- names its weight by index, and products with an exact-zero weight are dropped.
-- weights: the layer's weights (1-based list, PyTorch layout). Sets r.blocks and p.macs.
function M.unroll_baked(p, weights)
  local terms = p.region_taps * p.CIN_G * p.COUT
  if terms > M.MAX_BAKED_TERMS then
    error(string.format("unroll: \"full\" with baked weights would write out %d products, over the %d " ..
                        "the generator writes; use unroll = \"auto\"", terms, M.MAX_BAKED_TERMS), 0)
  end
  p.shape = "unrolled"
  -- adjacent outputs computed together share each weight load; few products per output
  -- (depthwise) leave registers for more of them
  p.width_tile = p.CIN_G == 1 and 4 or 2
  p.macs = 0
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do
      r.blocks = {}
      local per_position = 0
      if #r.taps > 0 then
        for g = 0, p.G - 1 do
          for _, t in ipairs(p.co_tiles) do
            for cb = t.start, t.stop - 1, t.size do
              -- offsets relative to the group's planes keep loads and stores within reach
              -- of an immediate offset (Cortex-M: 1 KiB), so no address arithmetic per access
              local block = { accs = {}, x0 = g * p.CIN_G * p.XC, y0 = (g * p.COUT_G + cb) * p.YC }
              for j = 0, t.size - 1 do
                local co = g * p.COUT_G + cb + j
                local acc = { co = co, y = co * p.YC - block.y0, terms = {} }
                for ci = 0, p.CIN_G - 1 do
                  local cig = g * p.CIN_G + ci
                  for _, tap in ipairs(r.taps) do
                    local w = (cig * p.COUT_G + cb + j) * p.KHW + tap.w
                    if weights[w + 1] ~= 0 then
                      acc.terms[#acc.terms + 1] = { x = ci * p.XC + tap.x, w = w }
                    end
                  end
                end
                per_position = per_position + #acc.terms
                block.reads = block.reads or #acc.terms > 0
                block.accs[#block.accs + 1] = acc
              end
              r.blocks[#r.blocks + 1] = block
            end
          end
        end
      end
      p.macs = p.macs + per_position * r.outputs * p.N
    end
  end
  return p
end

return M
