-- plan.lua: the code-shape decisions for one normalized layer, made once at generation time.
--
-- Stride-phase decomposition: output row oh = q*s + r (phase r) receives kernel row k from
-- input row i = q + off exactly when (r + p - k*d) is a multiple of s, with
-- off = (r + p - k*d) / s. So each phase is a small dense convolution over the taps that
-- reach it, and no multiply ever touches an inserted zero. Within a phase, the rows q where
-- the same subset of taps is in bounds form one "class"; the class where every tap is in
-- bounds is the interior, and the others are the border, peeled into their own code.

local M = {}

-- One spatial dimension: phases, their taps, and their classes of q.
-- I input size, O output size, s stride, p padding, d dilation, k kernel size.
local function dimension(I, O, s, p, d, k)
  local phases = {}
  for r = 0, s - 1 do
    local taps = {}
    for kk = 0, k - 1 do
      local t = r + p - kk * d
      if t % s == 0 then taps[#taps + 1] = { k = kk, off = t // s } end
    end
    local Q = r < O and (O - 1 - r) // s + 1 or 0
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
    phases[#phases + 1] = { r = r, Q = Q, taps = taps, classes = classes }
  end
  return phases
end

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
      chunk[#chunk + 1] = { x = ci * p.HW + tap.x, w = ci * p.WC + tap.w }
      if #chunk == M.TERMS then chunks[#chunks + 1] = chunk; chunk = {} end
    end
  end
  if #chunk > 0 then chunks[#chunks + 1] = chunk end
  return { step = step, iters = p.CIN_G // step, xstep = step * p.HW, wstep = step * p.WC, chunks = chunks }
end

function M.build(l)
  local KH, KW = l.kernel_size[1], l.kernel_size[2]
  local p = {
    name = l.name, layer = l,
    N = l.batch, CIN = l.in_channels, COUT = l.out_channels, G = l.groups,
    CIN_G = l.in_channels // l.groups, COUT_G = l.out_channels // l.groups,
    H = l.in_h, W = l.in_w, OH = l.out_h, OW = l.out_w, KH = KH, KW = KW,
    SH = l.stride[1], SW = l.stride[2], bias = l.bias, threads = l.threads,
    shape = (l.unroll == "none") and "compact" or "phases",
  }
  p.HW, p.OHW, p.KHW = p.H * p.W, p.OH * p.OW, KH * KW
  p.WC = p.COUT_G * p.KHW          -- weight stride between input channels
  p.WG = p.CIN_G * p.WC            -- weight stride between groups
  p.unroll_cin = l.unroll == "full" and p.CIN_G <= M.FULL_UNROLL_CIN
  p.dims = {
    dimension(l.in_h, l.out_h, l.stride[1], l.padding[1], l.dilation[1], KH),
    dimension(l.in_w, l.out_w, l.stride[2], l.padding[2], l.dilation[2], KW),
  }
  p.co_tiles = channel_tiles(p.COUT_G, M.CO_TILE)
  for _, t in ipairs(p.co_tiles) do
    t.stop = t.start + t.count * t.size
    t.w_off = {}
    for j = 1, t.size do t.w_off[j] = (j - 1) * p.KHW end
  end

  p.phases = {}
  for _, ph in ipairs(p.dims[1]) do
    for _, pw in ipairs(p.dims[2]) do
      local phase = { rh = ph.r, rw = pw.r, QH = ph.Q, QW = pw.Q, taps = #ph.taps * #pw.taps,
                      regions = {}, interior = { 0, 0 }, all_taps = {},
                      y0 = ph.r * p.OW + pw.r, ys = p.SH * p.OW }
      for _, a in ipairs(ph.taps) do
        for _, b in ipairs(pw.taps) do
          phase.all_taps[#phase.all_taps + 1] = { kh = a.k, kw = b.k, x = a.off * p.W + b.off, w = a.k * KW + b.k }
        end
      end
      for _, ch in ipairs(ph.classes) do
        for _, cw in ipairs(pw.classes) do
          local taps = {}
          for _, th in ipairs(ch.valid) do
            for _, tw in ipairs(cw.valid) do
              local a, b = ph.taps[th], pw.taps[tw]
              taps[#taps + 1] = { kh = a.k, kw = b.k, x = a.off * p.W + b.off, w = a.k * KW + b.k,
                                  i = (th - 1) * #pw.taps + (tw - 1) }  -- index into all_taps, 0-based
            end
          end
          local rows, cols = ch.q1 - ch.q0 + 1, cw.q1 - cw.q0 + 1
          local r = { qh0 = ch.q0, qh1 = ch.q1, qw0 = cw.q0, qw1 = cw.q1, taps = taps,
                      outputs = rows * cols, interior = #taps == phase.taps and #taps > 0,
                      walk = channel_walk(p, taps) }
          if r.interior then phase.interior = { rows, cols } end
          phase.regions[#phase.regions + 1] = r
        end
      end
      if phase.QH > 0 and phase.QW > 0 and p.N > 0 then p.phases[#p.phases + 1] = phase end
    end
  end
  -- multiply-adds per call: every in-bounds tap of every output, all input channels of its group
  p.macs = 0
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do p.macs = p.macs + r.outputs * #r.taps end
  end
  p.macs = p.macs * p.N * p.CIN_G * p.COUT

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

-- The fast shape of the cc tier: each phase a matrix product of packed weights (a block of MR
-- output channels, vectors of 16) by input positions (NR along a row), accumulated in vector
-- registers over input channels x taps. Returns false when the layer suits it poorly (few
-- output channels, or padding a channel block would waste more than a quarter of the work).
M.PF = 12  -- input channels ahead the fast shape prefetches: rows over 2 KiB apart defeat the hardware stride prefetcher
M.NR_MAX = { 16, 12 }   -- positions per tile for 1 or 2 vectors of output channels: <= 24 accumulators
M.ROW_BLOCK_BYTES = 512 * 1024  -- inputs a block of row tiles reads, kept in L2 across channel blocks

function M.fast(p)
  if p.N == 0 or p.COUT_G < 16 then return false end
  local MR = p.COUT_G >= 32 and 32 or 16
  local COB = (p.COUT_G + MR - 1) // MR
  if COB * MR > 1.25 * p.COUT_G then
    MR = 16
    COB = (p.COUT_G + MR - 1) // MR
    if COB * MR > 1.25 * p.COUT_G then return false end
  end
  p.shape = "fast"
  p.MR, p.MV, p.COB = MR, MR // 16, COB
  local off = 0
  for _, phase in ipairs(p.phases) do
    phase.T = #phase.all_taps
    phase.pack_off = off
    phase.block = p.CIN_G * phase.T * MR          -- packed floats per (group, channel block)
    off = off + p.G * COB * phase.block
    for _, r in ipairs(phase.regions) do
      local width = r.qw1 - r.qw0 + 1
      -- tiles as even as the width allows (64 = 5 x 11 + 9 rather than 5 x 12 + 4): a narrow
      -- remainder tile runs the same loop for few positions
      local tiles = (width + M.NR_MAX[p.MV] - 1) // M.NR_MAX[p.MV]
      r.NR = (width + tiles - 1) // tiles
      r.rem = width % r.NR
      r.main_end = r.qw0 + (width // r.NR) * r.NR - 1  -- last qw covered by full tiles
      -- a narrow region's tiles take several rows, so each weight vector loaded serves
      -- about as many positions as a wide row's tile (dcgan_g2: 4x4 inputs)
      r.RH = math.max(1, math.min(r.qh1 - r.qh0 + 1, M.NR_MAX[p.MV] // r.NR))
      -- every channel block reads all the region's inputs: past L2's share, take the rows in
      -- blocks (unet_up1: 3.2 MB of inputs read once per block of 32 channels otherwise)
      local row_bytes = 4 * p.CIN_G * p.W * r.RH
      r.RB = math.max(1, M.ROW_BLOCK_BYTES // row_bytes)
    end
  end
  p.bias_off = off
  p.packed_size = off + p.G * COB * MR
  return true
end

-- The input offsets a tile of nr positions by rh rows reads per input channel that fall in
-- different cache lines, as far as the generator can tell: each row's first and last position
-- of each tap.
function M.prefetch_offsets(taps, nr, rh, W)
  local seen, out = {}, {}
  for _, t in ipairs(taps) do
    for rr = 0, rh - 1 do
      for _, off in ipairs({ t.x + rr * W, t.x + rr * W + nr - 1 }) do
        if not seen[off] then seen[off] = true; out[#out + 1] = off end
      end
    end
  end
  table.sort(out)
  return out
end

-- The cc tier's shape for kernel == stride with no padding, dilation or output padding (and so
-- 1x1 stride 1): every output pixel gets exactly one tap, input pixel (h, w) alone makes the
-- output block (h*s .. h*s+s-1, w*s .. w*s+s-1), so the layer is a matrix product of the weights
-- by the input followed by a pixel shuffle. Vectors of 16 input positions along a row, a tile of
-- CT output channels x KW kernel columns x V vectors in registers, weights broadcast from a
-- packed copy; the KW column results interleave into contiguous output. Rows of 16 or more,
-- weights that fit in L2.
M.GEMM_ACC = 24  -- accumulators per tile, of the 32 vector registers
-- Each input row meets every weight, so they must stay in L2 (else the fast shape, which
-- keeps a channel block's weights in cache across rows, does better: unet_up1, 8 MiB).
M.GEMM_WEIGHT_BYTES = 1024 * 1024
-- No padding and no dilation: each tap lands at its own offset of an input pixel's block.
local function plain_taps(l)
  return l.padding[1] == 0 and l.padding[2] == 0 and l.dilation[1] == 1 and l.dilation[2] == 1
end

function M.gemm(p)
  if p.N == 0 or p.KH ~= p.SH or p.KW ~= p.SW or p.W < 16 or p.KW > 8 or not plain_taps(p.layer) then return false end
  if p.OH ~= p.H * p.SH or p.OW ~= p.W * p.SW then return false end  -- output padding
  -- a row of up to 4 vectors is one tile (the last vector overlapping); longer rows take
  -- tiles of 4 vectors and finish with whole vectors and one overlapping vector
  local vectors = (p.W + 15) // 16
  local VROW = vectors <= 4 and vectors or nil
  local V = VROW or 4
  local CT = math.max(1, math.min(p.COUT_G, M.GEMM_ACC // (p.KW * V)))
  local COB = (p.COUT_G + CT - 1) // CT
  local block = p.CIN_G * CT * p.KHW   -- packed floats per (group, channel block)
  local bias_off = p.G * COB * block
  local packed_size = bias_off + p.G * COB * CT
  if 4 * packed_size > M.GEMM_WEIGHT_BYTES then return false end
  p.shape, p.VROW, p.V, p.CT, p.COB, p.block = "gemm", VROW, V, CT, COB, block
  p.bias_off, p.packed_size = bias_off, packed_size
  return true
end

-- The cc tier's shape for a 1x1 input without padding, output padding or dilation: the output
-- of each image and group is its input channels times the weight rows (Cout/groups x KH x KW),
-- a vector-matrix product; bound by reading the weights, so they are read once and in order.
M.GEMV_CHUNK = 2048      -- outputs kept in L1 (8 KiB) while every weight row passes over them
M.GEMV_CIN_UNROLL = 4    -- weight rows per pass: the output chunk is loaded and stored once per 4
function M.gemv(p)
  if p.N == 0 or p.H ~= 1 or p.W ~= 1 or p.OH ~= p.KH or p.OW ~= p.KW or not plain_taps(p.layer) then return false end
  p.shape = "gemv"
  p.CHUNK = math.min(M.GEMV_CHUNK, p.WC)
  p.CIN_UNROLL = math.min(M.GEMV_CIN_UNROLL, p.CIN_G)
  return true
end

-- The cc tier's shape for layers with few output channels per group: vectors of 16 positions
-- along a row (the input row is contiguous there), a tile of up to 4 output channels by V
-- vectors in registers, weights read as PyTorch stores them and broadcast. Rows narrower than
-- a vector finish with scalar code. Returns false when rows are too short to fill vectors.
function M.wide(p)
  if p.N == 0 or p.dims[2][1].Q < 16 then return false end
  p.shape = "wide"
  local tile = p.co_tiles[1].size
  p.V = math.max(1, math.min(3, 12 // tile))   -- at most 12 accumulators
  p.VW = 16 * p.V
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do
      local width = r.qw1 - r.qw0 + 1
      r.V = math.max(1, math.min(p.V, width // 16))  -- a row shorter than the tile takes fewer vectors
      r.VW = 16 * r.V
      -- rows per tile: enough accumulators (8 or more) to hide the multiply-add latency
      -- (scalar-only regions, narrower than a vector, keep one row)
      r.RH = width < 16 and 1 or math.max(1, math.min(r.qh1 - r.qh0 + 1, 12 // (tile * r.V)))
      -- strided stores (stride 2 to 4) as whole vectors: read the outputs around a vector's 16,
      -- merge its lanes in, write them back. Only on one thread (another thread may own the
      -- other phases' lanes) and where the vectors stay inside the output row.
      r.merge_stores = p.threads == 1 and p.SW >= 2 and p.SW <= 4 and (r.qw1 + 1) * p.SW <= p.OW
    end
  end
  return true
end

-- The fully unrolled shape for baked weights (unroll = "full" with --weights): inside each
-- region's spatial loops, every output channel and input channel is unrolled, each product
-- names its weight by index, and products with an exact-zero weight are dropped.
-- weights: the layer's weights (1-based list, PyTorch layout). Sets r.blocks and p.macs.
function M.unroll_baked(p, weights)
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
              local block = { accs = {}, x0 = g * p.CIN_G * p.HW, y0 = (g * p.COUT_G + cb) * p.OHW }
              for j = 0, t.size - 1 do
                local co = g * p.COUT_G + cb + j
                local acc = { co = co, y = co * p.OHW - block.y0, terms = {} }
                for ci = 0, p.CIN_G - 1 do
                  local cig = g * p.CIN_G + ci
                  for _, tap in ipairs(r.taps) do
                    local w = (cig * p.COUT_G + cb + j) * p.KHW + tap.w
                    if weights[w + 1] ~= 0 then
                      acc.terms[#acc.terms + 1] = { x = ci * p.HW + tap.x, w = w }
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
