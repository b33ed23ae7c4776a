// Auto-generated file. Do not edit!
//   Template: templates/kernel.h.in
//   Generator: convtgen 0.2.0
//   Layer: ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=1, bias=True, dilation=(1, 1)) on input (1, 8, 8, 8), float32
#ifndef TINY_MCU_H
#define TINY_MCU_H

/* Tensors are float32 in C order, laid out as PyTorch's ConvTranspose2d lays them out:
 *   input  (1, 8, 8, 8)   (N, Cin, H, W)
 *   weight (8, 4, 3, 3)   (Cin, Cout/groups, KH, KW)
 *   bias   (4,)   (Cout,)
 *   output (1, 4, 16, 16)   (N, Cout, Hout, Wout)
 * Sizes are in elements. Buffers on 64-byte boundaries (one cache line) are fastest for the
 * vector code; any alignment is correct.
 *
 * The code (tiny_mcu.c, target portable):
 *   row_vectors, where defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__): vectors of 8 along rows, up to 4 channels x 16 positions per tile (few output channels)
 *   row_vectors, where defined(__GNUC__) && defined(__aarch64__): vectors of 4 along rows, up to 4 channels x 12 positions per tile (few output channels)
 *   phases, elsewhere: stride-phase code, 4 phases with their borders peeled, unroll = auto
 * The first section whose condition holds is built: `-march=native` picks the host's own
 * (`-mavx2 -mfma` asks for AVX2, an AArch64 compiler gets NEON); any other C99 compiler or
 * target builds the portable code from the same file.
 */
#define TINY_MCU_INPUT_SIZE 512
#define TINY_MCU_WEIGHT_SIZE 288
#define TINY_MCU_BIAS_SIZE 4
#define TINY_MCU_OUTPUT_SIZE 1024
#define TINY_MCU_PACKED_SIZE 292   /* elements tiny_mcu_pack writes */
#define TINY_MCU_WORKSPACE_SIZE 0
#define TINY_MCU_MACS 16928   /* multiply-adds per call */
#define TINY_MCU_FLOPS 36864   /* 2 * N * Cin * (Cout/groups) * KH * KW * H * W, as benchmarks count them */
#define TINY_MCU_BATCH 1   /* what tiny_mcu_run computes; the _batch entries take any batch */
#define TINY_MCU_IN_CHANNELS 8
#define TINY_MCU_IN_HEIGHT 8
#define TINY_MCU_IN_WIDTH 8
#define TINY_MCU_OUT_CHANNELS 4
#define TINY_MCU_OUT_HEIGHT 16
#define TINY_MCU_OUT_WIDTH 16

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the weights and bias (NULL when the layer has none) into packed, TINY_MCU_PACKED_SIZE
 * elements in the order the code reads them. Call once per set of weights. Any alignment
 * works; 64 bytes (one cache line) is fastest for the vector code. */
void tiny_mcu_pack(const float *weight, const float *bias, float *packed);
/* Computes output from input and packed weights; returns 0. No allocation, no libc. Safe from
 * many threads at once; buffers must not overlap. */
int tiny_mcu_run_packed(const float *input, const float *packed, float *output);
/* Computes output from input, weight and bias as PyTorch stores them; returns 0.
 * It reads them directly: no packing, no allocation. */
int tiny_mcu_run(const float *input, const float *weight, const float *bias, float *output);
/* Both for batch images (any batch >= 0; the sizes above are for 1): input and output are
 * batch images one after another, each image's result exactly what it gets alone. One compiled
 * kernel serves every batch size. */
int tiny_mcu_run_packed_batch(int batch, const float *input, const float *packed, float *output);
int tiny_mcu_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output);

#ifdef __cplusplus
}
#endif

#endif /* TINY_MCU_H */
