// Auto-generated file. Do not edit!
//   Generator: convtgen 0.1.0
//   Layer: ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=1, bias=True, dilation=(1, 1)) on input (1, 8, 8, 8), float32
//   Target: portable
//   Code: phase_tables (templates/phase_tables.c.in)
//     one loop nest over stride phases with tap tables (unroll = none)

void tiny_mcu_small_pack(const float *weight, const float *bias, float *packed);
int tiny_mcu_small_run_packed(const float *input, const float *packed, float *output);
int tiny_mcu_small_run(const float *input, const float *weight, const float *bias, float *output);
int tiny_mcu_small_run_packed_batch(int batch, const float *input, const float *packed, float *output);
int tiny_mcu_small_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output);

/* Gather form over stride phases with the taps of each phase in constant tables: no multiply
 * touches an inserted zero and nothing divides at run time; code size stays small. */
/* taps of each row phase r: entries start[r] .. start[r + 1] - 1 */
static const int tiny_mcu_small_h_start[3] = { 0, 1, 3 };
static const int tiny_mcu_small_h_count[2] = { 8, 8 };
static const int tiny_mcu_small_h_k[3] = { 1, 0, 2 };
static const int tiny_mcu_small_h_off[3] = { 0, 1, 0 };
/* taps of each column phase r: entries start[r] .. start[r + 1] - 1 */
static const int tiny_mcu_small_w_start[3] = { 0, 1, 3 };
static const int tiny_mcu_small_w_count[2] = { 8, 8 };
static const int tiny_mcu_small_w_k[3] = { 1, 0, 2 };
static const int tiny_mcu_small_w_off[3] = { 0, 1, 0 };

int tiny_mcu_small_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      const float *x = input + (n * 8 + g * 8) * 64;
      for (int j = 0; j < 4; j++) {
        const int co = g * 4 + j;
        const float *wj = weight + g * 288 + j * 9;
        float *y = output + (n * 4 + co) * 256;
        for (int rh = 0; rh < 2; rh++) {
          for (int qh = 0; qh < tiny_mcu_small_h_count[rh]; qh++) {
            for (int rw = 0; rw < 2; rw++) {
              for (int qw = 0; qw < tiny_mcu_small_w_count[rw]; qw++) {
                float acc = bias[co];
                for (int a = tiny_mcu_small_h_start[rh]; a < tiny_mcu_small_h_start[rh + 1]; a++) {
                  const int ih = qh + tiny_mcu_small_h_off[a];
                  if (ih < 0 || ih >= 8) continue;
                  for (int c = tiny_mcu_small_w_start[rw]; c < tiny_mcu_small_w_start[rw + 1]; c++) {
                    const int iw = qw + tiny_mcu_small_w_off[c];
                    if (iw < 0 || iw >= 8) continue;
                    const float *xc = x + ih * 8 + iw;
                    const float *wc = wj + tiny_mcu_small_h_k[a] * 3 + tiny_mcu_small_w_k[c];
                    for (int ci = 0; ci < 8; ci++) acc += xc[ci * 64] * wc[ci * 36];
                  }
                }
                y[(qh * 2 + rh) * 16 + qw * 2 + rw] = acc;
              }
            }
          }
        }
      }
    }
  }
  return 0;
}


/* Packed form of this code: the weights, then the bias, as PyTorch stores them. */
void tiny_mcu_small_pack(const float *weight, const float *bias, float *packed) {
  for (int i = 0; i < 288; i++) packed[i] = weight[i];
  for (int i = 0; i < 4; i++) packed[288 + i] = bias[i];
}

int tiny_mcu_small_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  return tiny_mcu_small_run_batch(batch, input, packed, packed + 288, output);
}

/* the spec's batch of 1 */
int tiny_mcu_small_run_packed(const float *input, const float *packed, float *output) {
  return tiny_mcu_small_run_packed_batch(1, input, packed, output);
}

int tiny_mcu_small_run(const float *input, const float *weight, const float *bias, float *output) {
  return tiny_mcu_small_run_batch(1, input, weight, bias, output);
}
