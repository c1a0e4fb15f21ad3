import { GUEST_USER, READY_PREFIX } from './guest-scripts.js';

/**
 * The guest's boot script (/etc/init.d/rcS, run once by busybox init): what cloud-init does for a
 * CirrOS guest, in busybox sh. Reads the config drive (label config-2, OpenStack's layout) for
 * the hostname, the key pair and user data; brings eth0 up by DHCP from QEMU's user network;
 * starts dropbear (keys only, no root login); runs user data that starts with `#!` once per
 * instance, in the background; then prints the ready line on the serial console.
 */
export const RCS = `#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
grep -q ' /dev ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -o remount,rw /
ifconfig lo 127.0.0.1 up
acpid -c /etc/acpi

meta() { awk -F '\\t' -v k="$1" '$1 == k { print $2; exit }' /run/meta 2>/dev/null; }
uuid=none
host=pocketstack
mkdir -p /mnt/config
dev=$(findfs LABEL=config-2 2>/dev/null)
[ -z "$dev" ] && [ -b /dev/sr0 ] && dev=/dev/sr0
if [ -n "$dev" ] && mount -o ro "$dev" /mnt/config 2>/dev/null; then
  json-flat /mnt/config/openstack/latest/meta_data.json > /run/meta
  uuid=$(meta uuid)
  h=$(meta hostname)
  [ -n "$h" ] && host=\${h%%.*}
  home=/home/${GUEST_USER}
  mkdir -p $home/.ssh
  grep '^public_keys/' /run/meta | cut -f 2- > $home/.ssh/authorized_keys
  chown -R ${GUEST_USER}:${GUEST_USER} $home
  chmod 700 $home/.ssh
  chmod 600 $home/.ssh/authorized_keys
else
  echo "pocketstack-guest: no config drive"
fi
hostname "$host"
echo "$host" > /etc/hostname

udhcpc -i eth0 -s /etc/udhcpc.script -t 20 -T 1 -A 2 -b >/dev/null 2>&1
ip=$(cat /run/ip 2>/dev/null)

mkdir -p /etc/dropbear
dropbear -R -s -w -p 22 -P /run/dropbear.pid

ud=/mnt/config/openstack/latest/user_data
done=/var/lib/cloud/user-data-ran.$uuid
if [ -f $ud ] && [ "$(head -c 2 $ud)" = '#!' ] && [ ! -e $done ]; then
  mkdir -p /var/lib/cloud
  cp $ud /var/lib/cloud/user-data
  chmod 700 /var/lib/cloud/user-data
  touch $done
  sync
  (/var/lib/cloud/user-data > /var/log/user-data.log 2>&1; echo "pocketstack-guest: user data exited $?") &
fi

echo "${READY_PREFIX} hostname=$host ip=\${ip:-none} ssh=22 user=${GUEST_USER}"
`;
