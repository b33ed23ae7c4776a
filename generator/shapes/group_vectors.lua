-- group_vectors (vector, channels_last, depthwise: one input and one output channel per group):
-- the groups lie side by side in memory, so vectors of VL groups, a tile of NR positions of one
-- vector of groups in accumulators, each tap's weights for the VL groups one vector load
-- (packed per phase as [tap][group], then the bias).

local pack = require("pack")
local plan = require("plan")
local profiles = require("profiles")

local M = { name = "group_vectors", template = "templates/group_vectors.c.in", convention = "packed",
            vector = true }

function M.accepts(p)
  if not p.CL then return false, "contiguous (NCHW): the groups of a position lie apart" end
  if p.CPX or p.N == 0 then return false, "complex, or an empty batch" end
  if p.CIN_G ~= 1 or p.COUT_G ~= 1 or p.G == 1 then return false, "not depthwise" end
  local VL = plan.lanes_dividing(p, p.G)
  if not VL then return false, string.format("groups (%d) not a multiple of %d", p.G, 16 // p.ES) end
  p.L, p.VL, p.GV = VL, VL, p.G // VL
  profiles.vector_names(p)
  p.NR = math.min(8, p.profile.vregs - 4)
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do r.NR = plan.region_positions(r, p.NR) end
  end
  local off = plan.pack_offsets(p.phases, 0, function(phase) return phase.T * p.G end)
  p.bias_off = off
  p.packed_size = off + p.COUT
  return true
end

function M.what(p)
  return string.format("channels_last, depthwise: vectors of %d channels, up to %d positions per tile", p.VL, p.NR)
end

-- The packed layout (pack.lua): per phase (or group member), per tap, every group's weight side
-- by side; then the bias.
function M.layout(p)
  local out = {}
  for _, n in ipairs(pack.phases(p)) do
    n.loops = { { "i", n.phase.T }, { "g", p.G } }
    n.dst = { i = p.G, g = 1 }
    n.src, n.ci, n.co, n.unit = "weight", { g = 1 }, {}, "T"
    out[#out + 1] = n
  end
  out[#out + 1] = { comment = "the bias", base = p.bias_off, loops = { { "g", p.G } }, dst = { g = 1 },
                    src = "bias", co = {}, unit = "T" }
  return out
end


-- What the template prints, beyond the plan (the plan's invariants checked first).
function M.view(v, p)
  assert(p.CL and p.CIN_G == 1 and p.COUT_G == 1 and p.G % p.VL == 0 and #p.phases >= 1)
  v.group_tables = v.groups.tables(v.emit_pack)
  v.run_body = v.groups.run_body("batch, input, packed, output")
  v.xr = v.at_channel("x", "x", "n", "gv")
  local ind = "          "
  -- one tile of nr positions at (qh, qw), for the vector of groups at gv
  local function tile(r, nr, head)
    local t = { head = head, accs = {}, taps = {}, stores = {} }
    for j = 0, nr - 1 do t.accs[j + 1] = "a" .. j end
    for _, tap in ipairs(r.taps) do
      local uses = {}
      for j = 0, nr - 1 do uses[#uses + 1] = { "a" .. j, p.VT_LOAD .. "(" .. v.offset("xc", tap.x + j * p.XP) .. ")" } end
      t.taps[#t.taps + 1] = { w = v.offset("wb", tap.i * p.G), sum = v.join_lines(uses, "%s += %s * w;", " ", 2, ind .. "    ") }
    end
    local row = {}
    for j = 0, nr - 1 do
      row[j + 1] = { "a" .. j }
      t.stores[j + 1] = { y = v.offset("yq", j * p.YSW), acc = "a" .. j }
    end
    t.act = v.act_v_rows({ row })
    return t
  end
  for _, ph in ipairs(p.phases) do
    ph.yr = v.offset(v.at_channel("y", "y", "n", "gv"), ph.y0)
    ph.wb = v.offset("packed", ph.pack_off)
    for _, r in ipairs(ph.regions) do
      r.qh_loop = v.loop("qh", r.qh0, r.qh1, p.threads > 1)
      r.tiles = {}
      for i, run in ipairs(v.column_runs(r)) do r.tiles[i] = tile(r, run.nr, run.head) end
    end
  end
end

return M
