import { versionBelow, type Microversion } from '../../../http/microversion.js';
import type { KeyPair } from '../keypairs.js';

/** The fields every view has; `type` from 2.2. */
function base(kp: KeyPair, mv: Microversion): Record<string, unknown> {
  const view: Record<string, unknown> = {
    name: kp.name,
    public_key: kp.public_key,
    fingerprint: kp.fingerprint,
  };
  if (!versionBelow(mv, [2, 2])) view.type = kp.type;
  return view;
}

/** A created key pair: with its user, and the private key when Nova generated one. */
export function createdKeyPairView(
  kp: KeyPair,
  privateKey: string | undefined,
  mv: Microversion,
): Record<string, unknown> {
  return {
    keypair: {
      ...base(kp, mv),
      user_id: kp.user_id,
      ...(privateKey !== undefined ? { private_key: privateKey } : {}),
    },
  };
}

/** A list: each entry wrapped in {"keypair": ...}. */
export function keyPairListView(kps: KeyPair[], mv: Microversion): Record<string, unknown> {
  return { keypairs: kps.map((kp) => ({ keypair: base(kp, mv) })) };
}

/** One key pair in full, with the soft-delete fields Nova shows and never fills. */
export function keyPairView(kp: KeyPair, mv: Microversion): Record<string, unknown> {
  return {
    keypair: {
      ...base(kp, mv),
      user_id: kp.user_id,
      id: kp.id,
      created_at: kp.created_at.replace(/Z$/, ''),
      updated_at: null,
      deleted_at: null,
      deleted: false,
    },
  };
}
