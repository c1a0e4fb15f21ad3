#!/usr/bin/env bash
# Installs what pocketstack needs, then builds it. Idempotent and quick when nothing is missing.
#   setup.sh runtime   what `npm start` needs: Node packages, qemu-utils and openssl, and what
#                      the qemu compute driver's guests need (docs/designs/0010-qemu-guests.md)
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

# The qemu driver's guests: QEMU itself, and what the tiny guest image is built from without root
# (dropbear-bin copied into it, mke2fs -d and debugfs from e2fsprogs, the config drive made by
# genisoimage as Nova makes it, setpriv to tie a guest's life to ours). The guest's kernel and
# busybox-static are never installed: the image builder unpacks their .debs (apt-get download)
# into its cache. Installing busybox-static would replace Debian's busybox package on the host.
# Installed without recommends: qemu-system-x86 would bring a desktop's display libraries.
guest_needs=(qemu-system-x86_64:qemu-system-x86)
guest_needs+=(/usr/sbin/dropbear:dropbear-bin mke2fs:e2fsprogs genisoimage:genisoimage)
guest_needs+=(setpriv:util-linux)

missing=()
for need in "${needs[@]}"; do
  command -v "${need%%:*}" >/dev/null 2>&1 || missing+=("${need#*:}")
done
guest_missing=()
for need in "${guest_needs[@]}"; do
  [ -e "${need%%:*}" ] || command -v "${need%%:*}" >/dev/null 2>&1 || guest_missing+=("${need#*:}")
done
# The guest kernel's .deb is found through apt's lists: without them, fetch them.
apt_lists=1
apt-cache depends linux-image-cloud-amd64 2>/dev/null | grep -q 'Depends: linux-image' || apt_lists=0
# python3-openstacksdk and python3-heatclient come with the CLI check above; check them by import.
if [ "$mode" = test ] && ! /usr/bin/python3 -c 'import openstack, heatclient' >/dev/null 2>&1; then
  missing+=(python3-openstacksdk python3-heatclient)
fi
# The heat-tempest-plugin (gabbi suites and functional tests) is a Tempest plugin, found by import.
if [ "$mode" = test ] && ! /usr/bin/python3 -c 'import heat_tempest_plugin' >/dev/null 2>&1; then
  missing+=(heat-tempest-plugin)
fi

if [ ${#missing[@]} -gt 0 ] || [ ${#guest_missing[@]} -gt 0 ] || [ $apt_lists = 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >&2
    if [ ${#missing[@]} -gt 0 ]; then
      echo "setup: installing Debian packages: ${missing[*]}" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    fi
    if [ ${#guest_missing[@]} -gt 0 ]; then
      echo "setup: installing Debian packages for qemu guests: ${guest_missing[*]}" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${guest_missing[@]}" >&2
    fi
  else
    all=("${missing[@]}" "${guest_missing[@]}")
    if [ ${#all[@]} -gt 0 ]; then
      echo "setup: missing Debian packages: ${all[*]}" >&2
      echo "setup: install them with: sudo apt-get install --no-install-recommends ${all[*]}" >&2
      [ "$mode" = test ] && [ ${#missing[@]} -gt 0 ] && exit 1
    fi
    [ $apt_lists = 0 ] && echo "setup: the qemu driver needs apt's lists: sudo apt-get update" >&2
  fi
fi

# Reinstall Node packages when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing Node packages" >&2
  npm ci --no-audit --no-fund >&2
fi

# tsc, then TypeBox bundled into one module (src/vendor/typebox.ts says why).
npm run --silent build
