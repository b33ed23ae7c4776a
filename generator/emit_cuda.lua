-- emit_cuda.lua: CUDA source and header for one normalized layer, from the same plan as C.
--
-- One kernel per output row phase rh. A thread owns one output column position qw of that
-- phase, one row qh, and a tile of output channels, and computes every column phase rw for
-- it in turn: all threads of a warp run the same phase and taps at once (no divergence on
-- phase), read consecutive inputs and write consecutive outputs (coalesced in NCHW).

local plan = require("plan")
local emit_c = require("emit_c")
local template = require("template")

local M = {}

local function largest_divisor(n, options)
  for _, v in ipairs(options) do if n % v == 0 then return v end end
  return 1
end

M.MAX_TAPS = 4096 -- every tap is written out, once for the interior and once for the border

function M.build(l)
  if l.kernel_size[1] * l.kernel_size[2] > M.MAX_TAPS then
    error(string.format("kernel_size: %dx%d is %d taps; the CUDA kernel writes each out and takes at most %d " ..
                        "(the C targets take any kernel)", l.kernel_size[1], l.kernel_size[2],
                        l.kernel_size[1] * l.kernel_size[2], M.MAX_TAPS), 0)
  end
  local p = plan.build(l)
  p.CO_T = largest_divisor(p.COUT_G, { 4, 2, 1 })  -- a tile never crosses a group
  p.CO_BLOCKS = p.COUT // p.CO_T
  p.TILES_PER_GROUP = p.COUT_G // p.CO_T
  p.QW_MAX = p.dims[2][1].Q                          -- column phase 0 has the most positions
  p.BX = 32
  while p.BX > 1 and p.BX // 2 >= p.QW_MAX do p.BX = p.BX // 2 end
  p.BY = math.max(1, 128 // p.BX)
  p.kernels = {}
  for _, ph in ipairs(p.dims[1]) do
    if ph.Q > 0 then
      local k = { rh = ph.r, QH = ph.Q, rows = ph.interior, cols = {} }
      k.BY = math.min(p.BY, ph.Q)
      k.QH_BLOCKS = (ph.Q + k.BY - 1) // k.BY
      -- grid y per image: a launch for a batch of n images has n times as many (the runtime's
      -- and the launcher's business, so one compiled kernel serves any batch)
      k.grid = { (p.QW_MAX + p.BX - 1) // p.BX, k.QH_BLOCKS, p.CO_BLOCKS }
      k.block = { p.BX, k.BY, 1 }
      for _, pw in ipairs(p.dims[2]) do
        if pw.Q > 0 then
          local c = { rw = pw.r, QW = pw.Q, cols = pw.interior, taps = {} }
          for _, th in ipairs(ph.taps) do
            for _, tw in ipairs(pw.taps) do
              c.taps[#c.taps + 1] = { x = th.off * p.XR + tw.off * p.XP, w = th.k * p.KW + tw.k,
                                      oh = th.off, ow = tw.off }
            end
          end
          c.interior = k.rows and c.cols and c.taps[1] and true or false
          k.cols[#k.cols + 1] = c
        end
      end
      for _, c in ipairs(k.cols) do k.reads = k.reads or #c.taps > 0 end
      p.kernels[#p.kernels + 1] = k
    end
  end
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
  for k, x in pairs(emit_c.types(l)) do v[k] = x end
  v.version = CONVTGEN_VERSION
  v.GRID_YZ = M.GRID_YZ
  v.summary = emit_c.summary(l)
  v.NAME = l.name:upper()
  v.act_code = emit_c.activation_code(l, "scalar", true)
  v.at_channel, v.scale = M.at_channel(p), emit_c.scale
  return p, v
end

function M.source(l)
  local _, v = vars(l)
  return template.render("templates/kernel.cu.in", v)
end

function M.header(l)
  local _, v = vars(l)
  return template.render("templates/kernel.cuh.in", v)
end

-- The launch list the runtime reads: one line per kernel, "name gx gy gz bx by bz", gy for one
-- image.
function M.launches(l)
  local p = M.build(l)
  local out = {}
  for _, k in ipairs(p.kernels) do
    out[#out + 1] = string.format("%s_rh%d %d %d %d %d %d 1\n", p.name, k.rh, k.grid[1], k.grid[2],
                                  k.grid[3], k.block[1], k.block[2])
  end
  return table.concat(out)
end

return M
