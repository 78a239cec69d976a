import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyProvider } from '../../../src/main/services/telephony/KeyProvider';
import { SecretStore } from '../../../src/main/services/telephony/SecretStore';
import { createTestKeyProvider } from '../../harness/test-key-provider';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.json');

describe('SecretStore', () => {
  it('keeps a secret encrypted on disk and returns it in clear', async () => {
    const path = tempFile();
    const keys = createTestKeyProvider();
    const store = new SecretStore(path, keys);
    await store.start();
    await store.set('sip.password', 'hunter2-very-secret');
    expect(readFileSync(path, 'utf8')).not.toContain('hunter2');
    const reopened = new SecretStore(path, keys);
    await reopened.start();
    expect(reopened.get('sip.password')).toBe('hunter2-very-secret');
    await reopened.set('sip.password', null);
    expect(reopened.has('sip.password')).toBe(false);
  });

  it('cannot read a secret with another key (new OS profile): it is asked for again', async () => {
    const path = tempFile();
    const store = new SecretStore(path, createTestKeyProvider());
    await store.start();
    await store.set('sip.password', 'pw');
    const other = new SecretStore(path, createTestKeyProvider());
    await other.start();
    expect(other.has('sip.password')).toBe(true);
    expect(other.get('sip.password')).toBeNull();
  });

  it('refuses to keep a secret when the OS has no protected key store', async () => {
    const noKeyring: KeyProvider = {
      isAvailable: () => false,
      encrypt: () => Buffer.from(''),
      decrypt: () => '',
    };
    const store = new SecretStore(tempFile(), noKeyring);
    await store.start();
    await expect(store.set('sip.password', 'pw')).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
