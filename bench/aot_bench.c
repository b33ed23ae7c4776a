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

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Every buffer on a cache-line boundary, so no figure depends on where malloc put it. */
static float *filled(size_t n, unsigned *seed) {
  float *v;
  if (posix_memalign((void **)&v, 64, (n + 1) * sizeof *v) != 0) exit(3);
  for (size_t i = 0; i < n; i++) v[i] = (float)((*seed = *seed * 1103515245u + 12345u) >> 16 & 0x7fff) / 16384.0f - 1.0f;
  return v;
}

int main(int argc, char **argv) {
  double compile_ms = argc > 1 ? atof(argv[1]) : 0, flops = (double)SIZE(_FLOPS);
  unsigned seed = 7;
  float *x = filled(SIZE(_INPUT_SIZE), &seed), *w = filled(SIZE(_WEIGHT_SIZE), &seed),
        *b = filled(SIZE(_BIAS_SIZE), &seed), *y = filled(SIZE(_OUTPUT_SIZE), &seed),
        *packed = filled(SIZE(_PACKED_SIZE), &seed);
  FN(_pack)(w, SIZE(_BIAS_SIZE) ? b : NULL, packed);
  double t0 = now_ms();
  FN(_run_packed)(x, packed, y); /* warm-up */
  double first = now_ms() - t0;
  enum { MAX_REPS = 2000 };
  static double times[MAX_REPS];
  int want = first > 0 ? (int)(300.0 / first) : MAX_REPS;
  want = want < 3 ? (first > 1000 ? 1 : 3) : want > MAX_REPS ? MAX_REPS : want;
  for (int r = 0; r < want; r++) {
    t0 = now_ms();
    FN(_run_packed)(x, packed, y);
    times[r] = now_ms() - t0;
  }
  qsort(times, (size_t)want, sizeof times[0], by_value);
  double median = want % 2 ? times[want / 2] : (times[want / 2 - 1] + times[want / 2]) / 2;
  printf("%s\t%s\t1\t%.4f\t%.3f\t%.2f\n", STR(KERNEL), STR(BACKEND), median, median > 0 ? flops / (median * 1e6) : 0.0, compile_ms);
  return 0;
}
