import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SecretBox } from './secret-box';

const secretsKey = crypto.randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('opens what it sealed, and never stores the plaintext', () => {
    const box = SecretBox.fromConfig({ secretsKey, dataDir: os.tmpdir() });
    const sealed = box.seal('client-secret-123');
    expect(sealed).not.toContain('client-secret-123');
    expect(box.seal('client-secret-123')).not.toBe(sealed);
    expect(box.open(sealed)).toBe('client-secret-123');
  });

  it('refuses a tampered value and a different key', () => {
    const sealed = SecretBox.fromConfig({ secretsKey, dataDir: os.tmpdir() }).seal('seed');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    const box = SecretBox.fromConfig({ secretsKey, dataDir: os.tmpdir() });
    expect(() => box.open(parts.join('.'))).toThrow();
    const otherKey = crypto.randomBytes(32).toString('base64');
    expect(() => SecretBox.fromConfig({ secretsKey: otherKey, dataDir: os.tmpdir() }).open(sealed)).toThrow();
  });

  it('without SECRETS_KEY, creates one key file in the data folder and keeps using it', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-box-'));
    const sealed = SecretBox.fromConfig({ secretsKey: undefined, dataDir }).seal('seed');
    expect(fs.statSync(path.join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
    expect(SecretBox.fromConfig({ secretsKey: undefined, dataDir }).open(sealed)).toBe('seed');
  });

  it('refuses a key of the wrong length', () => {
    expect(() => SecretBox.fromConfig({ secretsKey: 'c2hvcnQ=', dataDir: os.tmpdir() })).toThrow(/32 bytes/);
  });
});
