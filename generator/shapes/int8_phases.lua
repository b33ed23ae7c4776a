-- int8_phases (int8, every C target): the stride-phase code of a TFLite int8 layer, one code for
-- every C target, with the Cortex-M DSP extension's SMLAD where the compiler has
-- __ARM_FEATURE_DSP and plain C99 elsewhere (tcc, x86, Cortex-M0/M3). plan_int8.lua holds its
-- plan: regions' starting values, int16-pair weights, requantization.

local pack = require("pack")

local M = { name = "int8_phases", template = "templates/int8_phases.c.in", convention = "packed",
            int8 = true }

M.MAX_REGIONS = 1024 -- past it (huge kernels or strides) the tap-table code

function M.accepts(p)
  if p.compact then return false, p.compact end
  if p.many_phases then return false, p.many_phases end
  local regions = 0
  for _, ph in ipairs(p.phases) do regions = regions + #ph.regions end
  if regions > M.MAX_REGIONS then
    return false, string.format("%d regions, over the %d written out", regions, M.MAX_REGIONS)
  end
  return true, "int8: one code for every C target (SMLAD where the compiler has __ARM_FEATURE_DSP)"
end

function M.what(p)
  return string.format("int8 stride-phase code, %d phases with their borders peeled, %d output channels per " ..
                       "tile, int16-pair weights (SMLAD with __ARM_FEATURE_DSP)", #p.phases, p.int8_tiles[1].size)
end

-- int32 words NAME_pack writes: the regions' starting values, then the DSP pairs or the bytes
function M.packed_size(p) return p.int8_packed_size end

-- The packed layout (pack.lua), in int32 words: each region's starting values (COUT per region,
-- in phase order), then under NAME_DSP per phase, group, channel tile, tap: the tile's channels'
-- int16 pairs (channels (4q, 4q+2) and (4q+1, 4q+3), two words per quad) and the tail channels
-- one per word; without it TFLite's OHWI bytes as they are.
function M.layout(p)
  local KC = p.KHW * p.CIN_G -- one output channel's weights
  local items = {}
  for i, r in ipairs(p.region_list) do
    items[i] = {}
    for j, t in ipairs(r.taps) do items[i][j] = t.w end
  end
  local out = {
    { part = "starts", base = 0, unit = "i32", src = "start", items = items, co = { co = 1 },
      comment = "each region's starting value per channel: the bias minus the input zero point times the region's weights",
      loops = { { "item", #items }, { "co", p.COUT } }, dst = { item = p.COUT, co = 1 },
      windex = { co = KC }, tap_k = p.CIN_G, sum_ci = p.CIN_G, zero_point = p.ZP_IN },
  }
  local dsp = p.name:upper() .. "_DSP"
  for _, ph in ipairs(p.phases) do
    if ph.T > 0 then
      local taps = {}
      for i, t in ipairs(ph.all_taps) do taps[i] = t.w end
      local comment = string.format("phase (%d, %d): %d tap%s", ph.rh, ph.rw, ph.T, ph.T == 1 and "" or "s")
      for _, tile in ipairs(p.int8_tiles) do
        local base = p.RB_SIZE + ph.wbase + tile.start * ph.T * p.CINW
        local size = tile.size
        local dst = { g = ph.GSTRIDE, cb = size * ph.T * p.CINW, i = size * p.CINW }
        local w = { g = p.COUT_G * KC, cb = size * KC, j = KC, const = tile.start * KC }
        local loops = { { "g", p.G }, { "cb", tile.count }, { "i", ph.T } }
        if p.QUADS > 0 then
          out[#out + 1] = { part = "pairs", guard = dsp, base = base, taps = taps, tap_k = p.CIN_G, unit = "i32",
            src = "pair", hi = 2, comment = comment,
            loops = { loops[1], loops[2], loops[3], { "qd", p.QUADS }, { "j", size }, { "h", 2 } },
            dst = pack.combine(dst, 1, { qd = 2 * size, j = 2, h = 1 }), windex = pack.combine(w, 1, { qd = 4, h = 1 }) }
          comment = nil
        end
        if p.TAIL > 0 then
          out[#out + 1] = { part = "pairs", guard = dsp, base = base + 2 * p.QUADS * size, taps = taps, tap_k = p.CIN_G,
            unit = "i32", src = "weight", comment = comment,
            loops = { loops[1], loops[2], loops[3], { "c", p.TAIL }, { "j", size } },
            dst = pack.combine(dst, 1, { c = size, j = 1 }), windex = pack.combine(w, 1, { c = 1, const = 4 * p.QUADS }) }
          comment = nil
        end
      end
    end
  end
  out[#out + 1] = { part = "bytes", guard = "!" .. dsp, comment = "TFLite's OHWI bytes", base = 4 * p.RB_SIZE,
                    unit = "i8", src = "weight", loops = { { "i", p.weight_size } }, dst = { i = 1 }, windex = { i = 1 } }
  return out
end

-- What the template prints (v: emit_int8's variables and helpers).
function M.view(v, p)
  v.KC = p.KHW * p.CIN_G -- one output channel's weights
  v.g_loop, v.xq_col = v.loop("g", 0, p.G - 1), v.scale("qw", p.XP)
  v.w_plain = v.offset("g * " .. p.COUT_G, "cb")
  for _, ph in ipairs(p.phases) do
    ph.yq = v.offset("qh * " .. ph.ys, "qw * " .. p.YSW, ph.y0)
    ph.wph = ph.reads and "wts + " .. p.name .. "_phase_base(" .. ph.wbase .. ")" or "wts"
    ph.w_dsp = v.offset(ph.wbase, "g * " .. ph.GSTRIDE, "cb * " .. ph.T * p.CINW)
    for _, r in ipairs(ph.regions) do
      r.qh_loop, r.qw_loop = v.loop("qh", r.qh0, r.qh1), v.loop("qw", r.qw0, r.qw1)
      r.taps_at = 3 * r.table_start
      r.rb_at = v.offset(r.rb, "g * " .. p.COUT_G, "cb")
      -- a block per channel tile (per tile position with unroll_tiles: the channels constants)
      r.blocks = {}
      for _, t in ipairs(p.int8_tiles) do
        for cb0 = t.start, p.unroll_tiles and t.stop - t.size or t.start, t.size do
          local bl = { accs = v.accs(t.size, "rb"), dsp = v.dsp_tap(t.size), plain = v.plain_tap(t.size),
                       taps = {}, outs = {},
                       loop = p.unroll_tiles and v.loop("cb", cb0, cb0) or v.loop("cb", t.start, t.stop - t.size, false, t.size) }
          local pos = 0 -- where the DSP code's weight pointer stands, in words from the tile's first
          for _, tap in ipairs(r.taps) do
            local at = tap.i * t.size * p.CINW
            bl.taps[#bl.taps + 1] = { kh = tap.kh, kw = tap.kw, xt = "xg" .. (tap.x ~= 0 and " + " .. tap.x or ""),
                                      advance = at ~= pos and at - pos or nil,
                                      wt = "w" .. (tap.w > 0 and " + " .. tap.w * p.CIN_G or "") }
            pos = (tap.i + 1) * t.size * p.CINW
          end
          for j = 0, t.size - 1 do
            local co = v.offset("g * " .. p.COUT_G, "cb", j)
            bl.outs[j + 1] = { y = co, acc = "a" .. j, channel = v.channel(co) }
          end
          r.blocks[#r.blocks + 1] = bl
        end
      end
    end
  end
end

return M
