-- registry.lua: the code shapes, one file each in generator/shapes/, in the order each kind of
-- code tries them. A shape file owns everything about its code: accepts(p, ctx) (true and why,
-- setting its tiles on plan p; or false and why not, leaving p as it was), its template,
-- calling convention ("direct": run reads the weights as PyTorch stores them; "packed": pack
-- once, run_packed on the packed copy; "baked": weights are constants of the code), what(p) (a
-- description), features(p) (words tests and tools can ask for), and pack(p, weights, bias)
-- (baked weights in its packed order) where it packs; half = true where it takes float16 and
-- bfloat16 (it widens 16-bit elements as it reads them).
--
-- Lists: vector (GCC/Clang vector extensions sized by an ISA profile, generator/profiles.lua;
-- vector_matrix is plain C), c99 (tcc, the scalar target, every fallback; the last takes any
-- layer), int8 (TFLite int8 layers, every C target), cuda.

local spec = require("spec")

local M = {}

M.LISTS = {
  vector = { "vector_matrix", "matmul_shuffle", "phase_matmul", "channel_dots", "group_vectors", "row_vectors" },
  c99 = { "unrolled", "vector_matrix", "phases", "phase_tables" },
  int8 = { "int8_phases", "int8_tables" },
  cuda = { "cuda_phases" },
}

-- The shape module called name.
function M.shape(name)
  return require("shapes." .. name)
end

-- Every shape's name, once, in list order (vector, c99, int8, cuda).
function M.names()
  local out, seen = {}, {}
  for _, list in ipairs({ "vector", "c99", "int8", "cuda" }) do
    for _, name in ipairs(M.LISTS[list]) do
      if not seen[name] then seen[name], out[#out + 1] = true, name end
    end
  end
  return out
end

-- Why shape cannot take plan p's dtype (float16 / bfloat16 without half = true), or nil.
function M.dtype_refusal(shape, p)
  if spec.DTYPES[p.layer.dtype].half and not shape.half then return p.layer.dtype .. " (it reads no 16-bit elements)" end
  return nil
end

-- The first shape of list that accepts plan p (ctx: what the caller knows beyond the plan,
-- e.g. baked weights), with why; the last shape of each list but vector takes every layer.
-- A shape sees why the one before it refused in ctx.why_not; nil and every refusal
-- ("name: why; ...") when none accepts.
function M.first(list, p, ctx)
  local refused = {}
  ctx.why_not = nil
  for _, name in ipairs(M.LISTS[list]) do
    local shape = M.shape(name)
    local why = M.dtype_refusal(shape, p)
    local ok = false
    if not why then ok, why = shape.accepts(p, ctx) end
    if ok then return shape, why end
    refused[#refused + 1] = name .. ": " .. why
    ctx.why_not = why
  end
  return nil, table.concat(refused, "; ")
end

return M
