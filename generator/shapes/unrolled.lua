-- unrolled (C99, baked weights with unroll = "full"): inside each region's spatial loops, every
-- output channel and input channel is unrolled, each product names its weight by index, and
-- products with an exact-zero weight are dropped.

local plan = require("plan")

local M = { name = "unrolled", template = "templates/unrolled.c.in", convention = "baked", vector = false }

M.MAX_BAKED_TERMS = 1 << 20 -- products written out by unroll = "full" with baked weights

-- ctx.weights: the layer's weights (1-based list, PyTorch layout). Sets r.blocks and p.macs.
function M.accepts(p, ctx)
  if not ctx.weights or p.layer.unroll ~= "full" then return false, "weights not baked at unroll = full" end
  if p.compact then return false, "the compact plan: " .. p.compact end
  local weights = ctx.weights
  local terms = p.region_taps * p.CIN_G * p.COUT
  if terms > M.MAX_BAKED_TERMS then
    error(string.format("unroll: \"full\" with baked weights would write out %d products, over the %d " ..
                        "the generator writes; use unroll = \"auto\"", terms, M.MAX_BAKED_TERMS), 0)
  end
  -- adjacent outputs computed together share each weight load; few products per output
  -- (depthwise) leave registers for more of them
  p.width_tile = p.CIN_G == 1 and 4 or 2
  p.macs = 0
  for _, phase in ipairs(p.phases) do
    for _, r in ipairs(phase.regions) do
      r.blocks = {}
      local per_position = 0
      if #r.taps > 0 then
        for g = 0, p.G - 1 do
          for _, t in ipairs(p.co_tiles) do
            for cb = t.start, t.stop - 1, t.size do
              -- offsets relative to the group's planes keep loads and stores within reach
              -- of an immediate offset (Cortex-M: 1 KiB), so no address arithmetic per access
              local block = { accs = {}, x0 = g * p.CIN_G * p.XC, y0 = (g * p.COUT_G + cb) * p.YC }
              for j = 0, t.size - 1 do
                local co = g * p.COUT_G + cb + j
                local acc = { co = co, y = co * p.YC - block.y0, terms = {} }
                for ci = 0, p.CIN_G - 1 do
                  local cig = g * p.CIN_G + ci
                  for _, tap in ipairs(r.taps) do
                    local w = (cig * p.COUT_G + cb + j) * p.KHW + tap.w
                    if weights[w + 1] ~= 0 then
                      acc.terms[#acc.terms + 1] = { x = ci * p.XC + tap.x, w = w }
                    end
                  end
                end
                per_position = per_position + #acc.terms
                block.reads = block.reads or #acc.terms > 0
                block.accs[#block.accs + 1] = acc
              end
              r.blocks[#r.blocks + 1] = block
            end
          end
        end
      end
      p.macs = p.macs + per_position * r.outputs * p.N
    end
  end
  return true, "baked weights with unroll = full: zero weights dropped"
end


function M.what(p)
  return string.format("every product written out with the baked weights, %d multiply-adds", p.macs)
end

-- What the template prints: every product, declaration and store line, width_tile adjacent
-- outputs at a time (they share every weight load), then one at a time.
function M.view(v, p)
  v.image_in, v.image_out, v.xq = p.CIN * p.HW, p.COUT * p.OHW, v.scale("qw", p.XP)
  local function bias_of(co) return p.bias and (p.name .. "_bias[" .. co .. "]") or "0.0f" end
  v.fills = {}
  for co = 0, p.COUT - 1 do v.fills[co + 1] = { y = co * p.YC, value = v.act(bias_of(co)) } end
  for _, ph in ipairs(p.phases) do
    for _, r in ipairs(ph.regions) do
      r.positions = {}
      for _, width in ipairs({ p.width_tile, 1 }) do
        local pc = { blocks = {} }
        pc.head = width > 1 and string.format("for (; qw + %d <= %d; qw += %d) {", width - 1, r.qw1, width)
                             or string.format("for (; qw <= %d; qw++) {", r.qw1)
        for _, block in ipairs(r.blocks or {}) do
          local lines = {}
          for j, acc in ipairs(block.accs) do
            for u = 0, width - 1 do lines[#lines + 1] = string.format("float acc%d_%d = %s;", j - 1, u, bias_of(acc.co)) end
          end
          for j, acc in ipairs(block.accs) do
            for _, tm in ipairs(acc.terms) do
              for u = 0, width - 1 do
                lines[#lines + 1] = string.format("acc%d_%d += xb[%d] * %s_weight[%d];", j - 1, u, tm.x + u * p.XP, p.name, tm.w)
              end
            end
          end
          for j, acc in ipairs(block.accs) do
            for u = 0, width - 1 do
              lines[#lines + 1] = string.format("yb[%d] = %s;", acc.y + u * p.YSW, v.act("acc" .. (j - 1) .. "_" .. u))
            end
          end
          pc.blocks[#pc.blocks + 1] = { reads = block.reads, x0 = block.x0, y0 = block.y0, lines = lines }
        end
        r.positions[#r.positions + 1] = pc
      end
    end
  end
end

return M
