#!/bin/sh
# ensure-deps.sh: makes sure the Debian packages convtgen builds against are installed.
# Installs them with apt-get when run as root; otherwise says exactly what to install.
set -eu

missing=""
need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || missing="$missing $1"; }

for pkg in make gcc pkg-config liblua5.4-dev libtcc-dev libcmocka-dev protobuf-c-compiler libprotobuf-c-dev libonnx-dev; do
  need "$pkg"
done
for pkg in ${CONVTGEN_EXTRA_PACKAGES:-}; do need "$pkg"; done

[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "convtgen: installing missing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >&2
  exit 0
fi
echo "convtgen: missing Debian packages:$missing" >&2
echo "convtgen: install them with: sudo apt-get install$missing" >&2
exit 1
