import { generateKeyPair } from 'node:crypto';

/**
 * New RSA key pairs, made ahead. A 2048-bit key takes 30-300 ms of CPU (finding primes is luck);
 * made when a request asked, the request waited all that time, a hundred times a simple
 * request's wait. A few keys are kept ready instead: a request takes one at once, and the next
 * is made on libuv's pool meanwhile (the launcher gives the pool enough threads that keys being
 * made leave file I/O room). Two are made at once: one alone gets one thread's share of a busy
 * machine's CPU and falls behind; eight at once took both cores from every request for a second.
 * Each key is handed out once and forgotten. Nothing is made before the first request for a key,
 * so start-up pays nothing.
 */

export interface RsaKey {
  /** The private key, PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), as Nova returns it. */
  privatePem: string;
  /** The public modulus and exponent, base64url (JWK). */
  n: string;
  e: string;
}

interface Waiter {
  resolve(key: RsaKey): void;
  reject(err: Error): void;
}

/** Keys kept ready: enough for a burst of creates while more are made. */
const STOCK = 8;
/** Keys made at once, at most. */
const MAKERS = 2;

function makeKey(): Promise<RsaKey> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) => {
      if (err) return reject(err);
      const jwk = publicKey.export({ format: 'jwk' });
      resolve({
        privatePem: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
        n: jwk.n!,
        e: jwk.e!,
      });
    }),
  );
}

class RsaKeyStock {
  private readonly ready: RsaKey[] = [];
  private readonly waiting: Waiter[] = [];
  /** Keys being made. */
  private making = 0;

  take(): Promise<RsaKey> {
    const key = this.ready.shift();
    const out = key
      ? Promise.resolve(key)
      : new Promise<RsaKey>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.fill();
    return out;
  }

  private fill(): void {
    const short = STOCK + this.waiting.length - this.ready.length - this.making;
    for (let want = Math.min(short, MAKERS - this.making); want > 0; want--) {
      this.making++;
      makeKey().then(
        (made) => {
          this.making--;
          const waiter = this.waiting.shift();
          if (waiter) waiter.resolve(made);
          else this.ready.push(made);
          this.fill();
        },
        (err: Error) => {
          this.making--;
          // A failure is OpenSSL's: it fails one request, and those still waiting get new tries
          // (each failure takes one of them, so a lasting failure cannot loop).
          this.waiting.shift()?.reject(err);
          if (this.waiting.length > 0) this.fill();
        },
      );
    }
  }
}

export const rsaKeys = new RsaKeyStock();
