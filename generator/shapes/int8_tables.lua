-- int8_tables (int8, any layer): one loop nest over every tap with bounds checks, for the layers
-- int8_phases refuses (huge kernels or strides). Weights read as TFLite stores them (OHWI).

local M = { name = "int8_tables", template = "templates/int8_tables.c.in", convention = "direct",
            int8 = true }

-- Takes every layer: the last of the int8 list (ctx.why_not: why int8_phases refused).
function M.accepts(p, ctx) return true, "int8: " .. (ctx.why_not or "the tap tables") end

function M.what() return "int8 loop nest over every tap with bounds checks (huge kernels or strides)" end

-- int32 words: the OHWI bytes, then the bias
function M.packed_size(p) return (p.weight_size + 3) // 4 + p.COUT end

return M
