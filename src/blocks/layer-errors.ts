/**
 * What the layer store refuses, as typed errors. They are below any one service: Cinder and Nova
 * map them to their own faults (LayerNotFound is usually a 500 there, since a row pointed at it).
 */

/** No layer with that id (or no external file at that path). */
export class LayerNotFound extends Error {
  constructor(readonly ref: string) {
    super(`layer not found: ${ref}`);
  }
}

/** A write or resize of a sealed layer: sealed layers are never written again. */
export class LayerSealed extends Error {
  constructor(readonly layerId: string) {
    super(`layer ${layerId} is sealed`);
  }
}

/** A head may only be backed by a sealed layer: writes to its backing would change it underneath. */
export class BackingNotSealed extends Error {
  constructor(readonly layerId: string) {
    super(`layer ${layerId} is not sealed and cannot be a backing layer`);
  }
}

/** A size that is not a positive multiple of 512, or smaller than the backing it sits on. */
export class InvalidSize extends Error {}

/** A resize that would shrink the disk. */
export class InvalidResize extends Error {}

/** A read or write past the end of the virtual disk. */
export class OutOfRange extends Error {}

/**
 * An external file that could make qemu open something other than itself: a qcow2 file with a
 * backing file or an external data file of its own (the classic host-file-read through an
 * uploaded image), or a file inside the layer directory posing as an external one.
 */
export class UnsafeBacking extends Error {}
