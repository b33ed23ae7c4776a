-- emit_c.lua: C source and header for one normalized layer, from its plan and the templates.

local plan = require("plan")
local spec = require("spec")
local template = require("template")

local M = {}

-- One line that says which layer a file is for, in PyTorch's own words.
function M.summary(l)
  local function pair(p) return string.format("(%d, %d)", p[1], p[2]) end
  return string.format("ConvTranspose2d(%d, %d, kernel_size=%s, stride=%s, padding=%s, " ..
    "output_padding=%s, groups=%d, bias=%s, dilation=%s) on input %s, %s",
    l.in_channels, l.out_channels, pair(l.kernel_size), pair(l.stride), pair(l.padding),
    pair(l.output_padding), l.groups, l.bias and "True" or "False", pair(l.dilation),
    spec.dims(spec.shapes(l).input), l.dtype)
end

local function vars_of(p)
  local v = setmetatable({}, { __index = p })
  v.version = CONVTGEN_VERSION
  v.summary = M.summary(p.layer)
  v.unroll = p.layer.unroll
  return v
end

function M.source(l)
  local p = plan.build(l)
  local path = p.shape == "compact" and "templates/kernel_compact.c.in" or "templates/kernel.c.in"
  return template.render(path, vars_of(p))
end

function M.header(l)
  local p = plan.build(l)
  local v = vars_of(p)
  local s = spec.shapes(l)
  local function numel(t) local n = 1; for _, d in ipairs(t) do n = n * d end; return n end
  v.NAME = l.name:upper()
  v.input_shape, v.weight_shape, v.output_shape = spec.dims(s.input), spec.dims(s.weight), spec.dims(s.output)
  v.bias_shape = s.bias and spec.dims(s.bias) or "none"
  v.input_layout = l.batched and "(N, Cin, H, W)" or "(Cin, H, W), unbatched"
  v.output_layout = l.batched and "(N, Cout, Hout, Wout)" or "(Cout, Hout, Wout), unbatched"
  v.input_size, v.weight_size, v.output_size = numel(s.input), numel(s.weight), numel(s.output)
  v.bias_size = s.bias and numel(s.bias) or 0
  return template.render("templates/kernel.h.in", v)
end

-- What `convtgen info` shows of the plan.
function M.describe(l)
  local p = plan.build(l)
  local src = M.source(l)
  local out = { string.format("plan  (%s code, unroll = %s)", p.shape == "compact" and "compact" or
                              "stride-phase", l.unroll) }
  local bias_only, macs = 0, 0
  for _, ph in ipairs(p.phases) do
    local border, regions = 0, #ph.regions
    for _, r in ipairs(ph.regions) do
      if not r.interior then border = border + r.outputs end
      macs = macs + r.outputs * #r.taps
    end
    if ph.taps == 0 then bias_only = bias_only + 1 end
    out[#out + 1] = string.format("  phase (%d, %d)  %2d taps  %dx%d outputs  interior %dx%d  " ..
      "border %d outputs  %d regions", ph.rh, ph.rw, ph.taps, ph.QH, ph.QW, ph.interior[1],
      ph.interior[2], border, regions)
  end
  macs = macs * p.N * p.CIN_G * p.COUT
  out[#out + 1] = string.format("  phases %d (%d bias-only), multiply-adds %d", #p.phases, bias_only, macs)
  out[#out + 1] = string.format("  source %d bytes of C", #src)
  return table.concat(out, "\n") .. "\n"
end

return M
