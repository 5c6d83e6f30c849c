import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Seals and opens secrets stored in the database (webhook signing secrets, provider credentials). */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** HMAC-SHA256 of `data` (base64url) under a key derived from the server's key for signing alone: tracking links. */
  sign(data: string): string;
}

/**
 * AES-256-GCM with the server's key: `v1.<iv>.<tag>.<ciphertext>` (base64url). A sealed value that
 * was tampered with, or sealed under another key, fails to open with an error that says so.
 */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes (AES-256).');
  // A separate key for signatures (HKDF with a fixed label): a signature never uses, or tells anything about, the sealing key.
  const signingKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'waymark/signing/v1', 32));
  return {
    sign(data) {
      return createHmac('sha256', signingKey).update(data, 'utf8').digest('base64url');
    },
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('a stored secret could not be opened: WAYMARK_SECRET_KEY is not the key it was sealed with');
      }
    },
  };
}

/**
 * The server's secret key: `WAYMARK_SECRET_KEY` (32 bytes as base64 or hex) when set, otherwise
 * the one kept in `<dataDir>/secret.key`, made on first start (readable by this user only).
 * `created` says whether it was just made, so the start can say so.
 */
export function loadSecretKey(configured: string | undefined, dataDir: string): { key: Buffer; created: boolean; path?: string } {
  if (configured) {
    const key = /^[0-9a-f]{64}$/i.test(configured) ? Buffer.from(configured, 'hex') : Buffer.from(configured, 'base64');
    if (key.length !== 32) throw new Error('WAYMARK_SECRET_KEY must be 32 bytes, written as 64 hex digits or base64 (openssl rand -base64 32).');
    return { key, created: false };
  }
  const path = join(dataDir, 'secret.key');
  if (existsSync(path)) return { key: Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'), created: false, path };
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { key, created: true, path };
}
