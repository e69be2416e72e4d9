import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../kernel/config';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const VERSION = 'v1';

/**
 * Encrypts secrets that must be readable again (TOTP seeds, identity-provider client secrets)
 * with AES-256-GCM, so a database dump alone does not reveal them. The key comes from
 * SECRETS_KEY (32 bytes, base64); without it, a key is generated once into the data folder,
 * which suits one machine. Several instances must share SECRETS_KEY.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromConfig(config: Pick<Config, 'secretsKey' | 'dataDir'>): SecretBox {
    if (config.secretsKey) return new SecretBox(parseKey(config.secretsKey, 'SECRETS_KEY'));
    const keyFile = path.join(config.dataDir, 'secrets.key');
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      fs.writeFileSync(keyFile, crypto.randomBytes(KEY_BYTES).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return new SecretBox(parseKey(fs.readFileSync(keyFile, 'utf8').trim(), keyFile));
  }

  /** A separate key for another purpose (HKDF), so the secrets key itself is used for one thing only. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.key, Buffer.alloc(0), `gatehouse:${purpose}`, KEY_BYTES));
  }

  seal(plaintext: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Not a sealed secret');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

const boxes = new WeakMap<object, SecretBox>();

/** The SecretBox of a configuration, read (or generated) once per process. */
export function secretBoxFor(config: Pick<Config, 'secretsKey' | 'dataDir'>): SecretBox {
  let box = boxes.get(config);
  if (!box) boxes.set(config, (box = SecretBox.fromConfig(config)));
  return box;
}

function parseKey(encoded: string, source: string): Buffer {
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${source} must be ${KEY_BYTES} bytes, base64-encoded`);
  return key;
}
