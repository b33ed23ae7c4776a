// Auto-generated file. Do not edit!
//   Template: templates/kernel.h.in
//   Generator: convtgen 0.1.0
//   Layer: ConvTranspose2d(512, 256, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), output_padding=(0, 0), groups=1, bias=False, dilation=(1, 1)) on input (1, 512, 4, 4), float32
#ifndef DCGAN_G2_H
#define DCGAN_G2_H

/* Tensors are float32 in C order, laid out as PyTorch's ConvTranspose2d lays them out:
 *   input  (1, 512, 4, 4)   (N, Cin, H, W)
 *   weight (512, 256, 4, 4)   (Cin, Cout/groups, KH, KW)
 *   bias   none   (the layer has no bias; pass NULL)
 *   output (1, 256, 8, 8)   (N, Cout, Hout, Wout)
 * Sizes are in elements. The kernel needs no scratch memory, no libc and no heap. */
#define DCGAN_G2_INPUT_SIZE 8192
#define DCGAN_G2_WEIGHT_SIZE 2097152
#define DCGAN_G2_BIAS_SIZE 0
#define DCGAN_G2_OUTPUT_SIZE 16384
#define DCGAN_G2_WORKSPACE_SIZE 0
#define DCGAN_G2_MACS 25690112   /* multiply-adds per call */
#define DCGAN_G2_BATCH 1
#define DCGAN_G2_IN_CHANNELS 512
#define DCGAN_G2_IN_HEIGHT 4
#define DCGAN_G2_IN_WIDTH 4
#define DCGAN_G2_OUT_CHANNELS 256
#define DCGAN_G2_OUT_HEIGHT 8
#define DCGAN_G2_OUT_WIDTH 8

#ifdef __cplusplus
extern "C" {
#endif

/* Computes output from input, weight and bias; returns 0. Buffers must not overlap. */
int dcgan_g2_run(const float *input, const float *weight, const float *bias, float *output);

#ifdef __cplusplus
}
#endif

#endif /* DCGAN_G2_H */
