-- emit_cuda.lua: CUDA source, header and launch list for one normalized layer: the cuda_phases
-- shape's plan (generator/shapes/cuda_phases.lua) through its templates.

local plan = require("plan")
local registry = require("registry")
local emit_c = require("emit_c")
local template = require("template")

local M = {}

-- The plan of layer l for the cuda_phases shape (generator/shapes/cuda_phases.lua).
function M.build(l)
  local p = plan.build(l)
  local ok, why = registry.shape("cuda_phases").accepts(p)
  if not ok then error(why, 0) end
  return p
end

-- Where image n's channel c starts: the image's offset in 64 bits (a launch may hold up to
-- 65535 images, far past 2^31 elements), the rest within one image (the spec keeps an image's
-- tensors under 2^31 elements).
function M.at_channel(p)
  return function(base, side, n, c)
    local C, plane = side == "x" and p.CIN or p.COUT, side == "x" and p.HW or p.OHW
    if p.CL then return string.format("%s + (long long)%s * %d + %s", base, n, C * plane, c) end
    return string.format("%s + (long long)%s * %d + (%s) * %d", base, n, C * plane, c, plane)
  end
end

-- The launches one kernel of grid (gx, gy, gz) per image makes for a batch: grid y and z stay
-- within the driver's 65535. Images go together while their rows fit (gy * images <= 65535);
-- an image taller than that goes alone, in slices of rows (y0); channel tiles past 65535 in
-- slices too (z0). The runtime (backend_nvrtc.c) slices by the same rule.
M.GRID_YZ = 65535

local function vars(l)
  local p = M.build(l)
  local v = setmetatable({}, { __index = p })
  for k, x in pairs(emit_c.types(l, true)) do v[k] = x end
  v.version = CONVTGEN_VERSION
  v.GRID_YZ = M.GRID_YZ
  v.summary = emit_c.summary(l)
  v.NAME = l.name:upper()
  v.typedefs_line = v.typedefs:sub(1, -2) -- without its last newline
  v.act_code = emit_c.activation_code(l, "scalar", true)
  v.at_channel, v.scale = M.at_channel(p), emit_c.scale
  return p, v
end

function M.source(l)
  local p, v = vars(l)
  v.x_at = v.at_channel("x", "x", "n", "g * " .. p.CIN_G)
  v.y_at = v.at_channel("y", "y", "n", "g * " .. p.COUT_G .. " + cb")
  v.xq_col, v.xc_channel = v.scale("qw", p.XP), v.scale("ci", p.XC)
  v.acc_decls = {}
  for j = 0, p.CO_T - 1 do
    v.acc_decls[j + 1] = v.acc_decl("acc" .. j, p.bias and ("b[g * " .. p.COUT_G .. " + cb + " .. j .. "]") or nil)
  end
  -- per column phase: each tap's products over the tile's channels (and its bounds flag), stores
  for _, k in ipairs(p.kernels) do
    for _, c in ipairs(k.cols) do
      c.products, c.stores = {}, {}
      for i, t in ipairs(c.taps) do
        local terms = {}
        for j = 0, p.CO_T - 1 do
          terms[#terms + 1] = v.acc_add("acc" .. j, { { "xc[" .. t.x .. "]", "wc[" .. (j * p.KHW + t.w) .. "]" } })
        end
        c.products[i] = { v = "v" .. (i - 1), oh = t.oh, ow = t.ow, sum = table.concat(terms, " ") }
      end
      for j = 0, p.CO_T - 1 do
        c.stores[j + 1] = v.acc_store("yq[" .. (j * p.YC + c.rw * p.YP) .. "]", "acc" .. j)
      end
    end
  end
  return template.render("templates/kernel.cu.in", v)
end

function M.header(l)
  local p, v = vars(l)
  v.input_size, v.weight_size, v.output_size = p.N * p.CIN * p.HW, p.CIN * p.WC, p.N * p.COUT * p.OHW
  v.image_in, v.image_out = p.CIN * p.HW, p.COUT * p.OHW
  -- images per launch: as many as the grid's y dimension holds (one when an image's rows overflow it)
  for _, k in ipairs(p.kernels) do
    k.together = k.grid[2] <= M.GRID_YZ
    k.per = k.together and M.GRID_YZ // k.grid[2] or 1
    k.per_text = k.per .. " image" .. (k.per > 1 and "s" or "")
  end
  return template.render("templates/kernel.cuh.in", v)
end

-- The launch list the runtime reads: per kernel its name, grid (gy for one image) and block.
function M.launches(l)
  local p = M.build(l)
  local out = {}
  for _, k in ipairs(p.kernels) do
    out[#out + 1] = { name = string.format("%s_rh%d", p.name, k.rh), grid = { k.grid[1], k.grid[2], k.grid[3] },
                      block = { k.block[1], k.block[2], 1 } }
  end
  return out
end

return M
