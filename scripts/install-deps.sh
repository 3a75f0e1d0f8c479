#!/usr/bin/env bash
# Installs the Debian 12 packages mlflowcpp needs to build, run and test.
# Only what is missing is installed; run as root (or with sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcurl4-openssl-dev nlohmann-json3-dev libfmt-dev libsqlitecpp-dev libsqlite3-dev
  libcpp-httplib-dev libboost-dev libboost-filesystem-dev libgtest-dev libssl-dev
  libpq-dev libpqxx-dev sqlite3
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(postgresql)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "Installing: ${missing[*]}"
as_root=()
if [[ $(id -u) -ne 0 ]]; then as_root=(sudo); fi
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
