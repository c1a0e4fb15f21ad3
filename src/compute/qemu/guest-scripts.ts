/**
 * The guest's own programs, as text: busybox sh and awk scripts written into the initramfs and
 * the root disk. In these template literals `\${` is a literal `${` for the shell and `\\` one
 * backslash. Any change here changes the guest image's cache key (guest-image.ts hashes them).
 */

/** The ready line's prefix on the serial console; the driver and tests wait for it. */
export const READY_PREFIX = 'pocketstack-guest: ready';

/** The ssh user, as in CirrOS (Tempest's default `image_ssh_user`). */
export const GUEST_USER = 'cirros';

/**
 * Initramfs /init: loads the modules listed in /modules/order (dependencies first), waits for
 * the root disk (`root=` on the kernel command line, /dev/vda by default), mounts it read-write
 * and hands over to its /sbin/init.
 */
export const INITRAMFS_INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules/order); do
  insmod /modules/$m.ko 2>/dev/null || echo "pocketstack-initramfs: insmod $m failed"
done
root=/dev/vda
for arg in $(cat /proc/cmdline); do
  case "$arg" in root=*) root=\${arg#root=} ;; esac
done
i=0
while [ ! -b "$root" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
mkdir -p /newroot
if ! mount -t ext4 -o rw "$root" /newroot; then
  echo "pocketstack-initramfs: cannot mount $root; a shell on the console"
  exec sh
fi
mount --move /dev /newroot/dev
umount /proc /sys
exec switch_root /newroot /sbin/init
`;

export const INITTAB = `::sysinit:/etc/init.d/rcS
ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100
::ctrlaltdel:/sbin/reboot
::shutdown:/etc/init.d/rcK
`;

/**
 * Flattens JSON into "path<TAB>value" lines, one per scalar (meta_data.json's "hostname" is
 * "hostname", a key pair's key is "public_keys/<name>"). Enough for the config drive; escaped
 * control characters become spaces and \\uXXXX a "?".
 */
export const JSON_FLAT = `#!/usr/bin/awk -f
function emit(v,   p, d) {
  p = ""
  for (d = 1; d <= depth; d++) p = p (d > 1 ? "/" : "") (type[d] == "o" ? key[d] : idx[d])
  sub(/ +$/, "", v)
  print p "\\t" v
}
BEGIN { RS = "\\001" }
{
  s = $0; n = length(s); i = 1; depth = 0
  while (i <= n) {
    c = substr(s, i, 1)
    if (c == "{" || c == "[") {
      depth++; type[depth] = (c == "{") ? "o" : "a"; idx[depth] = 0; wantkey[depth] = (c == "{"); i++
    } else if (c == "}" || c == "]") { depth--; i++ }
    else if (c == ",") { if (type[depth] == "o") wantkey[depth] = 1; else idx[depth]++; i++ }
    else if (c == ":") { wantkey[depth] = 0; i++ }
    else if (c == "\\"") {
      v = ""; i++
      while (i <= n) {
        c = substr(s, i, 1)
        if (c == "\\"") break
        if (c == "\\\\") {
          i++; c = substr(s, i, 1)
          if (c == "n" || c == "r" || c == "t") c = " "
          else if (c == "u") { c = "?"; i += 4 }
        }
        v = v c; i++
      }
      i++
      if (type[depth] == "o" && wantkey[depth]) key[depth] = v; else emit(v)
    } else if (c ~ /[-0-9a-z]/) {
      v = ""
      while (i <= n && substr(s, i, 1) ~ /[-+0-9a-zA-Z.]/) { v = v substr(s, i, 1); i++ }
      emit(v)
    } else i++
  }
}
`;

/** busybox udhcpc's hook: configures eth0 from the lease QEMU's user network hands out. */
export const UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
  deconfig) ifconfig "$interface" 0.0.0.0 up ;;
  bound|renew)
    ifconfig "$interface" "$ip" netmask "\${subnet:-255.255.255.0}" up
    for r in $router; do
      route del default 2>/dev/null
      route add default gw "$r" dev "$interface"
      break
    done
    : > /etc/resolv.conf
    for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf; done
    echo "$ip" > /run/ip
    ;;
esac
`;

/**
 * What the cirros user runs as sudo: su to root with the command quoted again for root's shell.
 * Root's password is empty and only the serial console offers a password login (dropbear runs
 * with -s -w: keys only, no root), as the design note explains.
 */
export const SUDO = `#!/bin/sh
while case "$1" in -n|-E|-H|-S) true ;; *) false ;; esac; do shift; done
case "$1" in -i|-s|'') exec /bin/su - root ;; esac
cmd=''
for a in "$@"; do
  q=$(printf '%s' "$a" | sed "s/'/'\\\\\\\\''/g")
  cmd="$cmd '$q'"
done
exec /bin/su root -c "$cmd"
`;

/** The ACPI power button (QMP system_powerdown), as busybox acpid names it: a clean poweroff. */
export const POWER_BUTTON = `#!/bin/sh
echo "pocketstack-guest: power button: powering off"
poweroff
`;

export const RCK = `#!/bin/sh
[ -f /run/dropbear.pid ] && kill $(cat /run/dropbear.pid) 2>/dev/null
sync
umount -a -r 2>/dev/null
sync
`;
