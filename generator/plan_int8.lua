-- plan_int8.lua: the plan of an int8 layer (TensorFlow Lite's quantized TRANSPOSE_CONV).
--
-- The stride phases, taps and border regions are the float plan's (plan.build, NHWC strides).
-- What int8 adds, decided here once:
--   * the input zero point leaves the inner loop: sum (x - zp) * w = sum x * w - zp * sum w, and
--     the second sum depends only on which taps a region has, so each region gets its own
--     per-channel starting value bias - zp * sum w (wrapping at 32 bits as TFLite's sums do);
--   * weights packed as int16 pairs in 32-bit words, for input channels (4q, 4q+2) and
--     (4q+1, 4q+3): the order the Cortex-M DSP extension's SXTB16 widens four input bytes into,
--     so each word feeds one SMLAD (two multiply-adds); channels past the last quad one per word;
--   * each channel's requantization (TFLite's multiplier, split into left and right shifts).
--   * plain C (no DSP extension: Cortex-M0/M3, x86, tcc) reads TFLite's OHWI bytes as they are.
-- Packed (NAME_pack, int32 words; shapes/int8_phases.lua's layout, printed and evaluated by
-- pack.lua): the regions' starting values, then the DSP code's pairs or the plain code's OHWI
-- bytes. Which one is decided where the code is compiled (__ARM_FEATURE_DSP), pack and run alike.

local plan = require("plan")

local M = {}

M.CO_TILE = 4 -- output channels per register tile: 4 accumulators, the x words and pointers fit
              -- in a Cortex-M's 13 registers

-- Output-channel tiles of a group: as many full tiles as fit, then the rest.
local function tiles(count, want)
  local size = math.min(want, count)
  local t = { { start = 0, count = count // size, size = size } }
  if count % size > 0 then t[2] = { start = (count // size) * size, count = 1, size = count % size } end
  for _, tile in ipairs(t) do tile.stop = tile.start + tile.count * tile.size end
  return t
end


-- An int32 as a C literal (INT32_MIN has none of its own).
function M.int32_literal(v)
  if v == -2147483648 then return "(-2147483647 - 1)" end
  return tostring(v)
end

function M.build(l)
  local p = plan.build(l)
  local q = l.quantization
  p.ZP_IN, p.ZP_OUT, p.ACT_MIN, p.ACT_MAX = q.input_zero_point, q.output_zero_point, q.act_min, q.act_max
  p.per_tensor = #q.multiplier == 1
  p.MULT, p.LEFT, p.RIGHT = {}, {}, {}
  p.any_left = false
  for i, m in ipairs(q.multiplier) do
    local s = q.shift[i]
    p.MULT[i], p.LEFT[i], p.RIGHT[i] = m, math.max(s, 0), math.max(-s, 0)
    if s > 0 then p.any_left = true end
  end
  p.QUADS, p.TAIL = p.CIN_G // 4, p.CIN_G % 4
  p.CINW = 2 * p.QUADS + p.TAIL -- packed words per output channel per tap
  p.int8_tiles = tiles(p.COUT_G, M.CO_TILE)
  p.XN, p.YN = p.HW * p.CIN, p.OHW * p.COUT -- one image of input and of output
  p.PAD_H, p.PAD_W, p.DH, p.DW = l.padding[1], l.padding[2], l.dilation[1], l.dilation[2]
  p.weight_size = p.COUT * p.KHW * p.CIN_G

  -- each region's taps as (input offset, index among its phase's taps, kernel index), for the
  -- pixel function (unroll = "none")
  p.region_list, p.region_tap_table = {}, {}
  for _, ph in ipairs(p.phases) do
    for _, r in ipairs(ph.regions) do
      r.index = #p.region_list
      r.rb = r.index * p.COUT
      r.table_start = #p.region_tap_table // 3
      for _, t in ipairs(r.taps) do
        local n = #p.region_tap_table
        p.region_tap_table[n + 1], p.region_tap_table[n + 2], p.region_tap_table[n + 3] = t.x, t.i, t.w
      end
      p.region_list[#p.region_list + 1] = r
    end
  end
  p.RB_SIZE = #p.region_list * p.COUT
  -- the weights: int16 pairs per phase (the DSP code), or TFLite's OHWI bytes once (plain C)
  local off = 0
  for _, ph in ipairs(p.phases) do
    ph.wbase = off
    ph.GSTRIDE = p.COUT_G * ph.T * p.CINW
    off = off + p.G * ph.GSTRIDE
  end
  p.PAIR_WORDS = off
  p.BYTE_WORDS = (p.weight_size + 3) // 4
  p.int8_packed_size = math.max(p.RB_SIZE + math.max(p.PAIR_WORDS, p.BYTE_WORDS), 1)
  return p
end

-- Per output channel, true where the output zero point may be added inside the requantization's
-- high word: with the baked weights and starting values, |acc| <= B, so the result before the zero
-- point is at most B * m / 2^(31+e) + 1, and (that + |zp|) * 2^(e-1) must stay well inside int32.
function M.zero_point_folds(p, weights, starts)
  local out = {}
  for c = 0, #p.MULT - 1 do
    local channels = p.per_tensor and p.COUT or 1
    local ok = p.RIGHT[c + 1] > 0 and p.LEFT[c + 1] == 0
    for k = 0, channels - 1 do
      local co = p.per_tensor and k or c
      local bound = 0
      for r = 0, #p.region_list - 1 do bound = math.max(bound, math.abs(starts[r * p.COUT + co + 1])) end
      local sum = 0
      for i = co * p.KHW * p.CIN_G + 1, (co + 1) * p.KHW * p.CIN_G do sum = sum + math.abs(weights[i]) end
      bound = bound + 128 * sum
      local r = bound * p.MULT[c + 1] / 2.0 ^ (31 + p.RIGHT[c + 1]) + 2
      ok = ok and (r + math.abs(p.ZP_OUT) + 2) * 2.0 ^ (p.RIGHT[c + 1] - 1) < 2.0 ^ 30
    end
    out[c + 1] = ok and 1 or 0
  end
  return out
end

return M
