// Auto-generated file. Do not edit!
//   Template: templates/kernel.h.in
//   Generator: convtgen 0.1.0
//   Layer: ConvTranspose2d(1, 3, kernel_size=(1, 1), stride=(1, 1), padding=(0, 0), output_padding=(0, 0), groups=1, bias=True, dilation=(1, 1)) on input (1, 1, 6), float32
#ifndef CONVT_1X3_K1_S1_P0_H
#define CONVT_1X3_K1_S1_P0_H

/* Tensors are float32 in C order, laid out as PyTorch's ConvTranspose2d lays them out:
 *   input  (1, 1, 6)   (Cin, H, W), unbatched
 *   weight (1, 3, 1, 1)   (Cin, Cout/groups, KH, KW)
 *   bias   (3,)   (Cout,)
 *   output (3, 1, 6)   (Cout, Hout, Wout), unbatched
 * Sizes are in elements. The kernel needs no scratch memory, no libc and no heap. */
#define CONVT_1X3_K1_S1_P0_INPUT_SIZE 6
#define CONVT_1X3_K1_S1_P0_WEIGHT_SIZE 3
#define CONVT_1X3_K1_S1_P0_BIAS_SIZE 3
#define CONVT_1X3_K1_S1_P0_OUTPUT_SIZE 18
#define CONVT_1X3_K1_S1_P0_WORKSPACE_SIZE 0
#define CONVT_1X3_K1_S1_P0_BATCH 1
#define CONVT_1X3_K1_S1_P0_IN_CHANNELS 1
#define CONVT_1X3_K1_S1_P0_IN_HEIGHT 1
#define CONVT_1X3_K1_S1_P0_IN_WIDTH 6
#define CONVT_1X3_K1_S1_P0_OUT_CHANNELS 3
#define CONVT_1X3_K1_S1_P0_OUT_HEIGHT 1
#define CONVT_1X3_K1_S1_P0_OUT_WIDTH 6

#ifdef __cplusplus
extern "C" {
#endif

/* Computes output from input, weight and bias; returns 0. Buffers must not overlap. */
int convt_1x3_k1_s1_p0_run(const float *input, const float *weight, const float *bias, float *output);

#ifdef __cplusplus
}
#endif

#endif /* CONVT_1X3_K1_S1_P0_H */
