#!/usr/bin/env bash
# Prints the Debian packages that hold the shared libraries a binary loads (ldd, then dpkg -S), one per line,
# sorted: the runtime stage of deploy/Dockerfile installs exactly these (deploy/runtime-packages.txt).
#   deploy/runtime-packages.sh build/server/mlflowcpp > deploy/runtime-packages.txt
set -euo pipefail
binary=${1:?usage: runtime-packages.sh BINARY}

# dpkg records a file under the path its package shipped it; with merged /usr, ldd may name the other spelling.
owner_of() {
  local candidate
  for candidate in "$1" "$(readlink -f "$1")" "/usr$1" "${1#/usr}"; do
    if dpkg-query -S "$candidate" 2>/dev/null | head -n1 | cut -d: -f1; then return 0; fi
  done
  echo "no Debian package holds $1" >&2
  return 1
}

libraries=$(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
for library in $libraries; do owner_of "$library"; done | sort -u
