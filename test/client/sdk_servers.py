"""Servers and instance snapshots through Debian's openstacksdk, as Ansible's os_server drives it.

Run by sdk.test.ts with OS_CLIENT_CONFIG_FILE pointing at the server's clouds.yaml:
create_server(wait=True), create_image_snapshot(wait=True), wait_for_server, delete_server.
Any mismatch raises and the script exits non-zero; the last line printed is a JSON summary.
"""
import json
import os
import tempfile

import openstack


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    conn = openstack.connect(cloud="pocketstack")
    summary = {}

    with tempfile.NamedTemporaryFile(suffix=".raw") as f:
        f.write(b"\x11" * (4 * 1024 * 1024))
        f.flush()
        base = conn.create_image(
            "sdk-base", filename=f.name, disk_format="raw", container_format="bare", wait=True
        )

    server = conn.create_server(
        "sdk-vm", image=base.id, flavor="m1.small", network="private", wait=True, timeout=120
    )
    check(server.status == "ACTIVE", f"create_server: {server.status}")
    check(server.vm_state == "active", f"vm_state {server.vm_state}")
    check(server.power_state == 1, f"power_state {server.power_state}")
    addresses = server.addresses.get("private", [])
    fixed = [a["addr"] for a in addresses if a["OS-EXT-IPS:type"] == "fixed"]
    floating = [a["addr"] for a in addresses if a["OS-EXT-IPS:type"] == "floating"]
    check(len(fixed) == 1, f"addresses {server.addresses}")
    # The cloud layer's normalized fields come from the same response; create_server's auto_ip
    # gave it a floating IP from ext-net, as it does on a DevStack cloud with router1.
    check(server.private_v4 == fixed[0], f"private_v4 {server.private_v4}")
    check(floating == [server.public_v4], f"public_v4 {server.public_v4} {floating}")
    check(server.image.id == base.id, f"image {server.image}")
    summary["address"] = server.private_v4

    snap = conn.create_image_snapshot("sdk-snap", server, wait=True, timeout=120)
    check(snap.status == "active", f"snapshot {snap.status}")
    check(snap.visibility == "private", f"visibility {snap.visibility}")
    props = snap.properties or {}
    check(props.get("image_type") == "snapshot", f"image_type {props}")
    # The SDK reads instance_uuid into its own attribute, out of properties.
    check(snap.instance_uuid == server.id, f"instance_uuid {snap.instance_uuid}")
    check(props.get("base_image_ref") == base.id, f"base_image_ref {props}")
    check(snap.disk_format == "qcow2", f"disk_format {snap.disk_format}")
    check(snap.checksum and snap.size > 0, f"checksum {snap.checksum} size {snap.size}")

    # wait_for_server on a server that is already ACTIVE returns it; after a stop and a start it
    # waits through the task again.
    again = conn.wait_for_server(conn.get_server(server.id), timeout=60)
    check(again.status == "ACTIVE", f"wait_for_server: {again.status}")
    conn.compute.stop_server(server.id)
    stopped = conn.compute.wait_for_server(conn.compute.get_server(server.id), status="SHUTOFF", wait=60)
    check(stopped.power_state == 4, f"power_state after stop {stopped.power_state}")
    conn.compute.start_server(server.id)
    started = conn.wait_for_server(conn.get_server(server.id), timeout=60)
    check(started.status == "ACTIVE", f"after start {started.status}")

    # A server from the snapshot, by name, as the guide launches one.
    copy = conn.create_server(
        "sdk-copy", image="sdk-snap", flavor="m1.small", network="private", wait=True, timeout=120
    )
    check(copy.status == "ACTIVE", f"copy {copy.status}")
    check(copy.image.id == snap.id, f"copy image {copy.image}")

    check(conn.delete_server("sdk-vm", wait=True, timeout=60), "delete_server sdk-vm")
    check(conn.delete_server(copy.id, wait=True, timeout=60), "delete_server sdk-copy")
    # The servers' ports went with them; Neutron leaves their floating IPs, unassociated.
    fips = list(conn.network.ips())
    check(len(fips) == 2 and all(f.port_id is None for f in fips), f"floating IPs {fips}")
    for f in fips:
        conn.network.delete_ip(f)
    check(conn.get_server("sdk-vm") is None, "sdk-vm is gone")
    check(not conn.delete_server("sdk-vm"), "deleting a missing server is False")
    ports = list(conn.network.ports(device_id=server.id))
    check(ports == [], f"ports left {ports}")
    conn.delete_image(snap.id, wait=True)
    conn.delete_image(base.id, wait=True)
    summary["ok"] = True
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
