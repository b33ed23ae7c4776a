/* driver.c: the end of test_arm's AArch64 unit, included after every layer's --isa neon file
 * and the `entries` table test_arm writes (pack, run_packed, run per layer). Run under QEMU as
 * `unit INDEX DIR ELEMENT_BYTES NX NW NB NY NPACKED`: reads DIR/x.bin, w.bin, b.bin (when NB),
 * packs and runs layer INDEX through both entry points, writes DIR/y_packed.bin and y_run.bin. */
#include <stdio.h>
#include <stdlib.h>

static void *load(const char *dir, const char *name, size_t bytes) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  void *buf = malloc(bytes + 16);
  FILE *f = fopen(path, "rb");
  if (!buf || !f || fread(buf, 1, bytes, f) != bytes) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(3);
  }
  fclose(f);
  return buf;
}

static void save(const char *dir, const char *name, const void *buf, size_t bytes) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(buf, 1, bytes, f) != bytes || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(3);
  }
}

int main(int argc, char **argv) {
  if (argc != 9) return 2;
  const int i = atoi(argv[1]);
  const char *dir = argv[2];
  size_t es = strtoul(argv[3], 0, 10), nx = strtoul(argv[4], 0, 10), nw = strtoul(argv[5], 0, 10),
         nb = strtoul(argv[6], 0, 10), ny = strtoul(argv[7], 0, 10), np = strtoul(argv[8], 0, 10);
  void *x = load(dir, "x.bin", nx * es), *w = load(dir, "w.bin", nw * es), *b = nb ? load(dir, "b.bin", nb * es) : 0;
  void *packed = malloc(np * es + 16), *y = malloc(ny * es + 16);
  ((void (*)(const void *, const void *, void *))entries[i].pack)(w, b, packed);
  if (((int (*)(const void *, const void *, void *))entries[i].run_packed)(x, packed, y) != 0) return 4;
  save(dir, "y_packed.bin", y, ny * es);
  if (((int (*)(const void *, const void *, const void *, void *))entries[i].run)(x, w, b, y) != 0) return 4;
  save(dir, "y_run.bin", y, ny * es);
  return 0;
}
