-- row_vectors (vector): few output channels per group. Vectors of L positions along a row (the
-- input row is contiguous there), a tile of up to 4 output channels by V vectors in registers,
-- weights read as PyTorch stores them and broadcast. Rows narrower than a vector finish with
-- scalar code. Rejects layers whose rows are too short to fill vectors.

local plan = require("plan")

-- float16 / bfloat16 (half): input vectors widened as they load, weights and bias as read,
-- each stored vector rounded as it leaves (merged stores widen what is there and round it back:
-- exact, it was a 16-bit value).
local M = { name = "row_vectors", template = "templates/row_vectors.c.in", convention = "direct",
            vector = true, half = true }

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
  tile.weights_from_memory = not in_regs
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
  -- the first merged store of a tile says what a merged store does; the others are alike
  local said = false
  for _, row in ipairs(tile.rows) do
    for _, st in ipairs(row.stores) do
      if st.kind == "merge" then
        st.note = said and "" or string.format(" /* the %d outputs around these %d: this phase's lanes merged into " ..
                                               "what is there */", p.SW * p.L, p.L)
        said = true
      end
    end
  end
  return tile
end

function M.accepts(p)
  local L = p.LP -- positions per vector (complex: pairs of parts)
  if p.CL then return false, "channels_last: rows are not contiguous" end
  if p.grouped then return false, "phase groups (more than " .. plan.GROUP_MIN_PHASES .. " phases)" end
  if p.N == 0 or p.dims[2][1].Q < L then return false, string.format("rows of fewer than %d outputs per phase", L) end
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

function M.what(p)
  return string.format("vectors of %d along rows, up to %d channels x %d positions per tile " ..
                       "(few output channels)", p.LP, p.co_tiles[1].size, p.VW)
end

-- row_tiles (tiles of several rows), merged_stores (strided stores as whole vectors)
function M.features(p)
  local f = {}
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do
      if r.RH > 1 then f.row_tiles = true end
      for _, v in pairs(r.by_tile) do
        for _, tl in pairs(v) do
          for _, row in ipairs(tl.rows) do
            for _, st in ipairs(row.stores) do if st.kind == "merge" then f.merged_stores = true end end
          end
        end
      end
    end
  end
  return f
end


-- What the template prints, beyond the plan (the plan's invariants checked first).
function M.view(v, p)
  assert(p.VW % p.LP == 0 and #p.co_tiles >= 1)
  local ind = "            " -- where the template prints a tile
  v.g_loop = v.loop("g", 0, p.G - 1)
  v.ci_loop = v.channel_loop(p.CIN_G, { { "xc", p.HW }, { "wc", p.WC } })
  v.wb = v.offset("w", "g * " .. p.WG, "cb * " .. p.KHW)
  v.lp_last = p.LP - 1
  -- a vector of inputs as it loads, a vector of outputs as it stores; a bias scalar's type
  v.XLOAD, v.YSTORE, v.BT = p.VT_WIDEN or p.VT_LOAD, p.VT_NARROW or p.VT_STORE, p.HALF and p.R or v.T
  for _, t in ipairs(p.co_tiles) do
    t.cb_loop = v.loop("cb", t.start, t.stop - t.size, false, t.size)
    t.biases = {}
    for j = 0, t.size - 1 do
      t.biases[j + 1] = { j = j, value = p.bias and v.widen("b[" .. v.offset("g * " .. p.COUT_G, "cb", j) .. "]") or v.zero,
                          lanes = p.CPX and v.pair_lanes("b" .. j, p.LP) or nil }
    end
  end
  local function tile(tl)
    tl.xc = v.offset("qh * " .. p.W, tl.q0)
    tl.inits = {}
    for i, row in ipairs(tl.accs) do tl.inits[i] = v.join(row, "%s = %s + (" .. p.VT .. "){0}", ", ") end
    for _, w in ipairs(tl.weights) do w.load = v.widen("wc[" .. w[2] .. "]") end
    for _, ld in ipairs(tl.loads) do
      ld.x = v.offset("xc", ld.off)
      if p.HALF and tl.weights_from_memory then -- each weight widens as it is read
        for _, u in ipairs(ld.uses) do u[2] = v.widen(u[2]) end
      end
      ld.sum = p.CPX and v.join_lines(ld.uses, "%s += x * %s + xs * %s;", " ", 2, ind .. "    ")
                      or v.join_lines(ld.uses, "%s += x * %s;", " ", 4, ind .. "    ")
    end
    for _, row in ipairs(tl.rows) do
      for _, st in ipairs(row.stores) do
        if st.kind == "vector" then
          st.at = v.offset(v.offset("yq", st.off), tl.q0)
        elseif st.kind == "merge" then
          st.yv = v.offset("yq", st.off) .. " + " .. (tl.q0 == "qw" and "qw" or "(" .. tl.q0 .. ")") .. " * " .. p.SW
          for _, m in ipairs(st.masks) do m.at = v.offset("yv", m.off) end
        else
          st.at = v.offset(st.off, "(" .. v.offset(tl.q0, st.v0) .. " + l) * " .. p.SW)
          st.lane = v.narrow(st.acc .. "[l]")
        end
      end
    end
  end
  for _, ph in ipairs(p.phases) do
    ph.y0_plus = ph.y0 ~= 0 and " + " .. ph.y0 or ""
    for _, r in ipairs(ph.regions) do
      r.qt_loop, r.last_tile, r.last_qh, r.first_qh = v.row_tiles(r, p.threads > 1)
      r.vw_last = r.VW and r.VW - 1
      r.tail_q0 = r.qw1 - (p.LP - 1)
      r.scalar_code = {}
      for ti, t in ipairs(p.co_tiles) do
        local tiles = r.by_tile[ti]
        for _, kind in ipairs({ "main", "single", "tail" }) do
          if tiles[kind] then tile(tiles[kind]) end
        end
        -- the scalar columns: per tap the products, per channel the store
        local sc = { taps = {}, stores = {} }
        for _, tap in ipairs(r.taps) do
          local e = {}
          if p.CPX then
            for j = 0, t.size - 1 do
              e[#e + 1] = v.acc_add("s" .. j, { { "xc[" .. tap.x .. "]", "wc[" .. (j * p.KHW + tap.w) .. "]" } })
            end
          else
            local uses = {}
            for j = 0, t.size - 1 do uses[#uses + 1] = { "s" .. j, j * p.KHW + tap.w } end
            local wfmt = p.HALF and "%s += xv * " .. v.widen("wc[%d]") .. ";" or "%s += xv * wc[%d];"
            e[1] = "{ const " .. p.R .. " xv = " .. v.widen("xc[" .. tap.x .. "]") .. "; " .. v.join(uses, wfmt, " ") .. " }"
          end
          sc.taps[#sc.taps + 1] = e
        end
        for j = 0, t.size - 1 do
          local at = "yq[" .. v.offset("rr * " .. ph.ys, j * p.OHW, "qw * " .. p.SW) .. "]"
          sc.stores[j + 1] = { j = j, decl = p.CPX and v.acc_decl("s" .. j, "b" .. j) or nil,
                               store = p.CPX and v.acc_store(at, "s" .. j) or at .. " = " .. v.narrow(v.act("s" .. j)) .. ";" }
        end
        r.scalar_code[ti] = sc
      end
    end
  end
end

return M
