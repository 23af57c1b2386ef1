import { describe, expect, it } from 'vitest';
import { Redactor, redactUrlPassword, urlPasswords } from './redact.js';

describe('Redactor', () => {
  it('masks secrets given at construction and added later, ignoring short ones', () => {
    const redactor = new Redactor(['client-secret-1', null, undefined, 'abc']);
    redactor.add('access-token-2');
    redactor.add(null);
    redactor.add('');
    expect(redactor.redact('client-secret-1 / access-token-2 / abc')).toBe(
      '[redacted] / [redacted] / abc',
    );
  });

  it('masks a secret that contains another one whole', () => {
    const redactor = new Redactor(['secret', 'secret-and-more']);
    expect(redactor.redact('x secret-and-more y')).toBe('x [redacted] y');
  });

  it('masks every form a secret travels in: percent-encoded, base64, JSON-escaped', () => {
    const secret = 'p@ss/wo"rd+xyz';
    const redactor = new Redactor([secret]);
    const forms = [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      JSON.stringify(secret).slice(1, -1),
    ];
    for (const form of forms) {
      expect(redactor.redact(`before ${form} after`), form).toBe('before [redacted] after');
    }
  });

  it('masks the Basic credential of a client id and secret, wherever it is echoed', () => {
    const redactor = new Redactor();
    redactor.addBasicCredential('my-client-id', 'my-client-secret');
    const basic = Buffer.from('my-client-id:my-client-secret').toString('base64');
    expect(redactor.redact(`{"echo":"Authorization: Basic ${basic}"}`)).not.toContain(basic);
    expect(redactor.redact(`header=${basic.replaceAll('/', '\\/')}`)).not.toContain(basic);
    expect(redactor.redact('my-client-secret')).toBe('[redacted]');
  });

  it('masks credentials that announce themselves even when they are not known', () => {
    const redactor = new Redactor();
    const text = redactor.redact(
      'Authorization: Bearer BQDx9-unknown_token.value12345 and {"access_token": "abc\\"def", "refresh_token":"r1"} and a=1&refresh_token=zz9&b=2 and redis://:hunter22@h:6379',
    );
    expect(text).not.toMatch(/BQDx9|abc|r1"|zz9|hunter22/);
    expect(text).toContain('Bearer [redacted]');
  });

  it('leaves ordinary words alone', () => {
    const redactor = new Redactor(['s3cret-value']);
    const text = 'Basic Instinct by The Bearer Band; code 401; explicit';
    expect(redactor.redact(text)).toBe(text);
  });
});

describe('urlPasswords', () => {
  it('reads the password of a URL as written and percent-decoded', () => {
    expect(urlPasswords('redis://:p%40ss%2Fword@127.0.0.1:6379')).toEqual([
      'p%40ss%2Fword',
      'p@ss/word',
    ]);
    expect(urlPasswords('rediss://default:hunter22@localhost:6380')).toEqual(['hunter22']);
  });

  it('finds nothing without a password or a URL', () => {
    for (const url of [undefined, '', 'redis://h:6379', './store.db', 'not a url']) {
      expect(urlPasswords(url)).toEqual([]);
    }
  });
});

describe('redactUrlPassword', () => {
  it('masks the password of a connection string', () => {
    expect(redactUrlPassword('redis://ck:pw@h:6379')).toBe('redis://ck:[redacted]@h:6379');
  });
});
