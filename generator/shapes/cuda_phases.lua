-- cuda_phases (CUDA): one kernel per output row phase rh. A thread owns one output column
-- position qw of that phase, one row qh, and a tile of output channels, and computes every
-- column phase rw for it in turn: all threads of a warp run the same phase and taps at once (no
-- divergence on phase), read consecutive inputs and write consecutive outputs (coalesced in
-- NCHW). Weights read as PyTorch stores them. emit_cuda.lua prints it.

local M = { name = "cuda_phases", template = "templates/kernel.cu.in", convention = "direct", cuda = true, half = true }

local function largest_divisor(n, options)
  for _, v in ipairs(options) do if n % v == 0 then return v end end
  return 1
end

M.MAX_TAPS = 4096 -- every tap is written out, once for the interior and once for the border

-- Sets on plan p its block tile and p.kernels: per row phase its grid and block for one image,
-- and per column phase its taps.
function M.accepts(p)
  local l = p.layer
  if l.kernel_size[1] * l.kernel_size[2] > M.MAX_TAPS then
    return false, string.format("kernel_size: %dx%d is %d taps; the CUDA kernel writes each out and takes at most %d " ..
                                "(the C targets take any kernel)", l.kernel_size[1], l.kernel_size[2],
                                l.kernel_size[1] * l.kernel_size[2], M.MAX_TAPS)
  end
  p.CO_T = largest_divisor(p.COUT_G, { 4, 2, 1 })  -- a tile never crosses a group
  p.CO_BLOCKS = p.COUT // p.CO_T
  p.TILES_PER_GROUP = p.COUT_G // p.CO_T
  -- a block's group and first output channel from its grid z (bz), as the kernel computes them
  p.group = p.TILES_PER_GROUP == 1 and "bz" or string.format("bz / %d", p.TILES_PER_GROUP)
  p.tile = p.TILES_PER_GROUP == 1 and "0" or string.format("(bz - g * %d) * %d", p.TILES_PER_GROUP, p.CO_T)
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
      -- a block's image and row from its grid y (by): an image's rows take QH_BLOCKS blocks
      k.image = k.QH_BLOCKS == 1 and "by" or string.format("by / %d", k.QH_BLOCKS)
      k.row = k.QH_BLOCKS == 1 and "(int)threadIdx.y" or string.format("(by - n * %d) * %d + (int)threadIdx.y", k.QH_BLOCKS, k.BY)
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
  return true, "one CUDA kernel per row phase"
end

function M.what() return "one kernel per output row phase" end

return M
