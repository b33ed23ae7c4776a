// Auto-generated file. Do not edit!
//   Template: templates/kernel.h.in
//   Generator: convtgen 0.2.0
//   Layer: ConvTranspose2d(512, 256, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), output_padding=(0, 0), groups=1, bias=False, dilation=(1, 1)) on input (1, 512, 4, 4), float32
#ifndef DCGAN_G2_H
#define DCGAN_G2_H

/* Tensors are float32 in C order, laid out as PyTorch's ConvTranspose2d lays them out:
 *   input  (1, 512, 4, 4)   (N, Cin, H, W)
 *   weight (512, 256, 4, 4)   (Cin, Cout/groups, KH, KW)
 *   bias   none   (the layer has no bias; pass NULL)
 *   output (1, 256, 8, 8)   (N, Cout, Hout, Wout)
 * Sizes are in elements. Buffers on 64-byte boundaries (one cache line) are fastest for the
 * vector code; any alignment is correct.
 *
 * The code (dcgan_g2.c, target portable):
 *   phase_matmul, where defined(__GNUC__) && defined(__AVX512F__): per-phase matrix products, 32 channels x up to 12 positions per tile
 *   phase_matmul, where defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__): per-phase matrix products, 16 channels x up to 5 positions per tile
 *   phase_matmul, where defined(__GNUC__) && defined(__aarch64__): per-phase matrix products, 16 channels x up to 4 positions per tile
 *   phases, elsewhere: stride-phase code, 4 phases with their borders peeled, unroll = auto
 * The first section whose condition holds is built: `-march=native` picks the host's own
 * (`-mavx2 -mfma` asks for AVX2, an AArch64 compiler gets NEON); any other C99 compiler or
 * target builds the portable code from the same file.
 */
#define DCGAN_G2_INPUT_SIZE 8192
#define DCGAN_G2_WEIGHT_SIZE 2097152
#define DCGAN_G2_BIAS_SIZE 0
#define DCGAN_G2_OUTPUT_SIZE 16384
#define DCGAN_G2_PACKED_SIZE 2097408   /* elements dcgan_g2_pack writes */
#define DCGAN_G2_WORKSPACE_SIZE 0
#define DCGAN_G2_MACS 25690112   /* multiply-adds per call */
#define DCGAN_G2_FLOPS 67108864   /* 2 * N * Cin * (Cout/groups) * KH * KW * H * W, as benchmarks count them */
#define DCGAN_G2_BATCH 1   /* what dcgan_g2_run computes; the _batch entries take any batch */
#define DCGAN_G2_IN_CHANNELS 512
#define DCGAN_G2_IN_HEIGHT 4
#define DCGAN_G2_IN_WIDTH 4
#define DCGAN_G2_OUT_CHANNELS 256
#define DCGAN_G2_OUT_HEIGHT 8
#define DCGAN_G2_OUT_WIDTH 8

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the weights and bias (NULL when the layer has none) into packed, DCGAN_G2_PACKED_SIZE
 * elements in the order the code reads them. Call once per set of weights. Any alignment
 * works; 64 bytes (one cache line) is fastest for the vector code. */
void dcgan_g2_pack(const float *weight, const float *bias, float *packed);
/* Computes output from input and packed weights; returns 0. No allocation, no libc. Safe from
 * many threads at once; buffers must not overlap. */
int dcgan_g2_run_packed(const float *input, const float *packed, float *output);
/* Computes output from input, weight and bias as PyTorch stores them; returns 0.
 * Where the code is phase_matmul, this packs the weights into a buffer from malloc on every
 * call (and returns -1 when that fails): pack once and use dcgan_g2_run_packed instead. */
int dcgan_g2_run(const float *input, const float *weight, const float *bias, float *output);
/* Both for batch images (any batch >= 0; the sizes above are for 1): input and output are
 * batch images one after another, each image's result exactly what it gets alone. One compiled
 * kernel serves every batch size. */
int dcgan_g2_run_packed_batch(int batch, const float *input, const float *packed, float *output);
int dcgan_g2_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output);

#ifdef __cplusplus
}
#endif

#endif /* DCGAN_G2_H */
