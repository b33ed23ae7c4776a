-- profiles.lua: the ISA profiles the vector shapes are sized by, and the vector types a plan
-- prints with. Every vector shape (generator/shapes/) reads p.profile after vector_profile.

local spec = require("spec")

local M = {}


-- The vector shapes below are written with GCC/Clang vector extensions, for every dtype, sized
-- by an ISA profile: a vector width (bytes) and the tile budgets that keep each shape's inner
-- loop in its registers (AVX-512 and NEON 32, AVX2 16): accumulators + the vectors it loads +
-- one broadcast.
-- Each shape function accepts a layer or returns false, and when it accepts, sets on the plan
-- everything its template prints: tiles, register names, loads, masks.
--   acc, mv: phase_matmul's accumulators and vectors of output channels; shuffle_acc, shuffle_v:
--   matmul_shuffle's accumulators and input vectors; row_acc, row_wregs: row_vectors'
--   accumulators and weights held in registers; lane_fma: a multiply-add takes one lane of a
--   vector register (phase_matmul loads its inputs as vectors); tap_barrier: a compiler barrier
--   between phase_matmul's taps (row_tile_barrier: only in full tiles of one row); vregs: vector
--   registers; ci_unroll: phase_matmul's channel loop unrolled twice where a
--   tile has at most that many taps (the loop's own instructions, halved).
-- GCC 12 hoists the weight loads of a tile's taps ahead of their products, so phase_matmul
-- needs slack beyond its accumulators. AVX2's 6x2 tile (12 accumulators) spilled; 4x2 ran
-- 14-42% faster on dcgan_g2, g4, dilated_s1 and melgan_up8; 5x2 with a barrier between taps
-- was the best mix over those and unet_up1 (matmul_shuffle's 12 do not spill). NEON's 6x4 (24)
-- spilled too (dcgan_g2: 0.58 instructions per multiply-add under qemu-aarch64, 8x2 0.51);
-- 4x4 gives 0.38, with the barrier 0.33-0.36 on dcgan_g3/g4, dilated_s1 and melgan_up8, and
-- the unrolled channel loop takes unet_up1's single tap from 0.47 to 0.40.
M.PROFILES = {
  avx512 = { bytes = 64, vregs = 32, acc = 24, mv = 2, row_tile_barrier = true, shuffle_acc = 24, shuffle_v = 4, row_acc = 12, row_wregs = 16,
             guard = "defined(__GNUC__) && defined(__AVX512F__)", isa = "defined(__AVX512F__)", flags = "-mavx512f",
             what = "AVX-512" },
  avx2 = { bytes = 32, vregs = 16, acc = 10, tap_barrier = true, mv = 2, shuffle_acc = 12, shuffle_v = 2, row_acc = 8, row_wregs = 6,
           guard = "defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__)",
           isa = "defined(__AVX2__) && defined(__FMA__)", flags = "-mavx2 -mfma", what = "AVX2 with FMA" },
  neon = { bytes = 16, vregs = 32, acc = 16, mv = 4, shuffle_acc = 24, shuffle_v = 4, row_acc = 12, row_wregs = 16,
           lane_fma = true, tap_barrier = true, ci_unroll = 2, guard = "defined(__GNUC__) && defined(__aarch64__)",
           isa = "defined(__aarch64__)", flags = "an AArch64 compiler", what = "AArch64 NEON" },
}
M.PROFILE_ORDER = { "avx512", "avx2", "neon" }  -- the order a portable file tries them in
M.LINE_BYTES = 64
M.PF = 12  -- input channels ahead the vector shapes prefetch: rows over 2 KiB apart defeat the hardware stride prefetcher

-- Sets the profile isa on plan p: lanes L per vector of the layer's real parts (spec.DTYPES),
-- positions LP per vector, the cache line in elements, and the names the templates print the
-- vector type with. Complex: phase_matmul packs each channel block's real and imaginary parts
-- into vectors of their own (a complex multiply-add is 4 vector FMAs); row_vectors and
-- matmul_shuffle work on the interleaved pairs as PyTorch stores them (x * wr + swap(x) *
-- (-wi, wi, ...)); vector_matrix writes the products out on the parts.
function M.vector_profile(p, isa)
  local prof, d = M.PROFILES[isa], spec.DTYPES[p.layer.dtype]
  local es = d.half and 4 or d.bytes // d.parts -- bytes of one real part as the vectors hold it
  p.profile, p.ES, p.R = prof, es, d.real
  -- float16 / bfloat16: vectors of float32; P, the packed element, stays the 16-bit pattern,
  -- widened as each vector of it loads (VT_WIDEN)
  p.HALF = d.half
  p.P = d.bits or d.real
  p.CPX = d.parts == 2 or nil
  p.PARTS = d.parts
  p.L = prof.bytes // es
  p.LP = p.L // p.PARTS -- positions per vector
  if p.CPX then -- lane k of a vector: the real part of position k // 2, or its imaginary part
    local swap, sign = {}, {}
    for k = 0, p.L - 1 do
      swap[#swap + 1] = k % 2 == 0 and k + 1 or k - 1
      sign[#sign + 1] = k % 2 == 0 and "-1" or "1"
    end
    p.SWAP, p.SIGNS = table.concat(swap, ", "), table.concat(sign, ", ")
  end
  p.LINE = M.LINE_BYTES // d.bytes -- in elements (complex: pairs)
  M.vector_names(p)
  p.VT_WIDEN = d.half and string.format("%s_widen_v%d", p.name, p.L) or nil
  p.VT_NARROW = d.half and string.format("%s_narrow_v%d", p.name, p.L) or nil
  return p
end

-- The names the templates print plan p's vector type with (p.L lanes of p.ES bytes).
function M.vector_names(p)
  local vt = string.format("ctg_f%dx%d", p.ES * 8, p.L)
  p.VT = vt
  p.VT_U = vt .. "u"
  p.VT_I = string.format("ctg_i%dx%d", p.ES * 8, p.L)
  p.VT_LOAD, p.VT_STORE, p.VT_SELECT = vt:upper() .. "_LOAD", vt:upper() .. "_STORE", vt:upper() .. "_SELECT"
  p.VT_GUARD = vt:upper() .. "_DEFINED"
  return p
end

-- channel_dots (channels_last): few output channels per group (where phase_matmul's vectors of
-- output channels would be mostly empty: fsrcnn's 1, DCGAN's last 3). channels_last puts each
-- position's input channels side by side, so each output is a dot product over (tap, input
-- channel) in vectors of VL input channels: a tile of NR positions by all the group's output

return M
