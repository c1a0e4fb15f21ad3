import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt cost: N=2^14, r=8 (the parameters RFC 7914 suggests for interactive logins).
const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Encodes as scrypt$N$r$p$salt$hash so the cost can be raised later without breaking old rows. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/**
 * Passwords already proven against a stored hash, so that a client logging in again and again
 * with the same password (the CLI issues a token per command; a CI job, hundreds) costs an HMAC
 * instead of tens of milliseconds of scrypt holding a thread-pool thread that file I/O also
 * needs. Keyed by the stored hash itself, whose salt is new whenever a password is set, so a
 * changed password can never match an old entry. What is kept is an HMAC under a key that lives
 * only in this process, never the password. A wrong password always pays the full scrypt: the
 * cache makes guessing no cheaper.
 */
const PROVEN_MAX = 4096;
const provenKey = randomBytes(32);
const proven = new Map<string, Buffer>();

const mac = (password: string): Buffer =>
  createHmac('sha256', provenKey).update(password, 'utf8').digest();

function remember(encoded: string, password: string): void {
  proven.delete(encoded);
  // A Map iterates in insertion order: the first key is the one proven longest ago.
  if (proven.size >= PROVEN_MAX) proven.delete(proven.keys().next().value!);
  proven.set(encoded, mac(password));
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const known = proven.get(encoded);
  if (known && timingSafeEqual(known, mac(password))) return true;
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  const ok = key.length === expected.length && timingSafeEqual(key, expected);
  if (ok) remember(encoded, password);
  return ok;
}
