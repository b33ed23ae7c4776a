/* onednn_bench.c: the reference point: oneDNN's deconvolution on the same suite, the same
 * timing and the same TSV as `convtgen bench`. Built where libdnnl-dev (oneDNN 2.x, Debian's) is
 * installed, and against oneDNN 3.x (PyPI's onednn and onednn-devel, `make onednn3`).
 * usage: onednn_bench SUITE.tsv THREADS
 * oneDNN 2.x: two rows per layer, "onednn" with PyTorch's layouts (NCHW data, weights (Cin,
 * Cout/g, KH, KW) as oneDNN's iohw/giohw), and "onednn-any" where oneDNN picks its own layouts
 * for data and weights and only the primitive's execution is timed (its best case). oneDNN 3.x:
 * "onednn3-any" only (its NCHW path with PyTorch's weight layout is a reference kernel). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dnnl.h>

#include "suite_timing.h"

/* oneDNN 3 made memory descriptors opaque handles and primitive descriptors one call */
#if DNNL_VERSION_MAJOR >= 3
#define MD_ARG(md) (md)
typedef const_dnnl_memory_desc_t md_ref;
#define ROW_PREFIX "onednn3"
#else
#define MD_ARG(md) (&(md))
typedef const dnnl_memory_desc_t *md_ref;
#define ROW_PREFIX "onednn"
#endif

