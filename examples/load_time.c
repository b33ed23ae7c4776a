/* load_time.c: the README's load-time example, whole: a layer described in C, compiled when the
 * "model" loads, weights bound once, activations passed per call. Every return is checked and
 * everything made is freed. `make example` runs it. */
#include <stdio.h>
#include <stdlib.h>

#include "convtgen.h"

/* Runs one DCGAN layer (512 -> 256 channels, kernel 4, stride 2, padding 1, a batch of 8 4x4
 * images) on input with weight and bias as PyTorch stores them. Returns 0, or 1 with the
 * library's one-line message printed. */
static int run_layer(const float *weight, const float *bias, const float *input, float *output) {
  ctg_layer l;
  ctg_layer_init(&l);                       /* PyTorch's defaults: stride 1, bias, groups 1, ... */
  l.in_channels = 512, l.out_channels = 256;
  l.kernel_size[0] = l.kernel_size[1] = 4;
  l.stride[0] = l.stride[1] = 2;
  l.padding[0] = l.padding[1] = 1;
  l.input_rank = 4;                         /* input_shape is (N, C, H, W) */
  l.input_shape[0] = 8, l.input_shape[1] = 512, l.input_shape[2] = l.input_shape[3] = 4;
  ctg_spec *spec = NULL;
  ctg_kernel *k = NULL;
  ctg_options opts = { .backend = CTG_BACKEND_AUTO };
  ctg_error err;
  int st = ctg_spec_from_layer(&l, &spec, &err);
  if (st == CTG_OK) st = ctg_compile(spec, &opts, &k, &err);
  if (st == CTG_OK) st = ctg_kernel_bind_weights(k, weight, bias, &err); /* copied: ours to free */
  if (st == CTG_OK) st = ctg_kernel_run(k, 8, input, NULL, NULL, output, &err); /* 8 images, bound weights */
  if (st != CTG_OK) fprintf(stderr, "convtgen: %s\n", err.message);      /* one line, as for a spec file */
  ctg_kernel_free(k);                       /* NULL is fine */
  ctg_spec_free(spec);
  return st != CTG_OK;
}

int main(void) {
  size_t nw = 512 * 256 * 4 * 4, nb = 256, nx = 8 * 512 * 4 * 4, ny = 8 * 256 * 8 * 8;
  float *w = malloc(nw * sizeof *w), *b = malloc(nb * sizeof *b), *x = malloc(nx * sizeof *x),
        *y = malloc(ny * sizeof *y);
  if (!w || !b || !x || !y) {
    fprintf(stderr, "out of memory\n");
    return 1;
  }
  for (size_t i = 0; i < nw; i++) w[i] = (float)((i * 7919) % 13) / 13.0f - 0.5f;
  for (size_t i = 0; i < nb; i++) b[i] = 0.01f * (float)i;
  for (size_t i = 0; i < nx; i++) x[i] = (float)((i * 104729) % 17) / 17.0f - 0.5f;
  int rc = run_layer(w, b, x, y);
  if (rc == 0) printf("load_time: output[0] = %.6f, output[%zu] = %.6f\n", (double)y[0], ny - 1, (double)y[ny - 1]);
  free(w), free(b), free(x), free(y);
  return rc;
}
