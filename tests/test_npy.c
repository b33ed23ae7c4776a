/* test_npy.c: .npy reading and writing (runtime/tools/npy.c), including every way a file can be wrong. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"


/* Builds a .npy in memory: magic, version, header (padded as NumPy pads it), then data. */
static size_t make_npy(unsigned char *buf, int major, const char *dict, const void *data, size_t data_len) {
  size_t prefix = major == 1 ? 10 : 12, dlen = strlen(dict), hlen = dlen + 1;
  while ((prefix + hlen) % 64) hlen++;
  memcpy(buf, "\x93NUMPY", 6);
  buf[6] = (unsigned char)major;
  buf[7] = 0;
  for (size_t i = 0; i < prefix - 8; i++) buf[8 + i] = (unsigned char)(hlen >> (8 * i));
  memcpy(buf + prefix, dict, dlen);
  memset(buf + prefix + dlen, ' ', hlen - dlen - 1);
  buf[prefix + hlen - 1] = '\n';
  memcpy(buf + prefix + hlen, data, data_len);
  return prefix + hlen + data_len;
}

static void expect_load_error(const char *name, const void *bytes, size_t len, int status, const char *msg) {
  char *path = tu_write(tu_dir, name, bytes, len);
  ctg_tensor t;
  ctg_error err;
  assert_int_equal(ctg_npy_load(path, &t, &err), status);
  assert_contains(err.message, name);  /* names the file */
  assert_contains(err.message, msg);
  assert_null(t.data);
  free(path);
}

static void test_round_trip(void **state) {
  (void)state;
  const float data[] = { 1.5f, -2.25f, 3e-8f, 1e30f, -0.0f, 7, 8, 9, 10, 11, 12, 13 };
  const int64_t shapes[][4] = { { 12 }, { 3, 4 }, { 1, 2, 2, 3 } };
  const int ndims[] = { 1, 2, 4 };
  for (int s = 0; s < 3; s++) {
    char *path = tu_path(tu_dir, "rt.npy");
    ctg_error err;
    assert_int_equal(ctg_npy_save(path, CTG_FLOAT32, ndims[s], shapes[s], data, &err), CTG_OK);
    ctg_tensor t;
    assert_int_equal(ctg_npy_load(path, &t, &err), CTG_OK);
    assert_int_equal(t.ndim, ndims[s]);
    for (int i = 0; i < ndims[s]; i++) assert_int_equal(t.shape[i], shapes[s][i]);
    assert_int_equal(t.numel, 12);
    assert_memory_equal(t.data, data, sizeof data);
    ctg_tensor_free(&t);
    assert_null(t.data);
    free(path);
  }
}

static void test_written_header_is_numpys(void **state) {
  (void)state;
  char *path = tu_path(tu_dir, "hdr.npy");
  const int64_t shape[] = { 3 };
  const float data[] = { 1, 2, 3 };
  assert_int_equal(ctg_npy_save(path, CTG_FLOAT32, 1, shape, data, NULL), CTG_OK);
  FILE *f = fopen(path, "rb");
  unsigned char buf[256];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  assert_int_equal(n, 128 + 12);                 /* data starts 64-byte aligned */
  assert_memory_equal(buf, "\x93NUMPY\x01\x00", 8);
  assert_int_equal(buf[8] | buf[9] << 8, 118);
  const char *dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
  assert_memory_equal(buf + 10, dict, strlen(dict));
  for (size_t i = 10 + strlen(dict); i < 127; i++) assert_int_equal(buf[i], ' ');
  assert_int_equal(buf[127], '\n');
  free(path);
}

static void test_scalar_and_empty(void **state) {
  (void)state;
  char *path = tu_path(tu_dir, "e.npy");
  const int64_t empty[] = { 0, 3 };
  ctg_tensor t;
  assert_int_equal(ctg_npy_save(path, CTG_FLOAT32, 2, empty, NULL, NULL), CTG_OK);
  assert_int_equal(ctg_npy_load(path, &t, NULL), CTG_OK);
  assert_int_equal(t.ndim, 2);
  assert_int_equal(t.numel, 0);
  ctg_tensor_free(&t);
  const float one = 4.5f;
  assert_int_equal(ctg_npy_save(path, CTG_FLOAT32, 0, NULL, &one, NULL), CTG_OK);
  assert_int_equal(ctg_npy_load(path, &t, NULL), CTG_OK);
  assert_int_equal(t.ndim, 0);
  assert_int_equal(t.numel, 1);
  assert_true(((float *)t.data)[0] == 4.5f);
  ctg_tensor_free(&t);
  free(path);
}

static void test_versions_2_and_3_and_key_order(void **state) {
  (void)state;
  unsigned char buf[512];
  const float data[] = { 1, 2, 3, 4, 5, 6 };
  for (int major = 1; major <= 3; major++) {
    /* keys in another order, extra spaces, double quotes: all legal Python */
    size_t n = make_npy(buf, major, "{\"shape\": ( 2 , 3 ), 'fortran_order':False,'descr':'<f4'}", data, sizeof data);
    char *path = tu_write(tu_dir, "v.npy", buf, n);
    ctg_tensor t;
    ctg_error err;
    assert_int_equal(ctg_npy_load(path, &t, &err), CTG_OK);
    assert_int_equal(t.ndim, 2);
    assert_int_equal(t.shape[0], 2);
    assert_int_equal(t.shape[1], 3);
    assert_memory_equal(t.data, data, sizeof data);
    ctg_tensor_free(&t);
    free(path);
  }
}

