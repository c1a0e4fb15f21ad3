#!/usr/bin/env bash
# Installs what pocketstack needs, then builds it. Idempotent and quick when nothing is missing.
#   setup.sh runtime   what `npm start` needs: Node packages, qemu-utils and openssl
#   setup.sh test      also the real clients the tests drive: openstack CLI, openstacksdk, Tempest
#                      with the heat-tempest-plugin (and ssh-keygen)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-runtime}

# command:package pairs. openssl makes x509 key pairs, as it does for Nova.
needs=(qemu-img:qemu-utils openssl:openssl)
if [ "$mode" = test ]; then
  # ssh-keygen: the key pair tests check fingerprints and generated keys with it.
  needs+=(/usr/bin/openstack:python3-openstackclient /usr/bin/tempest:tempest ssh-keygen:openssh-client)
fi

missing=()
for need in "${needs[@]}"; do
  command -v "${need%%:*}" >/dev/null 2>&1 || missing+=("${need#*:}")
done
# python3-openstacksdk and python3-heatclient come with the CLI check above; check them by import.
if [ "$mode" = test ] && ! /usr/bin/python3 -c 'import openstack, heatclient' >/dev/null 2>&1; then
  missing+=(python3-openstacksdk python3-heatclient)
fi
# The heat-tempest-plugin (gabbi suites and functional tests) is a Tempest plugin, found by import.
if [ "$mode" = test ] && ! /usr/bin/python3 -c 'import heat_tempest_plugin' >/dev/null 2>&1; then
  missing+=(heat-tempest-plugin)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
    [ "$mode" = test ] && exit 1
  fi
fi

# Reinstall Node packages when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing Node packages" >&2
  npm ci --no-audit --no-fund >&2
fi

# tsc, then TypeBox bundled into one module (src/vendor/typebox.ts says why).
npm run --silent build
