-- int8_tables (int8, any layer): one loop nest over every tap with bounds checks, for the layers
-- int8_phases refuses (huge kernels or strides). Weights read as TFLite stores them (OHWI).

local M = { name = "int8_tables", template = "templates/int8_tables.c.in", convention = "direct",
            int8 = true }

-- Takes every layer: the last of the int8 list (ctx.why_not: why int8_phases refused).
function M.accepts(p, ctx) return true, "int8: " .. (ctx.why_not or "the tap tables") end

function M.what() return "int8 loop nest over every tap with bounds checks (huge kernels or strides)" end

-- int32 words: the OHWI bytes, then the bias
function M.packed_size(p) return (p.weight_size + 3) // 4 + p.COUT end

-- The packed layout (pack.lua): the OHWI bytes, zeros to the word's end, then the bias words.
function M.layout(p)
  local words = (p.weight_size + 3) // 4
  local out = {
    { base = 0, unit = "i8", src = "weight", loops = { { "i", p.weight_size } }, dst = { i = 1 }, windex = { i = 1 } },
    { base = p.weight_size, unit = "i8", src = "zero", loops = { { "i", 4 * words - p.weight_size } }, dst = { i = 1 } },
    { base = words, unit = "i32", src = "bias", loops = { { "co", p.COUT } }, dst = { co = 1 }, co = { co = 1 } },
  }
  if out[2].loops[1][2] == 0 then table.remove(out, 2) end
  return out
end

return M
