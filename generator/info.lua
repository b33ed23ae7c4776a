-- info.lua: the human-readable summary that `convtgen info` prints for a normalized layer.

local emit = require("emit")
local spec = require("spec")

local M = {}

local function pair(p) return string.format("(%d, %d)", p[1], p[2]) end

local function grouped(n)
  local s = string.format("%d", n)
  local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  return (out:gsub("^,", ""))
end

function M.describe(l)
  local s = l.shapes -- as C lays the tensors out (params.c)
  local flops = spec.flops(l)
  local out = {}
  local function section(title, rows)
    out[#out + 1] = title
    for _, r in ipairs(rows) do out[#out + 1] = string.format("  %-15s %s", r[1], tostring(r[2])) end
  end
  section("layer " .. l.name .. "  (ConvTranspose2d, " .. l.dtype .. ")", {
    { "in_channels", l.in_channels },
    { "out_channels", l.out_channels },
    { "kernel_size", pair(l.kernel_size) },
    { "stride", pair(l.stride) },
    { "padding", l.tflite_padding ~= "" and string.format("%q (TFLite's, from the output size): top %d, left %d",
        l.tflite_padding, l.padding[1], l.padding[2]) or spec.asymmetric(l) and string.format("(%d, %d, %d, %d)  (top, left, bottom, right)",
        l.padding[1], l.padding[2], l.padding_end[1], l.padding_end[2]) or pair(l.padding) },
    { "output_padding", pair(l.output_padding) },
    { "dilation", pair(l.dilation) },
    { "groups", l.groups },
    { "bias", tostring(l.bias) },
    { "activation", spec.activation_text(l) },
    { "unroll", l.unroll },
    { "threads", l.threads },
  })
  section("tensors", {
    { "memory_format", l.memory_format .. (l.memory_format == "channels_last" and "  (input and output NHWC)" or "") },
    { "input", spec.dims(s.input) .. (l.batched and "" or "  unbatched") },
    { "weight", spec.dims(s.weight) .. (l.dtype == "int8" and "  (OHWI, as TFLite stores it)" or "") },
    { "bias", s.bias and (spec.dims(s.bias) .. (l.dtype == "int8" and "  int32" or "")) or "none" },
    { "output", spec.dims(s.output) },
  })
  local q = l.quantization
  if q then
    local rows = {
      { "input", string.format("scale %.9g, zero point %d", q.input_scale, q.input_zero_point) },
      { "output", string.format("scale %.9g, zero point %d, clamp %d..%d", q.output_scale, q.output_zero_point,
                                q.act_min, q.act_max) },
    }
    -- each channel's requantization: TFLite's QuantizeMultiplier of input * weight / output scale
    for i = 1, #q.weight_scales do
      if i > 16 then
        rows[#rows + 1] = { "", string.format("... and %d more channels", #q.weight_scales - 16) }
        break
      end
      local m, sh = q.multiplier[i], q.shift[i]
      rows[#rows + 1] = { #q.weight_scales == 1 and "all channels" or "channel " .. (i - 1),
        string.format("weight scale %.9g: multiplier %d (%.9f), shift %d", q.weight_scales[i], m, m / 2 ^ 31, sh) }
    end
    section("quantization  (TFLite: y = clamp(zp_out + ((acc + bias) * multiplier / 2^31) * 2^shift))", rows)
  end
  section("work", {
    { "flops", string.format("%s (%.3f GFLOP)", grouped(flops), flops / 1e9) },
  })
  return table.concat(out, "\n") .. "\n" .. emit.describe(l)
end

return M
