/* aot_bench.c: times an ahead-of-time kernel the way a deployment build uses it: built from
 * `convtgen gen` output with cc -O3 -march=native, weights packed once (NAME_pack), then the
 * median of NAME_run_packed calls for about 0.3 s. Built once per layer by bench/run.sh with
 * -DKERNEL=name -DKERNEL_UPPER=NAME -include NAME.h, run as `aot_bench COMPILE_MS`; prints
 * one row of the bench TSV. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define STR_(a) #a
#define STR(a) STR_(a)
#define FN(suffix) CAT(KERNEL, suffix)
#ifndef BACKEND
#define BACKEND aot /* the column's name: aot-avx2 for the --isa avx2 build */
#endif
#define SIZE(what) CAT(KERNEL_UPPER, what)

#include "suite_timing.h"

/* Every buffer on a cache-line boundary, so no figure depends on where malloc put it. */
static float *filled(size_t n, unsigned *seed) {
  float *v;
  if (posix_memalign((void **)&v, 64, (n + 1) * sizeof *v) != 0) exit(3);
  for (size_t i = 0; i < n; i++) v[i] = (float)((*seed = *seed * 1103515245u + 12345u) >> 16 & 0x7fff) / 16384.0f - 1.0f;
  return v;
}

typedef struct call {
  const float *x, *packed;
  float *y;
} call;

static void run(void *ctx) {
  const call *c = ctx;
  FN(_run_packed)(c->x, c->packed, c->y);
}

int main(int argc, char **argv) {
  double compile_ms = argc > 1 ? atof(argv[1]) : 0, flops = (double)SIZE(_FLOPS);
  unsigned seed = 7;
  float *x = filled(SIZE(_INPUT_SIZE), &seed), *w = filled(SIZE(_WEIGHT_SIZE), &seed),
        *b = filled(SIZE(_BIAS_SIZE), &seed), *y = filled(SIZE(_OUTPUT_SIZE), &seed),
        *packed = filled(SIZE(_PACKED_SIZE), &seed);
  FN(_pack)(w, SIZE(_BIAS_SIZE) ? b : NULL, packed);
  call c = { x, packed, y };
  double t0 = now_ms();
  run(&c); /* warm-up */
  double median = median_ms(run, &c, now_ms() - t0);
  printf("%s\t%s\t1\t%.4f\t%.3f\t%.2f\n", STR(KERNEL), STR(BACKEND), median, median > 0 ? flops / (median * 1e6) : 0.0, compile_ms);
  return 0;
}
