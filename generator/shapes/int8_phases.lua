-- int8_phases (int8, every C target): the stride-phase code of a TFLite int8 layer, one code for
-- every C target, with the Cortex-M DSP extension's SMLAD where the compiler has
-- __ARM_FEATURE_DSP and plain C99 elsewhere (tcc, x86, Cortex-M0/M3). plan_int8.lua holds its
-- plan: regions' starting values, int16-pair weights, requantization.

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

return M
