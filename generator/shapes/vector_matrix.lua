-- vector_matrix (plain C: the tcc tier, the scalar target and every ISA profile use it): a 1x1
-- input without padding, output padding or dilation. The output of each image and group is its
-- input channels times the weight rows (Cout/groups x KH x KW), a vector-matrix product; bound
-- by reading the weights, so they are read once and in order, as PyTorch stores them.

local plan = require("plan")

local M = { name = "vector_matrix", template = "templates/vector_matrix.c.in", convention = "direct",
            vector = false }

M.GEMV_CHUNK = 2048      -- outputs kept in L1 (8 KiB) while every weight row passes over them
M.GEMV_CIN_UNROLL = 4    -- weight rows per pass: the output chunk is loaded and stored once per 4

function M.accepts(p, ctx)
  if ctx and ctx.baked then return false, "baked weights" end
  if p.compact then return false, "the compact plan: " .. p.compact end
  if p.CL then return false, "channels_last: the outputs of a weight row are not contiguous" end
  if p.N == 0 or p.H ~= 1 or p.W ~= 1 or p.OH ~= p.KH or p.OW ~= p.KW or not plan.plain_taps(p.layer) then
    return false, "not a 1x1 input without padding"
  end
  p.CHUNK = math.min(M.GEMV_CHUNK, p.WC)
  p.CIN_UNROLL = math.min(M.GEMV_CIN_UNROLL, p.CIN_G)
  p.unrolled_rows = {}
  for u = 0, p.CIN_UNROLL - 1 do p.unrolled_rows[#p.unrolled_rows + 1] = { "x" .. u, "w" .. u } end
  -- an activation goes into the last pass of CIN_UNROLL rows (no pass of its own over the chunk)
  p.FUSED_LAST = p.layer.activation ~= "none" and p.CIN_G >= p.CIN_UNROLL
  p.MAIN_ROWS = p.CIN_G - (p.FUSED_LAST and p.CIN_UNROLL or 0)
  return true, "1x1 input: reads the weights once, in order"
end

function M.what(p)
  return string.format("1x1 input: a vector-matrix product, weights streamed once, %d outputs per " ..
                       "group in chunks of %d, %d input channels per pass", p.WC, p.CHUNK, p.CIN_UNROLL)
end

-- A sum over rows { {x, w}, ... } of part "re" or "im" of x * w[j], complex parts written out:
-- (a+ib)(c+id) = (ac-bd) + i(ad+bc).
local function cpx_sum(rows, part)
  local terms = {}
  for _, r in ipairs(rows) do
    local x, w = r[1], r[2]
    local f = part == "re" and "%s.re * %s[j].re - %s.im * %s[j].im" or "%s.re * %s[j].im + %s.im * %s[j].re"
    terms[#terms + 1] = string.format(f, x, w, x, w)
  end
  return table.concat(terms, " + ")
end

function M.view(v, p)
  assert(p.H == 1 and p.W == 1 and p.OHW == p.KHW)
  v.cpx_rows_re, v.cpx_rows_im = cpx_sum(p.unrolled_rows, "re"), cpx_sum(p.unrolled_rows, "im")
  v.cpx_one_re, v.cpx_one_im = cpx_sum({ { "xc", "wr" } }, "re"), cpx_sum({ { "xc", "wr" } }, "im")
  local par = p.threads > 1
  v.g_loop = v.loop("g", 0, p.G - 1, par)
  v.chunk_loop = v.loop("j0", 0, ((p.WC - 1) // p.CHUNK) * p.CHUNK, par, p.CHUNK)
  v.unroll_last = p.CIN_UNROLL - 1
  -- the last CIN_UNROLL rows (FUSED_LAST): input channel, weight row offset
  v.last_rows = {}
  for u = 0, p.CIN_UNROLL - 1 do
    local ci = p.CIN_G - p.CIN_UNROLL + u
    v.last_rows[#v.last_rows + 1] = { u = u, ci = ci, w = ci * p.WC }
  end
  v.fused_sum = v.act("y[j] + " .. v.join(p.unrolled_rows, "%s * %s[j]", " + "))
end

return M