#define CHECK(call)                                                        \
  do {                                                                     \
    dnnl_status_t s_ = (call);                                             \
    if (s_ != dnnl_success) {                                              \
      fprintf(stderr, "onednn_bench: %s failed (%d)\n", #call, (int)s_);   \
      exit(1);                                                             \
    }                                                                      \
  } while (0)

static dnnl_memory_t make_memory(dnnl_engine_t eng, md_ref md, float fill) {
  dnnl_memory_t m;
  CHECK(dnnl_memory_create(&m, md, eng, DNNL_MEMORY_ALLOCATE));
  void *p;
  CHECK(dnnl_memory_get_data_handle(m, &p));
  size_t n = dnnl_memory_desc_get_size(md) / sizeof(float);
  for (size_t i = 0; i < n; i++) ((float *)p)[i] = fill * (float)((i * 7919) % 17) / 17.0f - 0.5f * fill;
  return m;
}

typedef struct call {
  dnnl_primitive_t prim;
  dnnl_stream_t stream;
  int nargs;
  const dnnl_exec_arg_t *args;
} call;

static void execute(void *ctx) {
  const call *c = ctx;
  CHECK(dnnl_primitive_execute(c->prim, c->stream, c->nargs, c->args));
  CHECK(dnnl_stream_wait(c->stream));
}

static void bench(const layer *l, int any, int threads, dnnl_engine_t eng, dnnl_stream_t stream) {
  long oh = (l->h - 1) * l->sh - 2 * l->ph + l->dh * (l->kh - 1) + l->oph + 1;
  long ow = (l->w - 1) * l->sw - 2 * l->pw + l->dw * (l->kw - 1) + l->opw + 1;
  dnnl_dims_t src_dims = { l->n, l->cin, l->h, l->w }, dst_dims = { l->n, l->cout, oh, ow };
  dnnl_dims_t bias_dims = { l->cout };
  dnnl_dims_t strides = { l->sh, l->sw }, dilates = { l->dh - 1, l->dw - 1 };
  dnnl_dims_t pad_l = { l->ph, l->pw }, pad_r = { l->ph - l->oph, l->pw - l->opw };
  dnnl_memory_desc_t src_md, wei_md, bias_md, dst_md;
  dnnl_format_tag_t data_tag = any ? dnnl_format_tag_any : dnnl_nchw;
#if DNNL_VERSION_MAJOR >= 3
#define INIT_MD(md, nd, dims, tag) dnnl_memory_desc_create_with_tag(&(md), nd, dims, dnnl_f32, tag)
#else
#define INIT_MD(md, nd, dims, tag) dnnl_memory_desc_init_by_tag(&(md), nd, dims, dnnl_f32, tag)
#endif
  CHECK(INIT_MD(src_md, 4, src_dims, data_tag));
  CHECK(INIT_MD(dst_md, 4, dst_dims, data_tag));
  CHECK(INIT_MD(bias_md, 1, bias_dims, dnnl_x));
  if (l->groups == 1) {
    dnnl_dims_t wdims = { l->cout, l->cin, l->kh, l->kw };
    CHECK(INIT_MD(wei_md, 4, wdims, any ? dnnl_format_tag_any : dnnl_iohw));
  } else {
    dnnl_dims_t wdims = { l->groups, l->cout / l->groups, l->cin / l->groups, l->kh, l->kw };
    CHECK(INIT_MD(wei_md, 5, wdims, any ? dnnl_format_tag_any : dnnl_giohw));
  }
  double t0 = now_ms();
  dnnl_primitive_desc_t pd;
#if DNNL_VERSION_MAJOR >= 3
  CHECK(dnnl_deconvolution_forward_primitive_desc_create(&pd, eng, dnnl_forward_inference,
                                                         dnnl_deconvolution_direct, src_md, wei_md,
                                                         l->bias ? bias_md : NULL, dst_md, strides, dilates,
                                                         pad_l, pad_r, NULL));
#else
  dnnl_deconvolution_desc_t desc;
  CHECK(dnnl_dilated_deconvolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_deconvolution_direct,
                                                     &src_md, &wei_md, l->bias ? &bias_md : NULL, &dst_md,
                                                     strides, dilates, pad_l, pad_r));
  CHECK(dnnl_primitive_desc_create(&pd, &desc, NULL, eng, NULL));
#endif
  dnnl_primitive_t prim;
  CHECK(dnnl_primitive_create(&prim, pd));
  double create_ms = now_ms() - t0;
  dnnl_memory_t src = make_memory(eng, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0), 1.0f);
  dnnl_memory_t wei = make_memory(eng, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0), 0.1f);
  dnnl_memory_t bia = make_memory(eng, MD_ARG(bias_md), 0.1f);
  dnnl_memory_t dst = make_memory(eng, dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), 0.0f);
  dnnl_exec_arg_t args[4] = { { DNNL_ARG_SRC, src }, { DNNL_ARG_WEIGHTS, wei }, { DNNL_ARG_DST, dst },
                              { DNNL_ARG_BIAS, bia } };
  int nargs = l->bias ? 4 : 3;
  call c = { prim, stream, nargs, args };
  t0 = now_ms();
  execute(&c);
  double median = median_ms(execute, &c, now_ms() - t0);
  double flops = layer_flops(l);
  printf("%s\t%s\t%d\t%.4f\t%.3f\t%.2f\n", l->name, any ? ROW_PREFIX "-any" : ROW_PREFIX, threads, median,
         flops / (median * 1e6), create_ms);
  fflush(stdout);
  dnnl_memory_destroy(src), dnnl_memory_destroy(wei), dnnl_memory_destroy(bia), dnnl_memory_destroy(dst);
  dnnl_primitive_destroy(prim);
  dnnl_primitive_desc_destroy(pd);
#if DNNL_VERSION_MAJOR >= 3
  dnnl_memory_desc_destroy(src_md), dnnl_memory_desc_destroy(wei_md), dnnl_memory_desc_destroy(bias_md);
  dnnl_memory_desc_destroy(dst_md);
#endif
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: onednn_bench SUITE.tsv THREADS\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "r");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  int threads = atoi(argv[2]);
  dnnl_engine_t eng;
  dnnl_stream_t stream;
  CHECK(dnnl_engine_create(&eng, dnnl_cpu, 0));
  CHECK(dnnl_stream_create(&stream, eng, dnnl_stream_default_flags));
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    layer l;
    if (!suite_row(line, &l)) continue;
#if DNNL_VERSION_MAJOR < 3
    bench(&l, 0, threads, eng, stream);
#endif
    bench(&l, 1, threads, eng, stream);
  }
  fclose(f);
  dnnl_stream_destroy(stream);
  dnnl_engine_destroy(eng);
  return 0;
}
