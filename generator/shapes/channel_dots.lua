-- channel_dots (vector, channels_last): few output channels per group (where phase_matmul's
-- vectors of output channels would be mostly empty: fsrcnn's 1, DCGAN's last 3). channels_last
-- puts each position's input channels side by side, so each output is a dot product over (tap,
-- input channel) in vectors of VL input channels: a tile of NR positions by all the group's
-- output channels in accumulators, each summed across its lanes once, at the end (a tree of
-- shuffles). Packed per phase and group as [channel vector][tap][output channel][VL lanes],
-- then the bias.

local pack = require("pack")
local plan = require("plan")
local profiles = require("profiles")

local M = { name = "channel_dots", template = "templates/channel_dots.c.in", convention = "packed",
            vector = true }

M.DOTS_MIN_WORK = 4 -- channel vectors x taps per output, at least: less leaves the lane sums the cost
M.DOTS_MAX_WRITTEN = 1200 -- taps x positions of the wide regions' tiles, at most

function M.accepts(p)
  if not p.CL then return false, "contiguous (NCHW): a position's input channels lie apart" end
  if p.CPX or p.N == 0 then return false, "complex, or an empty batch" end
  local VL = plan.lanes_dividing(p, p.CIN_G)
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
  p.L, p.VL, p.CV = VL, VL, p.CIN_G // VL
  profiles.vector_names(p)
  -- at most 8 positions a tile (region_positions: 2 at the borders, fsrcnn's 9x9 kernel), halved
  -- while the wide regions' tiles would write out over 1,200 tile positions x taps
  local full = math.min(NR, 8)
  local written = 0 -- at full width
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do
      local nr = plan.region_positions(r, full)
      if r.qw1 - r.qw0 + 1 >= nr then written = written + #r.taps * nr end
    end
  end
  p.NR = full
  while p.NR > 2 and written * p.NR > M.DOTS_MAX_WRITTEN * full do p.NR = p.NR // 2 end
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do r.NR = plan.region_positions(r, p.NR) end
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
  local off = plan.pack_offsets(p.phases, 0, function(phase) return p.G * phase.block end)
  p.bias_off = off
  p.packed_size = off + p.COUT
  return true
end

function M.what(p)
  return string.format("channels_last, few output channels: dot products over vectors of %d input " ..
                       "channels, %d positions x %d channels per tile", p.VL, p.NR, p.COUT_G)
end

-- The packed layout (pack.lua): per phase (or group member) and group, per vector of VL input
-- channels, per tap, per output channel, the VL channels' weights side by side; then the bias.
function M.layout(p)
  local out = {}
  for _, n in ipairs(pack.phases(p)) do
    n.loops = { { "g", p.G }, { "cv", p.CIN_G // p.VL }, { "l", p.VL }, { "i", n.phase.T }, { "co", p.COUT_G } }
    n.dst = { g = n.phase.block, cv = n.phase.cv_step, l = 1, i = p.COUT_G * p.VL, co = p.VL }
    n.src, n.ci, n.co, n.unit = "weight", { g = p.CIN_G, cv = p.VL, l = 1 }, { co = 1 }, "T"
    out[#out + 1] = n
  end
  out[#out + 1] = { comment = "the bias", base = p.bias_off, loops = { { "g", p.G }, { "co", p.COUT_G } },
                    dst = { g = p.COUT_G, co = 1 }, src = "bias", co = { co = 1 }, unit = "T" }
  return out
end


-- What the template prints, beyond the plan (the plan's invariants checked first).
function M.view(v, p)
  assert(p.CL and p.CIN_G % p.VL == 0 and #p.phases >= 1)
  v.group_tables = v.groups.tables(v.emit_pack)
  v.run_body = v.groups.run_body("batch, input, packed, output")
  v.g_loop = v.loop("g", 0, p.G - 1)
  v.x_at = v.at_channel("x", "x", "n", "g * " .. p.CIN_G)
  v.bias_value = v.act("packed[" .. p.bias_off .. " + c]")
  local ind = "          "
  -- one tile of nr positions at (qh, qw) over the region's taps
  local function tile(r, nr, head)
    local t = { head = head, inits = {}, taps = {}, stores = {} }
    for j = 0, nr - 1 do
      local accs = {}
      for c = 0, p.COUT_G - 1 do accs[#accs + 1] = { "a" .. j .. "_" .. c } end
      t.inits[j + 1] = v.join(accs, "%s = {0}", ", ")
    end
    for _, tap in ipairs(r.taps) do
      local e = { weights = {}, products = {} }
      for c = 0, p.COUT_G - 1 do
        e.weights[c + 1] = { name = "w" .. c .. "_" .. tap.i, at = v.offset("wc", (tap.i * p.COUT_G + c) * p.VL) }
      end
      for j = 0, nr - 1 do
        local uses = {}
        for c = 0, p.COUT_G - 1 do uses[#uses + 1] = { "a" .. j .. "_" .. c, "w" .. c .. "_" .. tap.i } end
        e.products[j + 1] = { x = v.offset("xc", tap.x + j * p.XP), sum = v.join(uses, "%s += v * %s;", " ") }
      end
      t.taps[#t.taps + 1] = e
    end
    for j = 0, nr - 1 do
      for c = 0, p.COUT_G - 1 do
        local a = "a" .. j .. "_" .. c
        t.stores[#t.stores + 1] = { acc = a, y = v.offset(j * p.YSW, c), value = v.act("bb[" .. c .. "] + " .. a .. "[0]") }
      end
    end
    return t
  end
  for _, ph in ipairs(p.phases) do
    ph.y_all = v.offset(v.at_channel("y", "y", "n", 0), ph.y0)
    ph.yr = v.offset(v.at_channel("y", "y", "n", "g * " .. p.COUT_G), ph.y0)
    ph.wb = v.offset("packed", ph.pack_off)
    ph.ci_loop = v.channel_loop(p.CV, { { "xc", p.VL }, { "wc", ph.cv_step } })
    for _, r in ipairs(ph.regions) do
      r.qh_loop = v.loop("qh", r.qh0, r.qh1, p.threads > 1)
      r.tiles = {}
      for i, run in ipairs(v.column_runs(r)) do r.tiles[i] = tile(r, run.nr, run.head) end
    end
  end
end

return M
