-- phase_tables (C99, any layer): one loop nest over the stride phases with tap tables, its size
-- growing only with stride + kernel: the compact plan (huge kernels or strides), unroll = none,
-- and plans of very many stride phases.

local M = { name = "phase_tables", template = "templates/phase_tables.c.in", convention = "direct",
            vector = false, half = true }

-- Takes every layer: the last of the C99 list.
function M.accepts(p, ctx)
  if p.compact then return true, "the compact plan: " .. p.compact end
  if ctx.baked then return true, "baked weights" end
  if p.layer.unroll == "none" then return true, "unroll = none: the smallest code" end
  return true, p.many_phases or "the tap tables"
end

function M.what(p)
  return "one loop nest over stride phases with tap tables (" ..
    (p.compact and "the compact plan" or p.many_phases and "many stride phases" or "unroll = none") .. ")"
end

-- The tap tables as the template prints them: per dimension, each table's name, size and values
-- (a zero where a table would be empty: C has no empty arrays).
function M.view(v, p)
  v.g_loop = v.loop("g", 0, p.G - 1)
  v.x_at = v.at_channel("input", "x", "n", "g * " .. p.CIN_G)
  local w_at = "wj[" .. p.name .. "_h_k[a] * " .. p.KW .. " + " .. p.name .. "_w_k[c]]"
  v.one_channel_add = v.acc_add("acc", { { "x[ih * " .. p.XR .. " + " .. v.scale("iw", p.XP) .. "]", w_at } })
  local add = v.acc_add("acc", { { "xc[" .. v.scale("ci", p.XC) .. "]", "wc[ci * " .. p.WC .. "]" } })
  v.channels_add = v.complex and "{ " .. add .. " }" or add
  v.store = v.acc_store("y[(qh * " .. p.SH .. " + rh) * " .. p.YR .. " + " ..
                        v.scale("qw * " .. p.SW .. " + rw", p.YP, true) .. "]", "acc")
  for _, t in ipairs(p.tables) do
    t.c = {}
    for _, name in ipairs({ "start", "count", "k", "off" }) do
      local list = #t[name] > 0 and t[name] or { 0 }
      t.c[#t.c + 1] = { name = name, size = #list, values = table.concat(list, ", ") }
    end
  end
end

return M
