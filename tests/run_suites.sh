#!/bin/sh
# run_suites.sh CACHES JOBS SUITE...: runs the cmocka suites JOBS at a time (make test; the
# machine has cores to spare while one suite runs), longest first. Each suite gets a fresh kernel
# cache CACHES/NAME (CACHES: a private folder, docs/library.md) and its own log, printed whole
# when it ends, with its time. $CUDA_TEST_ENV goes in test_cuda's environment. Exits 1 when a
# suite failed.
caches=$1
jobs=$2
shift 2
export caches
# the long suites first, so the lanes end together
order=""
for slow in test_aot test_cc test_cuda test_cuda_double test_hostile test_int8; do
  for t in "$@"; do [ "${t##*/}" = "$slow" ] && order="$order $t"; done
done
for t in "$@"; do
  case " $order " in *" $t "*) ;; *) order="$order $t" ;; esac
done
printf '%s\n' $order | xargs -P "$jobs" -n 1 sh -c '
  t=$1 name=${1##*/}
  cache=$caches/$name
  mkdir -m 700 "$cache"
  start=$(date +%s)
  if [ "$name" = test_cuda ]; then
    env $CUDA_TEST_ENV CONVTGEN_CACHE_DIR="$cache" "$t" > "$cache.log" 2>&1
  else
    CONVTGEN_CACHE_DIR="$cache" "$t" > "$cache.log" 2>&1
  fi
  rc=$?
  [ $rc -eq 0 ] || echo "$name" >> "$caches/failed"
  flock "$caches" sh -c "echo \"== $t ($(( $(date +%s) - start )) s)\"; cat \"$cache.log\""
' sh
if [ -s "$caches/failed" ]; then
  echo "failed:" $(cat "$caches/failed")
  exit 1
fi
exit 0
