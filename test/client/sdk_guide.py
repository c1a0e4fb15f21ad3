"""The snapshot guide through Debian's openstacksdk, as backup tools and Ansible drive it.

Run by sdk.test.ts with OS_CLIENT_CONFIG_FILE pointing at the server's clouds.yaml. Each step
checks what a production cloud returns; any mismatch raises, and the script exits non-zero.
The last line printed is a JSON summary the test reads.
"""
import hashlib
import json
import os

import openstack
from openstack import exceptions

DELETE_WITH_SNAPSHOTS = (
    "Invalid volume: Volume status must be available or error or error_restoring or "
    "error_extending or error_managing and must not be migrating, attached, belong to a group, "
    "have snapshots, awaiting a transfer, or be disassociated from snapshots after volume "
    "transfer."
)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    conn = openstack.connect(cloud="pocketstack")
    admin = openstack.connect(cloud="pocketstack-admin")
    summary = {}

    # Images: real bytes, true checksums, private visibility.
    data = os.urandom(1024 * 1024 + 3)
    image = conn.image.create_image(
        name="sdk-image", disk_format="raw", container_format="bare", visibility="private", data=data
    )
    image = conn.image.get_image(image.id)
    check(image.status == "active", f"image status {image.status}")
    check(image.checksum == hashlib.md5(data).hexdigest(), "md5 checksum")
    check(image.hash_algo == "sha512", f"hash algo {image.hash_algo}")
    check(image.hash_value == hashlib.sha512(data).hexdigest(), "sha512 hash")
    check(image.size == len(data), f"size {image.size}")
    downloaded = conn.image.download_image(image)
    # This SDK returns the requests Response although its docstring promises bytes.
    check(getattr(downloaded, "content", downloaded) == data, "downloaded bytes differ")
    private = [i.id for i in conn.image.images(visibility="private")]
    check(image.id in private, "image missing from the private list")
    summary["image"] = image.id

    # Volumes and snapshots: creating -> available, the delete rule, a volume from a snapshot.
    volume = conn.block_storage.create_volume(name="sdk-volume", size=1, image_id=image.id)
    check(volume.status == "creating", f"new volume status {volume.status}")
    volume = conn.block_storage.wait_for_status(volume, "available", failures=["error"], interval=0.2, wait=60)
    check(volume.is_bootable, "a volume from an image is bootable")
    snapshot = conn.block_storage.create_snapshot(volume_id=volume.id, name="sdk-snapshot", description="from the sdk")
    check(snapshot.status == "creating", f"new snapshot status {snapshot.status}")
    snapshot = conn.block_storage.wait_for_status(snapshot, "available", failures=["error"], interval=0.2, wait=60)
    check(snapshot.size == 1, f"snapshot size {snapshot.size}")
    listed = [s.id for s in conn.block_storage.snapshots(details=True, volume_id=volume.id)]
    check(listed == [snapshot.id], f"snapshots of the volume: {listed}")

    try:
        conn.block_storage.delete_volume(volume)
        raise AssertionError("a volume with snapshots was deleted")
    except exceptions.BadRequestException as err:
        check(DELETE_WITH_SNAPSHOTS in str(err), f"delete refused with another text: {err}")
        summary["delete_refused"] = 400

    restored = conn.block_storage.create_volume(name="sdk-restored", size=2, snapshot_id=snapshot.id)
    restored = conn.block_storage.wait_for_status(restored, "available", failures=["error"], interval=0.2, wait=60)
    check(restored.snapshot_id == snapshot.id and restored.size == 2, "volume from snapshot")

    # Limits and quotas as the SDK reads them (Cinder and Nova).
    limits = conn.block_storage.get_limits().absolute
    check(limits.total_snapshots_used == 1 and limits.max_total_volumes == 10, "volume limits")
    check(conn.compute.get_limits().absolute.instances == 10, "compute limits")
    admin.set_volume_quotas(conn.current_project_id, snapshots=5)
    check(conn.get_volume_quotas(conn.current_project_id)["snapshots"] == 5, "volume quota set")
    admin.delete_volume_quotas(conn.current_project_id)

    # Clean up in the order the guide allows: snapshot, then volumes, then the image.
    conn.block_storage.delete_snapshot(snapshot)
    conn.block_storage.wait_for_delete(snapshot, interval=0.2, wait=60)
    for v in (volume, restored):
        conn.block_storage.delete_volume(v)
        conn.block_storage.wait_for_delete(v, interval=0.2, wait=60)
    conn.image.delete_image(image)
    check(conn.image.find_image(image.id) is None, "image still there")
    summary["ok"] = True
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
