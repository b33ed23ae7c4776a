/* demo_data.c: writes the inputs of `make demo` and prints its results, using libconvtgen's .npy API.
 * usage: demo_data write DIR   |   demo_data show Y.npy   |   demo_data write-complex DIR   |
 *        demo_data show-complex Y.npy */
#include <stdio.h>
#include <string.h>

#include "convtgen_tools.h"

static int save_as(const char *dir, const char *name, ctg_dtype dtype, int ndim, const int64_t *shape,
                   const float *data) {
  char path[1024];
  ctg_error err;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (ctg_npy_save(path, dtype, ndim, shape, data, &err) != CTG_OK) {
    fprintf(stderr, "demo_data: %s\n", err.message);
    return 1;
  }
  return 0;
}

static int save(const char *dir, const char *name, int ndim, const int64_t *shape, const float *data) {
  return save_as(dir, name, CTG_FLOAT32, ndim, shape, data);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "write") == 0) {
    /* the values PyTorch's documentation prints for ConvTranspose2d(1, 3, kernel_size=1) */
    const float x[] = { 8, -3, 0, 1, 5, -2 };
    const float w[] = { 0.4414f, 0.4792f, -0.1353f };
    const float b[] = { 0.5304f, -0.1265f, 0.1165f };
    const int64_t xs[] = { 1, 1, 6 }, ws[] = { 1, 3, 1, 1 }, bs[] = { 3 };
    return save(argv[2], "x.npy", 3, xs, x) || save(argv[2], "w.npy", 4, ws, w) ||
           save(argv[2], "b.npy", 1, bs, b);
  }
  if (argc == 3 && strcmp(argv[1], "write-complex") == 0) {
    /* the tutorial's complex64 input, (re, im) pairs; weights and bias of our choosing */
    const float x[] = { 8, 0, -3, 0, 0, 0, 1, 0, 5, 0, -2, 0 };
    const float w[] = { 0.5f, 0.25f, -1, 0, 0.75f, -0.5f, 0.25f, 1, 0.5f, -0.5f, -0.25f, 0 };
    const float b[] = { 0.125f, -0.25f, 0, 0.5f, -0.5f, 0 };
    const int64_t xs[] = { 1, 2, 3, 1 }, ws[] = { 2, 3, 1, 1 }, bs[] = { 3 };
    return save_as(argv[2], "cx.npy", CTG_COMPLEX64, 4, xs, x) || save_as(argv[2], "cw.npy", CTG_COMPLEX64, 4, ws, w) ||
           save_as(argv[2], "cb.npy", CTG_COMPLEX64, 1, bs, b);
  }
  if (argc == 3 && strcmp(argv[1], "show-complex") == 0) {
    ctg_tensor y;
    ctg_error err;
    if (ctg_npy_load(argv[2], &y, &err) != CTG_OK || y.dtype != CTG_COMPLEX64) {
      fprintf(stderr, "demo_data: %s\n", y.dtype != CTG_COMPLEX64 ? "expected complex64" : err.message);
      return 1;
    }
    const float *v = y.data;
    printf("output (%lld, %lld, %lld, %lld), complex64:\n", (long long)y.shape[0], (long long)y.shape[1],
           (long long)y.shape[2], (long long)y.shape[3]);
    for (size_t i = 0; i < y.numel; i++)
      printf("%s%8.4f%+8.4fj%s", i % 3 ? ", " : "  [", v[2 * i], v[2 * i + 1], i % 3 == 2 ? " ]\n" : "");
    /* y[c][h] = x0[h] w0[c] + x1[h] w1[c] + b[c], by hand: */
    printf("by hand, (a+ib)(c+id) = (ac-bd) + i(ad+bc):\n"
           "  [  4.3750 +2.7500j,  -0.1250 +4.0000j,  -0.3750 -2.2500j ]\n"
           "  [ -7.5000 +0.0000j,   5.5000 -2.0000j,  -1.0000 +1.5000j ]\n"
           "  [  5.2500 -4.0000j,  -4.0000 +1.5000j,   0.0000 +0.0000j ]\n");
    ctg_tensor_free(&y);
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "show") == 0) {
    ctg_tensor y;
    ctg_error err;
    if (ctg_npy_load(argv[2], &y, &err) != CTG_OK) {
      fprintf(stderr, "demo_data: %s\n", err.message);
      return 1;
    }
    printf("output (%lld, %lld, %lld):\n", (long long)y.shape[0], (long long)y.shape[1],
           (long long)y.shape[2]);
    for (size_t i = 0; i < y.numel; i++)
      printf("%s%8.4f%s", i % 6 ? "" : "  [", ((float *)y.data)[i], i % 6 == 5 ? " ]\n" : ",");
    printf("PyTorch's documentation prints (from weights rounded to 4 decimals: agree within 5e-4):\n"
           "  [  4.0616, -0.7939,  0.5304,  0.9718,  2.7374, -0.3525 ]\n"
           "  [  3.7071, -1.5641, -0.1265,  0.3527,  2.2695, -1.0849 ]\n"
           "  [ -0.9656,  0.5223,  0.1165, -0.0188, -0.5598,  0.3870 ]\n");
    ctg_tensor_free(&y);
    return 0;
  }
  fprintf(stderr, "usage: demo_data write|write-complex DIR | demo_data show|show-complex Y.npy\n");
  return 2;
}
