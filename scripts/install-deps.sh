#!/usr/bin/env bash
# Installs the Debian 12 packages mlflowcpp needs to build, run and test.
# Only what is missing is installed; run as root (or with sudo).
#   --test  also what the tests need: PostgreSQL, Node.js + npm and the S3
#           emulator s3rver (npm package @20minutes/s3rver), started by the S3 tests.
set -euo pipefail

readonly S3RVER_PACKAGE="@20minutes/s3rver"
readonly S3RVER_VERSION="4.0.4"

with_tests=false
if [[ "${1:-}" == "--test" ]]; then with_tests=true; fi

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcurl4-openssl-dev nlohmann-json3-dev libfmt-dev libsqlitecpp-dev libsqlite3-dev
  libcpp-httplib-dev libboost-dev libboost-filesystem-dev libgtest-dev libssl-dev
  libpq-dev libpqxx-dev sqlite3 gfortran
)
if $with_tests; then
  packages+=(postgresql nodejs npm openssl)  # openssl: throwaway certificates for the TLS tests
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
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! $with_tests; then
  exit 0
fi

# s3rver: an S3 emulator that checks SigV4 signatures.
npm_root=$(npm root -g)
s3rver_dir="$npm_root/$S3RVER_PACKAGE"
installed_version=$(node -p "require('$s3rver_dir/package.json').version" 2>/dev/null || true)
if [[ "$installed_version" != "$S3RVER_VERSION" ]]; then
  echo "Installing npm package $S3RVER_PACKAGE@$S3RVER_VERSION"
  "${as_root[@]}" npm install -g --no-fund --no-audit "$S3RVER_PACKAGE@$S3RVER_VERSION"
fi
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
