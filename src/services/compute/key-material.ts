import { execFile } from 'node:child_process';
import { createHash, createPublicKey, X509Certificate, type JsonWebKey } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { rsaKeys } from '../../crypto/rsa-keys.js';
import { BadRequest } from '../../errors.js';

/** Nova's answer to a public key it cannot read. */
const INVALID = 'Keypair data is invalid: failed to generate fingerprint';

const b64url = (b: Buffer): string => b.toString('base64url');
const colonHex = (digest: Buffer): string => digest.toString('hex').match(/../g)!.join(':');

/** The length-prefixed strings of an OpenSSH public key blob (RFC 4253 wire format). */
function sshStrings(blob: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < blob.length;) {
    if (at + 4 > blob.length) throw new BadRequest(INVALID);
    const n = blob.readUInt32BE(at);
    if (at + 4 + n > blob.length) throw new BadRequest(INVALID);
    parts.push(blob.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return parts;
}

/** An mpint without its sign byte, as JWK wants it. */
const unsigned = (b: Buffer): Buffer => (b[0] === 0 ? b.subarray(1) : b);

const CURVES: Record<string, { crv: string; size: number }> = {
  nistp256: { crv: 'P-256', size: 32 },
  nistp384: { crv: 'P-384', size: 48 },
  nistp521: { crv: 'P-521', size: 66 },
};

/** The key inside an OpenSSH blob as a JWK, so that node's crypto checks it is a real key. */
function sshJwk(type: string, parts: Buffer[]): JsonWebKey {
  if (type === 'ssh-rsa' && parts.length === 3)
    return { kty: 'RSA', e: b64url(unsigned(parts[1]!)), n: b64url(unsigned(parts[2]!)) };
  if (type === 'ssh-ed25519' && parts.length === 2 && parts[1]!.length === 32)
    return { kty: 'OKP', crv: 'Ed25519', x: b64url(parts[1]!) };
  const curve = CURVES[parts[1]?.toString() ?? ''];
  if (type.startsWith('ecdsa-sha2-') && curve && parts.length === 3) {
    const q = parts[2]!;
    if (q[0] !== 4 || q.length !== 1 + 2 * curve.size) throw new BadRequest(INVALID);
    return {
      kty: 'EC',
      crv: curve.crv,
      x: b64url(q.subarray(1, 1 + curve.size)),
      y: b64url(q.subarray(1 + curve.size)),
    };
  }
  throw new BadRequest(INVALID);
}

/**
 * The fingerprint Nova shows for a public key: md5 of an OpenSSH key's blob, sha1 of an x509
 * certificate's DER, colon-separated hex. A key that is not a valid key is Nova's 400.
 */
export function fingerprint(type: 'ssh' | 'x509', publicKey: string): string {
  if (type === 'x509') {
    try {
      return colonHex(createHash('sha1').update(new X509Certificate(publicKey).raw).digest());
    } catch {
      throw new BadRequest(INVALID);
    }
  }
  const [keyType, data] = publicKey.trim().split(/\s+/);
  if (!keyType || !data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw new BadRequest(INVALID);
  const blob = Buffer.from(data, 'base64');
  const parts = sshStrings(blob);
  if (parts[0]?.toString() !== keyType) throw new BadRequest(INVALID);
  try {
    createPublicKey({ key: sshJwk(keyType, parts), format: 'jwk' });
  } catch (err) {
    if (err instanceof BadRequest) throw err;
    throw new BadRequest(INVALID);
  }
  return colonHex(createHash('md5').update(blob).digest());
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** A positive mpint: a leading zero byte when the top bit is set. */
const mpint = (b: Buffer): Buffer =>
  sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);

/** A new RSA key pair as Nova generates one: a PKCS#1 PEM private key and its OpenSSH public key. */
export async function generateSshKey(): Promise<{ privateKey: string; publicKey: string }> {
  const key = await rsaKeys.take();
  const blob = Buffer.concat([
    sshString(Buffer.from('ssh-rsa')),
    mpint(Buffer.from(key.e, 'base64url')),
    mpint(Buffer.from(key.n, 'base64url')),
  ]);
  return {
    privateKey: key.privatePem,
    publicKey: `ssh-rsa ${blob.toString('base64')} Generated-by-Nova`,
  };
}

/**
 * A new self-signed x509 certificate and its private key, made by the openssl command as Nova
 * makes them (nova/crypto.py), with the user and project in the subject.
 */
export async function generateX509(
  userId: string,
  projectId: string,
): Promise<{ privateKey: string; publicKey: string }> {
  const privateKey = (await rsaKeys.take()).privatePem;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pocketstack-x509-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    await fs.writeFile(keyFile, privateKey, { mode: 0o600 });
    const subject = `/C=US/ST=California/L=MountainView/O=NovaDev/OU=${projectId}/CN=${userId}-${new Date().toISOString().replace(/[-:.]/g, '')}`;
    await promisify(execFile)('openssl', [
      'req',
      '-new',
      '-x509',
      '-key',
      keyFile,
      '-out',
      certFile,
      '-batch',
      '-days',
      '365',
      '-subj',
      subject,
    ]);
    return { privateKey, publicKey: await fs.readFile(certFile, 'utf8') };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
