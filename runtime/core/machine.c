/* machine.c: facts about the machine convtgen runs on: a monotonic clock for every timing, and
 * the vector ISA of its CPU (what the cc tier and `gen` build for by default). */
#include <time.h>

#include "internal.h"

double ctg__now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

const char *ctg__host_isa(void) {
#if defined(__aarch64__)
  return "neon";
#elif defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "avx512";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2";
  return "scalar";
#else
  return "scalar";
#endif
}