static void test_bad_files(void **state) {
  (void)state;
  unsigned char buf[512];
  const float data[] = { 1, 2, 3, 4 };
  size_t n;
  n = make_npy(buf, 1, "{'descr': '<u4', 'fortran_order': False, 'shape': (2,), }", data, 8);
  expect_load_error("u4.npy", buf, n, CTG_ERR_FORMAT, "dtype is '<u4'; convtgen reads little-endian float32, "
                    "float64, complex64, complex128, int8, int32, float16 or bfloat16 bits ('<f4', '<f8', '<c8', "
                    "'<c16', '|i1', '<i4', '<f2', '<u2' or '<i2')");
  n = make_npy(buf, 1, "{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }", data, 16);
  expect_load_error("c8.npy", buf, n, CTG_ERR_FORMAT, "truncated: the shape needs 24 data bytes, the file has 16");
  n = make_npy(buf, 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }", data, 16);
  expect_load_error("be.npy", buf, n, CTG_ERR_FORMAT, "dtype is '>f4'");
  n = make_npy(buf, 1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data, 16);
  expect_load_error("i8.npy", buf, n, CTG_ERR_FORMAT, "dtype is '<i8'");
  n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", data, 16);
  expect_load_error("fortran.npy", buf, n, CTG_ERR_FORMAT, "Fortran order");
  n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", data, 16);
  expect_load_error("truncated.npy", buf, n - 5, CTG_ERR_FORMAT, "truncated: the shape needs 16 data bytes, the file has 11");
  memcpy(buf + n, "junk", 4);
  expect_load_error("extra.npy", buf, n + 4, CTG_ERR_FORMAT, "4 unexpected bytes after the data");
  /* a header length that points past the end of the file */
  n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", data, 16);
  buf[8] = 0xff, buf[9] = 0x7f;
  expect_load_error("liar.npy", buf, n, CTG_ERR_FORMAT, "header claims 32767 bytes but the file has only");
  /* a header length that ends inside the dict */
  n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", data, 16);
  buf[8] = 20, buf[9] = 0;
  expect_load_error("short.npy", buf, n, CTG_ERR_FORMAT, "malformed .npy header");
  n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False}", data, 16);
  expect_load_error("noshape.npy", buf, n, CTG_ERR_FORMAT, "malformed .npy header");
  n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), 'extra': 1}", data, 16);
  expect_load_error("extrakey.npy", buf, n, CTG_ERR_FORMAT, "unknown key 'extra'");
  n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 2), }", data, 16);
  expect_load_error("negshape.npy", buf, n, CTG_ERR_FORMAT, "malformed .npy header");
  n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", data, 16);
  expect_load_error("huge.npy", buf, n, CTG_ERR_FORMAT, "shape is too large");
  n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", data, 16);
  buf[6] = 4;
  expect_load_error("v4.npy", buf, n, CTG_ERR_FORMAT, "unsupported .npy format version 4.0");
  expect_load_error("text.npy", "x,y\n1,2\n", 8, CTG_ERR_FORMAT, "not a .npy file");
  expect_load_error("empty.npy", "", 0, CTG_ERR_FORMAT, "not a .npy file");
  expect_load_error("cut.npy", "\x93NUMPY\x01\x00\x10", 9, CTG_ERR_FORMAT, "file is truncated");

  ctg_tensor t;
  ctg_error err;
  char *missing = tu_path(tu_dir, "missing.npy");
  assert_int_equal(ctg_npy_load(missing, &t, &err), CTG_ERR_IO);
  assert_contains(err.message, "missing.npy: cannot open");
  free(missing);
  assert_int_equal(ctg_npy_load(tu_dir, &t, &err), CTG_ERR_IO);
  assert_contains(err.message, "not a regular file");
}

static int count_entries(const char *d) {
  DIR *dp = opendir(d);
  int n = 0;
  for (struct dirent *e; (e = readdir(dp));) n += e->d_name[0] != '.';
  closedir(dp);
  return n;
}

static void test_saves_are_atomic(void **state) {
  (void)state;
  char *sub = tu_path(tu_dir, "atomic");
  assert_int_equal(mkdir(sub, 0755), 0);
  char *path = tu_path(sub, "y.npy");
  const int64_t shape[] = { 2 };
  const float a[] = { 1, 2 }, b[] = { 3, 4 };
  ctg_error err;
  assert_int_equal(ctg_npy_save(path, CTG_FLOAT32, 1, shape, a, &err), CTG_OK);
  assert_int_equal(ctg_npy_save(path, CTG_FLOAT32, 1, shape, b, &err), CTG_OK); /* replaces */
  ctg_tensor t;
  assert_int_equal(ctg_npy_load(path, &t, &err), CTG_OK);
  assert_true(((float *)t.data)[0] == 3 && ((float *)t.data)[1] == 4);
  ctg_tensor_free(&t);
  assert_int_equal(count_entries(sub), 1); /* no temporary left behind */

  char *nodir = tu_path(sub, "no/such/dir/y.npy");
  assert_int_equal(ctg_npy_save(nodir, CTG_FLOAT32, 1, shape, a, &err), CTG_ERR_IO);
  assert_contains(err.message, "no/such/dir/y.npy: cannot create");
  assert_int_equal(ctg_npy_save(path, CTG_FLOAT32, -1, shape, a, &err), CTG_ERR_ARG);
  assert_int_equal(ctg_npy_save(path, CTG_FLOAT32, 1, shape, NULL, &err), CTG_ERR_ARG);
  assert_int_equal(count_entries(sub), 1);
  free(nodir);
  free(path);
  free(sub);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_written_header_is_numpys),
    cmocka_unit_test(test_scalar_and_empty),
    cmocka_unit_test(test_versions_2_and_3_and_key_order),
    cmocka_unit_test(test_bad_files),
    cmocka_unit_test(test_saves_are_atomic),
  };
  return cmocka_run_group_tests_name("npy", tests, tu_setup_dir, tu_teardown_dir);
}
