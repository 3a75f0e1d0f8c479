#!/usr/bin/env bash
# Installs the Debian 12 packages mlflowcpp needs to build, run and test.
# Only what is missing is installed; run as root (or with sudo).
#   --test  also what the tests need: PostgreSQL, Node.js + npm, Python 3 with PyYAML, the S3 emulator
#           s3rver (npm package @20minutes/s3rver), started by the S3 tests, and
#           for the browser tests of the web UI Chromium, a font and the npm
#           package playwright-core (driving Chromium without downloading browsers).
set -euo pipefail

readonly S3RVER_PACKAGE="@20minutes/s3rver"
readonly S3RVER_VERSION="4.0.4"
readonly PLAYWRIGHT_PACKAGE="playwright-core"
readonly PLAYWRIGHT_VERSION="1.65.2"

with_tests=false
if [[ "${1:-}" == "--test" ]]; then with_tests=true; fi

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcurl4-openssl-dev nlohmann-json3-dev libfmt-dev libsqlitecpp-dev libsqlite3-dev
  libcpp-httplib-dev libboost-dev libboost-filesystem-dev libgtest-dev libssl-dev
  libpq-dev libpqxx-dev libmariadb-dev sqlite3 gfortran
)
if $with_tests; then
  packages+=(postgresql nodejs npm openssl)  # openssl: throwaway certificates for the TLS tests
  # The MySQL tests start a throwaway MariaDB (mariadbd, mariadb-install-db) and use its client programs.
  packages+=(mariadb-server mariadb-client)
  # python3-yaml: the deploy tests parse deploy/**/*.yaml; python3-prometheus-client: the metrics test parses a
  # scrape of /metrics with the official Prometheus parser.
  packages+=(python3 python3-yaml python3-prometheus-client)
  # chromium: the browser tests; without recommends it brings no font, and screenshots would show boxes.
  packages+=(chromium fonts-dejavu-core)
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then as_root=(sudo); fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  # nodejs and npm from another source (NodeSource, nvm) count as present.
  if $with_tests && command -v node >/dev/null && command -v npm >/dev/null; then
    filtered=()
    for package in "${missing[@]}"; do
      [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package")
    done
    missing=("${filtered[@]+"${filtered[@]}"}")
  fi
fi
if ((${#missing[@]} > 0)); then
  echo "Installing: ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  # The database servers are installed for their programs only: the tests start throwaway PostgreSQL and MariaDB
  # servers of their own. Without a policy-rc.d, apt would also start the system services (on machines without
  # systemd through their init scripts) and leave them running; this one refuses that for the installation only.
  policy=/usr/sbin/policy-rc.d
  added_policy=false
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod 755 "$policy"
    added_policy=true
    trap '"${as_root[@]}" rm -f "$policy"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if $added_policy; then "${as_root[@]}" rm -f "$policy"; trap - EXIT; fi
fi

if ! $with_tests; then
  exit 0
fi

npm_root=$(npm root -g)
# Installs npm package $1 at version $2 globally unless exactly that version is there.
install_npm_package() {
  local installed
  installed=$(node -p "require('$npm_root/$1/package.json').version" 2>/dev/null || true)
  if [[ "$installed" != "$2" ]]; then
    echo "Installing npm package $1@$2"
    "${as_root[@]}" npm install -g --no-fund --no-audit "$1@$2"
  fi
}

# s3rver: an S3 emulator that checks SigV4 signatures.
s3rver_dir="$npm_root/$S3RVER_PACKAGE"
install_npm_package "$S3RVER_PACKAGE" "$S3RVER_VERSION"
# playwright-core drives Debian's chromium; it downloads no browser of its own.
install_npm_package "$PLAYWRIGHT_PACKAGE" "$PLAYWRIGHT_VERSION"
# The published 4.0.4 package lacks the bin/ script its package.json names, so
# npm links no `s3rver` command; this launcher starts the package's CLI instead.
# Node on OpenSSL 3 needs the legacy provider for s3rver's DES-encrypted
# ListObjectsV2 continuation tokens.
launcher=/usr/local/bin/s3rver
if ! command -v s3rver >/dev/null || grep -q "s3rver/lib/cli.js" "$launcher" 2>/dev/null; then
  printf '%s\n' '#!/usr/bin/env -S node --openssl-legacy-provider' \
    "require('$s3rver_dir/lib/cli.js').parseAsync(process.argv).catch((error) => {" \
    '  console.error(error);' \
    '  process.exit(1);' \
    '});' | "${as_root[@]}" tee "$launcher.new" >/dev/null
  if ! cmp -s "$launcher.new" "$launcher"; then
    echo "Writing $launcher"
    "${as_root[@]}" chmod 755 "$launcher.new"
    "${as_root[@]}" mv "$launcher.new" "$launcher"
  else
    "${as_root[@]}" rm -f "$launcher.new"
  fi
fi
