-- phases (C99, any compiler): the stride-phase code, each phase a small dense convolution over
-- the taps that reach it, every class of rows and columns (the interior, each border) a loop
-- nest of its own with its taps written out. Weights read as PyTorch stores them.

local M = { name = "phases", template = "templates/phases.c.in", convention = "direct", vector = false, half = true }

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
  local par = p.threads > 1
  -- complex on its parts, not a struct copy: tcc would call memmove, which it cannot link here
  v.fill_decl = v.acc_decl("v", p.bias and "b[c]" or nil)
  v.g_loop = v.loop("g", 0, p.G - 1)
  v.wb = v.offset("w", "g * " .. p.WG, "cb * " .. p.KHW)
  v.xr = v.at_channel("x", "x", "n", "g * " .. p.CIN_G)
  v.xp = v.scale("qw", p.XP)
  for _, t in ipairs(p.co_tiles) do t.cb_loop = v.loop("cb", t.start, t.stop - t.size, false, t.size) end
  local ind = "              "
  for _, ph in ipairs(p.phases) do
    ph.yc = v.offset(v.at_channel("y", "y", "n", "c"), ph.y0)
    ph.fill_store = v.acc_store("yc[qh * " .. ph.ys .. " + qw * " .. p.YSW .. "]", "v")
    ph.yr = v.offset(v.at_channel("y", "y", "n", "g * " .. p.COUT_G .. " + cb"), "qh * " .. ph.ys, ph.y0)
    for _, r in ipairs(ph.regions) do
      r.qh_loop, r.qw_loop = v.loop("qh", r.qh0, r.qh1, par), v.loop("qw", r.qw0, r.qw1)
      r.code = {}
      if #r.taps > 0 then
        for ti, t in ipairs(p.co_tiles) do
          local c = { decls = {}, sums = {}, stores = {} }
          for j = 0, t.size - 1 do
            c.decls[j + 1] = v.acc_decl("acc" .. j, p.bias and ("b[" .. v.offset("g * " .. p.COUT_G, "cb", j) .. "]") or nil)
            c.stores[j + 1] = v.acc_store("yr[" .. v.offset(j * p.YC, "qw * " .. p.YSW) .. "]", "acc" .. j)
          end
          for _, chunk in ipairs(r.walk.chunks) do
            for j = 0, t.size - 1 do
              local terms = {}
              for _, tm in ipairs(chunk) do terms[#terms + 1] = { "xc[" .. tm.x .. "]", "wc[" .. (tm.w + t.w_off[j + 1]) .. "]" } end
              c.sums[#c.sums + 1] = v.acc_add("acc" .. j, terms, ind)
            end
          end
          r.code[ti] = c
        end
      end
    end
  end
end

return M
