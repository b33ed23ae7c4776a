/* suite_timing.h: what the anchor drivers (onednn_bench.c, xnnpack_bench.c) share with each
 * other and with `convtgen bench`: a suite row (bench/layers.tsv's columns), the clock, and the
 * timing rule (one warm-up call, then the median of enough calls for about 0.3 s). */
#ifndef SUITE_TIMING_H
#define SUITE_TIMING_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct layer {
  char name[64];
  long n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, groups, bias;
} layer;

/* One row of a suite file into l; 0 for a comment, a blank or a malformed line. */
static inline int suite_row(const char *line, layer *l) {
  if (line[0] == '#' || line[0] == '\n') return 0;
  return sscanf(line, "%63s %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld", l->name, &l->n,
                &l->cin, &l->h, &l->w, &l->cout, &l->kh, &l->kw, &l->sh, &l->sw, &l->ph, &l->pw, &l->oph, &l->opw,
                &l->dh, &l->dw, &l->groups, &l->bias) == 18;
}

static inline double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static inline int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The median time of run(ctx) over enough calls for about 0.3 s, given the warm-up's time. */
static inline double median_ms(void (*run)(void *), void *ctx, double first_ms) {
  int reps = first_ms > 0 ? (int)(300.0 / first_ms) : 2000;
  reps = reps < 3 ? (first_ms > 1000 ? 1 : 3) : reps > 2000 ? 2000 : reps;
  static double times[2000];
  for (int i = 0; i < reps; i++) {
    double t0 = now_ms();
    run(ctx);
    times[i] = now_ms() - t0;
  }
  qsort(times, (size_t)reps, sizeof times[0], cmp_double);
  return reps % 2 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
}

/* FLOPs as the suite counts them: 2 * N * Cin * (Cout/groups) * KH * KW * H * W. */
static inline double layer_flops(const layer *l) {
  return 2.0 * l->n * l->cin * (double)(l->cout / l->groups) * l->kh * l->kw * l->h * l->w;
}

#endif
