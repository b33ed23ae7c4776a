-- phase_matmul (vector): each stride phase a matrix product of packed weights (a block of MR
-- output channels, MV vectors of L) by input positions (NR along a row), accumulated in vector
-- registers over input channels x taps. Rejects layers it suits poorly (few output channels, or
-- padding a channel block would waste more than a quarter of the work).
-- Packed: per phase (or phase-group member), group and channel block: per input channel, per
-- tap, the block's MR channels (complex: the real parts, then the imaginary parts); then each
-- group's bias padded to its blocks.

local pack = require("pack")
local plan = require("plan")
local profiles = require("profiles")

-- float16 / bfloat16 (half): weights packed as the 16-bit patterns, widened a vector at a time
-- as they load; inputs widened as broadcast; outputs rounded as each leaves its tile.
local M = { name = "phase_matmul", template = "templates/phase_matmul.c.in", convention = "packed",
            vector = true, half = true }

M.NR_MAX = 16           -- positions per phase_matmul tile
M.ROW_BLOCK_BYTES = 512 * 1024  -- inputs a block of row tiles reads, kept in L2 across channel blocks

-- Prefetch addresses for the input offsets a tile reads per input channel, one per 64-byte line
-- as far as the generator can tell (it does not know the base's alignment): each run of nearby
-- offsets gets its first, one every `line` elements after it, and its last.
local function prefetch_offsets(offsets, line)
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
  -- float16 / bfloat16: each input the tile reads in a channel widened once, where several
  -- taps and positions share it (a tap's product would otherwise widen it again)
  t.widened = {}
  if p.HALF then
    local seen = {}
    for _, step in ipairs(t.taps) do
      for _, pr in ipairs(step.products) do
        if not pr.lanes and not seen[pr.x] then
          seen[pr.x] = "x" .. #t.widened
          t.widened[#t.widened + 1] = { name = seen[pr.x], x = pr.x }
        end
        pr.widened = seen[pr.x]
      end
    end
  end
  -- NCHW's channel planes lie far apart (the hardware prefetcher misses them); channels_last
  -- reads each position's channels in order
  t.prefetch = p.CL and {} or prefetch_offsets(reads, p.LINE)
  for i, off in ipairs(t.prefetch) do t.prefetch[i] = profiles.PF * p.HW + off end
  -- AVX-512: the barrier only for (nearly) full tiles of one row (melgan_up8 +30%, dilated_s1 +18%);
  -- smaller or several-row tiles lost 3-9% with it (dcgan_g2-g4), their taps reusing inputs
  local one_row_barrier = p.profile.row_tile_barrier and rh == 1 and #t.pos * p.MV * p.PARTS >= p.profile.acc - 4
  t.tap_barrier = (p.profile.tap_barrier or one_row_barrier) and #r.taps > 1
  t.unroll_ci = p.profile.ci_unroll and #r.taps <= p.profile.ci_unroll and p.CIN_G > 1
  return t
end

function M.accepts(p)
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
  p.MR, p.MV, p.COB, p.PF = MR, MV, COB, profiles.PF
  p.nc = plan.block_channels(p.COUT_G, MR)
  p.whole_blocks = p.COUT_G % MR == 0 -- no block padded: every store a whole vector of channels
  p.NR = math.min(M.NR_MAX, p.profile.acc // (MV * p.PARTS))
  for _, phase in ipairs(p.phases) do
    phase.block = p.CIN_G * phase.T * MR * p.PARTS -- packed real parts per (group, channel block)
  end
  local off = plan.pack_offsets(p.phases, 0, function(phase) return p.G * COB * phase.block end)
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

function M.what(p)
  return string.format("per-phase matrix products, %d channels x up to %d positions per tile", p.MR, p.NR)
end

-- row_tiles (tiles of several rows), row_blocks (rows in L2-sized blocks)
function M.features(p)
  local f = {}
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do
      if #r.taps > 0 and r.RH > 1 then f.row_tiles = true end
      if r.blocked then f.row_blocks = true end
    end
  end
  return f
end

-- The packed layout (pack.lua): per phase (or group member), group, channel block, input
-- channel and tap, the block's MR channels (zero past the group's last; complex: MR real parts,
-- then MR imaginary); then per group and block the bias, padded alike.
function M.layout(p)
  local out, limit = {}, p.COB * p.MR > p.COUT_G and p.COUT_G or nil
  for _, n in ipairs(pack.phases(p)) do
    local block = n.phase.block
    n.loops = { { "g", p.G }, { "cob", p.COB }, { "ci", p.CIN_G }, { "c", p.MR }, { "i", n.phase.T } }
    n.dst = { g = p.COB * block, cob = block, ci = n.phase.T * p.MR * p.PARTS, i = p.MR * p.PARTS, c = 1 }
    n.src, n.ci, n.co, n.limit, n.unit, n.parts = "weight", { g = p.CIN_G, ci = 1 }, { cob = p.MR, c = 1 }, limit, "R", p.MR
    out[#out + 1] = n
  end
  out[#out + 1] = { comment = "the bias, per group and channel block", base = p.bias_off,
                    loops = { { "g", p.G }, { "cob", p.COB }, { "c", p.MR } },
                    dst = { g = p.COB * p.MR * p.PARTS, cob = p.MR * p.PARTS, c = 1 }, src = "bias",
                    co = { cob = p.MR, c = 1 }, limit = limit, unit = "R", parts = p.MR }
  return out
end


-- What the template prints, beyond the plan (the plan's invariants checked first).
function M.view(v, p)
  assert(p.MR % p.L == 0 and #p.phases >= 1)
  local par = p.threads > 1
  v.g_loop, v.cob_loop = v.loop("g", 0, p.G - 1, par), v.loop("cob", 0, p.COB - 1, par)
  v.bias_block = p.MR * p.PARTS
  v.x_at = v.at_channel("x", "x", "n", "g * " .. p.CIN_G)
  v.run_body = v.groups.run_body("batch, input, (const " .. p.P .. " *)packed, output")
  -- a vector of packed weights or bias, and of inputs (lane_fma), as it loads
  v.WLOAD = p.VT_WIDEN or p.VT_LOAD
  -- channels_last stores a block's whole vectors where it can; float16 / bfloat16 outputs
  -- round one at a time from the tile
  v.direct = p.CL and not p.CPX and not p.HALF
  v.bias_fill = v.narrow(v.act(v.widen("bb[c]")))
  -- the block's bias vectors: b (real parts) and c (imaginary)
  v.bias_loads = {}
  for m = 0, p.MV - 1 do v.bias_loads[#v.bias_loads + 1] = { name = "b" .. m, at = v.offset("bb", p.L * m) } end
  if p.CPX then
    for m = 0, p.MV - 1 do v.bias_loads[#v.bias_loads + 1] = { name = "c" .. m, at = v.offset("bb", p.MR + p.L * m) } end
  end
  local y_block = v.at_channel("y", "y", "n", "g * " .. p.COUT_G .. " + cob * " .. p.MR)
  for _, ph in ipairs(p.phases) do
    ph.wb = v.offset("packed", ph.pack_off, "(g * " .. p.COB .. " + cob) * " .. ph.block)
    ph.yb = v.offset(y_block, ph.y0)
    ph.ci_loop = v.channel_loop(p.CIN_G, { { "xc", p.XC }, { "wc", ph.T * p.MR * p.PARTS } })
    for _, r in ipairs(ph.regions) do
      r.qt_loop, r.last_tile, r.last_qh, r.first_qh = v.row_tiles(r, false)
      r.tail_qw = r.main_end and r.main_end + 1
      for _, tl in ipairs({ r.main or false, r.tail or false }) do
        if tl then
          for _, xd in ipairs(tl.widened) do xd.value = v.widen("xc[" .. xd.x .. "]") end
          for j, pos in ipairs(tl.pos) do
            pos.j0 = j - 1
            pos.from_tile = v.narrow("tile[" .. (j - 1) .. "][c]")
          end
          for _, s in ipairs(tl.stores) do s.y = v.offset(tl.pos[s.j + 1].y, s.lane0) end
          for _, step in ipairs(tl.taps) do
            for _, pr in ipairs(step.products) do
              pr.xv = pr.widened or v.widen("xc[" .. pr.x .. "]")
              if pr.lanes then
                pr.lane_sums = {}
                for k, uses in ipairs(pr.lanes) do
                  pr.lane_sums[k] = v.join(uses, "%s += %s * v[" .. (k - 1) .. "];", " ")
                end
              end
            end
          end
        end
      end
    end
  end
end

return M
