-- phases (C99, any compiler): the stride-phase code, each phase a small dense convolution over
-- the taps that reach it, every class of rows and columns (the interior, each border) a loop
-- nest of its own with its taps written out. Weights read as PyTorch stores them.

local M = { name = "phases", template = "templates/phases.c.in", convention = "direct", vector = false }

-- ctx.baked: weights are constants of the code (firmware)
function M.accepts(p, ctx)
  if p.compact then return false, "the compact plan: " .. p.compact end
  if p.layer.unroll == "none" then return false, "unroll = none: the smallest code" end
  if p.many_phases then return false, p.many_phases end
  return true, ctx.baked and "baked weights" or "C99 for any compiler"
end

function M.what(p)
  return string.format("stride-phase code, %d phases with their borders peeled, unroll = %s", #p.phases, p.layer.unroll)
end


-- What the template prints, beyond the plan (the plan's invariants checked first).
function M.view(v, p)
  assert(#p.co_tiles >= 1 and p.CIN_G >= 1)
end

return M
