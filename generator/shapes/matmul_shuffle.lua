-- matmul_shuffle (vector): kernel == stride with no padding, dilation or output padding (and so
-- 1x1 stride 1): every output pixel gets exactly one tap, input pixel (h, w) alone makes the
-- output block (h*s .. h*s+s-1, w*s .. w*s+s-1), so the layer is a matrix product of the weights
-- by the input followed by a pixel shuffle. Vectors of L input positions along a row, a tile of
-- CT output channels x KW kernel columns x V vectors in registers, weights broadcast from a
-- packed copy; the KW column results interleave into contiguous output. Rows of a vector or
-- more, weights that fit in L2. Packed per group and block of CT channels: per input channel,
-- per channel, the KHW taps; then each group's bias padded to its blocks.

local pack = require("pack")
local plan = require("plan")
local profiles = require("profiles")

local M = { name = "matmul_shuffle", template = "templates/matmul_shuffle.c.in", convention = "packed",
            vector = true }

-- Each input row meets every weight, so they must stay in L2 (else phase_matmul, which keeps a
-- channel block's weights in cache across rows, does better: unet_up1, 8 MiB).
M.GEMM_WEIGHT_BYTES = 1024 * 1024

-- One tile of matmul_shuffle at column q0 (a number, or the loop's "q"): vectors at q0 + offs[v].
local function matmul_shuffle_tile(p, q0, offs)
  local t = { q0 = q0, loads = {}, accs = {}, products = {}, channels = {} }
  for v, o in ipairs(offs) do t.loads[v] = { "x" .. (v - 1), o } end
  local last = offs[#offs] + p.LP - 1
  t.prefetch_last = last >= p.LINE and profiles.PF * p.HW + last or nil
  for c = 0, p.CT - 1 do
    -- a padded block's last tile stores only its real channels
    local ch = { c = c, y = c * p.OHW, stores = {}, open = p.whole_blocks and "{" or string.format("if (%d < nc) {", c) }
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

function M.accepts(p)
  if p.CL then return false, "channels_last: rows are not contiguous" end
  if p.N == 0 or p.KH ~= p.SH or p.KW ~= p.SW or not plan.plain_taps(p.layer) then
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
  p.VROW, p.V, p.CT, p.COB, p.block, p.PF = VROW, V, CT, COB, block, profiles.PF
  p.nc = plan.block_channels(p.COUT_G, CT)
  p.whole_blocks = p.COUT_G % CT == 0 -- no block padded: every channel of a tile stored
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

function M.what(p)
  return string.format("kernel == stride: a matrix product and a pixel shuffle, %d channels x %d " ..
                       "kernel columns x %d vectors of %d positions per tile", p.CT, p.KW, p.V, p.LP)
end

-- long_rows: rows of several tiles
function M.features(p) return { long_rows = p.VROW == nil or nil } end

-- The packed layout (pack.lua): per group, block of CT output channels and input channel, each
-- of the block's channels' KHW taps (zero past the group's last channel); then the bias, padded
-- alike.
function M.layout(p)
  local limit = p.COB * p.CT > p.COUT_G and p.COUT_G or nil
  return {
    { comment = "the weights", base = 0,
      loops = { { "g", p.G }, { "cob", p.COB }, { "ci", p.CIN_G }, { "c", p.CT }, { "t", p.KHW } },
      dst = { g = p.COB * p.block, cob = p.block, ci = p.CT * p.KHW, c = p.KHW, t = 1 }, src = "weight",
      ci = { g = p.CIN_G, ci = 1 }, co = { cob = p.CT, c = 1 }, tap = { t = 1 }, limit = limit, unit = "T" },
    { comment = "the bias, per group and channel block", base = p.bias_off,
      loops = { { "g", p.G }, { "cob", p.COB }, { "c", p.CT } }, dst = { g = p.COB * p.CT, cob = p.CT, c = 1 },
      src = "bias", co = { cob = p.CT, c = 1 }, limit = limit, unit = "T" },
  }
end


-- What the template prints, beyond the plan (the plan's invariants checked first).
function M.view(v, p)
  assert(p.V >= 1 and p.CT >= 1 and p.W >= p.LP)
  local par = p.threads > 1
  v.g_loop, v.h_loop = v.loop("g", 0, p.G - 1, par), v.loop("h", 0, p.H - 1, par)
  v.cob_loop, v.kh_loop = v.loop("cob", 0, p.COB - 1), v.loop("kh", 0, p.KH - 1)
  v.ci_loop = v.channel_loop(p.CIN_G, { { "xc", p.HW }, { "wc", p.CT * p.KHW } })
  v.prefetch_ahead, v.packed_bytes, v.row_step = p.PF * p.HW, p.ES * p.PARTS * p.packed_size, p.SH * p.OW
  v.vw_last, v.lp_last = p.VW and p.VW - 1, p.LP - 1
  v.bias_vectors = {}
  for c = 0, p.CT - 1 do
    v.bias_vectors[c + 1] = { c = c, init = p.CPX and "{ " .. v.pair_lanes("bb[" .. c .. "]", p.LP) .. " }"
                                                or "(" .. p.VT .. "){0} + bb[" .. c .. "]" }
  end
  for _, tl in pairs(p.tiles) do
    tl.xc = v.offset("xr", tl.q0)
    tl.inits = {}
    for i, row in ipairs(tl.accs) do tl.inits[i] = v.join(row, "%s = %s", ", ") end
    for _, ld in ipairs(tl.loads) do ld.at = v.offset("xc", ld[2]) end
    for _, pr in ipairs(tl.products) do
      pr.sum = v.join(pr.uses, "%s += %s * w;", " ")
      pr.sum_im = p.CPX and v.join(pr.uses, "%s += s%s * wi;", " ") or nil
    end
    for _, ch in ipairs(tl.channels) do
      ch.yc = v.offset(ch.y, "kh * " .. p.OW, tl.q0 == "q" and ("q * " .. p.KW) or tl.q0 * p.KW)
      for _, st in ipairs(ch.stores) do
        st.at = v.offset("yc", st.off)
        if st.kind == "interleave" then st.at2 = v.offset("yc", st.off + p.LP) end
        st.lanes = {}
        for kw, acc in ipairs(st.acc) do st.lanes[kw] = { acc = acc, at = v.offset(st.off, "l * " .. p.KW, kw - 1) } end
      end
    end
  end
end

return M
