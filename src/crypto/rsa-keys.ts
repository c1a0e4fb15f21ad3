import { Worker } from 'node:worker_threads';

/**
 * New RSA key pairs, made ahead on a thread of their own. A 2048-bit key takes 30-300 ms of CPU
 * (finding primes is luck); made on demand on libuv's pool it held one of the four threads every
 * file operation of every request also waits for, and each key-pair create waited the whole
 * time. A few keys are kept ready instead: a request takes one at once, and the thread makes the
 * next. Each key is handed out once and forgotten. The thread starts at the first request for a
 * key (start-up pays nothing) and idles, unreferenced, while the stock is full.
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

/** Keys kept ready: enough for a burst of creates while the thread makes more. */
const STOCK = 8;

class RsaKeyStock {
  private readonly ready: RsaKey[] = [];
  private readonly waiting: Waiter[] = [];
  private worker?: Worker;
  /** Keys asked of the thread and not yet back. */
  private asked = 0;

  take(): Promise<RsaKey> {
    const key = this.ready.shift();
    const out = key
      ? Promise.resolve(key)
      : new Promise<RsaKey>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.fill();
    return out;
  }

  private fill(): void {
    const want = STOCK + this.waiting.length - this.ready.length - this.asked;
    if (want <= 0) return;
    const worker = this.thread();
    for (let i = 0; i < want; i++) worker.postMessage(null);
    this.asked += want;
    // Working, the thread keeps the process alive as pending I/O does; full, it must not.
    worker.ref();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // Relative to dist/src/<dir>/, so that the launcher's bundle (dist/src/bundle/) finds it too.
    const worker = new Worker(new URL('../crypto/rsa-keys.worker.js', import.meta.url));
    worker.on('message', (key: RsaKey) => this.arrived(key));
    worker.on('error', (err) => this.stopped(worker, err));
    worker.on('exit', (code) => this.stopped(worker, new Error(`RSA key thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private arrived(key: RsaKey): void {
    this.asked--;
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(key);
    else this.ready.push(key);
    if (this.asked === 0) this.worker?.unref();
  }

  /** A thread that died fails the requests waiting on it; the next request starts a new one. */
  private stopped(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.asked = 0;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

export const rsaKeys = new RsaKeyStock();
