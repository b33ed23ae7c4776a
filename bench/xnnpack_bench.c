/* xnnpack_bench.c: XNNPACK's deconvolution (xnn_create_deconvolution2d_nhwc_f32) on the same
 * suite, the same timing and the same TSV as `convtgen bench`: NHWC data (what XNNPACK and
 * TFLite hold), its own weight order (per group (Cout/g, KH, KW, Cin/g)); operator creation
 * (which packs the weights) and setup outside the timed call. Built only where libxnnpack-dev
 * is installed. One row per layer, backend "xnnpack"; one thread (no thread pool).
 * usage: xnnpack_bench SUITE.tsv [--check]
 * --check: each layer's output against a plain NHWC ConvTranspose2d on the same data, so the
 * mapping of PyTorch's padding and output_padding onto XNNPACK's is known right. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xnnpack.h>

#include "suite_timing.h"

static void run_op(void *op) { xnn_run_operator(op, NULL); }

static float *filled(size_t n, float scale) {
  float *p = malloc((n ? n : 1) * sizeof *p);
  if (!p) exit(1);
  for (size_t i = 0; i < n; i++) p[i] = scale * (float)((i * 7919) % 17) / 17.0f - 0.5f * scale;
  return p;
}

/* The plain gather form on NHWC data with XNNPACK's weight order: the check's oracle. */
static double max_error(const layer *l, long oh, long ow, const float *x, const float *wt, const float *b,
                        const float *y) {
  const long cig = l->cin / l->groups, cog = l->cout / l->groups;
  double worst = 0;
  for (long n = 0; n < l->n; n++)
    for (long i = 0; i < oh; i++)
      for (long j = 0; j < ow; j++)
        for (long co = 0; co < l->cout; co++) {
          const long g = co / cog, c = co % cog;
          double acc = l->bias ? b[co] : 0;
          for (long ki = 0; ki < l->kh; ki++) {
            long t = i + l->ph - ki * l->dh;
            if (t < 0 || t % l->sh || t / l->sh >= l->h) continue;
            for (long kj = 0; kj < l->kw; kj++) {
              long u = j + l->pw - kj * l->dw;
              if (u < 0 || u % l->sw || u / l->sw >= l->w) continue;
              for (long ci = 0; ci < cig; ci++)
                acc += (double)x[((n * l->h + t / l->sh) * l->w + u / l->sw) * l->cin + g * cig + ci] *
                       wt[(((g * cog + c) * l->kh + ki) * l->kw + kj) * cig + ci];
            }
          }
          double e = fabs(acc - y[((n * oh + i) * ow + j) * l->cout + co]);
          if (!(e <= worst)) worst = e;
        }
  return worst;
}

static int bench(const layer *l, int check) {
  long oh = (l->h - 1) * l->sh - 2 * l->ph + l->dh * (l->kh - 1) + l->oph + 1;
  long ow = (l->w - 1) * l->sw - 2 * l->pw + l->dw * (l->kw - 1) + l->opw + 1;
  size_t nx = (size_t)(l->n * l->h * l->w * l->cin), ny = (size_t)(l->n * oh * ow * l->cout);
  size_t nw = (size_t)(l->cin * (l->cout / l->groups) * l->kh * l->kw);
  float *x = filled(nx, 1.0f), *wt = filled(nw, 0.1f), *b = filled((size_t)l->cout, 0.1f), *y = filled(ny, 0.0f);
  double t0 = now_ms();
  xnn_operator_t op = NULL;
  /* XNNPACK's "padding" crops the full output, as PyTorch's padding does; its "adjustment" is
   * PyTorch's output_padding */
  if (xnn_create_deconvolution2d_nhwc_f32((uint32_t)l->ph, (uint32_t)l->pw, (uint32_t)l->ph, (uint32_t)l->pw,
                                          (uint32_t)l->kh, (uint32_t)l->kw, (uint32_t)l->sh, (uint32_t)l->sw,
                                          (uint32_t)l->dh, (uint32_t)l->dw, (uint32_t)l->groups,
                                          (size_t)(l->cin / l->groups), (size_t)(l->cout / l->groups),
                                          (size_t)l->cin, (size_t)l->cout, wt, l->bias ? b : NULL, -INFINITY,
                                          INFINITY, 0, &op) != xnn_status_success ||
      xnn_setup_deconvolution2d_nhwc_f32(op, (size_t)l->n, (size_t)l->h, (size_t)l->w, (uint32_t)l->oph,
                                         (uint32_t)l->opw, x, y, NULL) != xnn_status_success) {
    fprintf(stderr, "xnnpack_bench: %s: XNNPACK refused the layer\n", l->name);
    return 1;
  }
  double create_ms = now_ms() - t0;
  t0 = now_ms();
  if (xnn_run_operator(op, NULL) != xnn_status_success) {
    fprintf(stderr, "xnnpack_bench: %s: xnn_run_operator failed\n", l->name);
    return 1;
  }
  double first = now_ms() - t0;
  int status = 0;
  if (check) {
    double e = max_error(l, oh, ow, x, wt, b, y);
    fprintf(stderr, "xnnpack_bench: %s: max difference from the plain NHWC loop %g\n", l->name, e);
    status = !(e <= 1e-3);
  }
  double median = median_ms(run_op, op, first);
  printf("%s\txnnpack\t1\t%.4f\t%.3f\t%.2f\n", l->name, median, layer_flops(l) / (median * 1e6), create_ms);
  fflush(stdout);
  xnn_delete_operator(op);
  free(x), free(wt), free(b), free(y);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--check") != 0)) {
    fprintf(stderr, "usage: xnnpack_bench SUITE.tsv [--check]\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "r");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  if (xnn_initialize(NULL) != xnn_status_success) {
    fprintf(stderr, "xnnpack_bench: xnn_initialize failed (an unsupported CPU?)\n");
    return 1;
  }
  char line[1024];
  int status = 0;
  while (fgets(line, sizeof line, f)) {
    layer l;
    if (!suite_row(line, &l)) continue;
    status |= bench(&l, argc == 3);
  }
  fclose(f);
  return status;
}
