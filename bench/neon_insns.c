/* neon_insns.c: the driver bench/neon_insns.sh counts instructions with: packs a layer's
 * weights, then (with argument 1) runs it once. Built per layer with -DKERNEL=name
 * -DKERNEL_UPPER=NAME -include NAME.h for AArch64; the instructions of one call are the count
 * with argument 1 less the count with 0. */
#include <stdlib.h>

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define FN(suffix) CAT(KERNEL, suffix)
#define SIZE(what) CAT(KERNEL_UPPER, what)

static float *filled(size_t n) {
  float *v = malloc((n + 1) * sizeof *v);
  if (!v) exit(3);
  for (size_t i = 0; i < n; i++) v[i] = (float)((i * 7919u) % 17u) / 17.0f - 0.5f;
  return v;
}

int main(int argc, char **argv) {
  float *x = filled(SIZE(_INPUT_SIZE)), *w = filled(SIZE(_WEIGHT_SIZE)), *b = filled(SIZE(_BIAS_SIZE)),
        *y = filled(SIZE(_OUTPUT_SIZE)), *packed = filled(SIZE(_PACKED_SIZE));
  FN(_pack)(w, SIZE(_BIAS_SIZE) ? b : NULL, packed);
  if (argc > 1 && argv[1][0] == '1') FN(_run_packed)(x, packed, y);
  return (int)(y[0] != y[0]);
}
