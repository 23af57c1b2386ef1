import { describe, expect, it } from 'vitest';
import { configSecrets, passwordsOf, Redactor, redactUrlPassword } from './redact.js';

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
});

describe('passwordsOf', () => {
  it('reads the password as written and percent-decoded', () => {
    expect(passwordsOf('mongodb://ck:p%40ss%2Fword@127.0.0.1:27017/db')).toEqual([
      'p%40ss%2Fword',
      'p@ss/word',
    ]);
    expect(passwordsOf('redis://:hunter22@localhost:6379')).toEqual(['hunter22']);
  });

  it('reads MongoDB URIs with several hosts, and SRV URIs', () => {
    expect(passwordsOf('mongodb://ck:s3cret-pw@h1:27017,h2:27017/db?replicaSet=rs')).toEqual([
      's3cret-pw',
    ]);
    expect(passwordsOf('mongodb+srv://ck:atlas-pw@cluster0.example.net/db')).toEqual(['atlas-pw']);
  });

  it('finds nothing without a password', () => {
    for (const url of [undefined, '', 'mongodb://ck@h/db', 'redis://h:6379', './store.db']) {
      expect(passwordsOf(url)).toEqual([]);
    }
  });
});

describe('configSecrets', () => {
  it('collects the client secret and the passwords of a MongoDB store and of the queue', () => {
    expect(
      configSecrets({
        spotify: { clientSecret: 'client-secret-1' },
        store: 'mongodb+srv://ck:store-pw-123@cluster0.example.net/db',
        queue: { url: 'rediss://default:queue-pw-456@redis.example.net:6380' },
      }),
    ).toEqual(['client-secret-1', 'store-pw-123', 'queue-pw-456']);
  });

  it('reads a SQLite store path as a path, never as a URL', () => {
    expect(
      configSecrets({ spotify: {}, store: 'file://user:not-a-password@x/store.db', queue: {} }),
    ).toEqual([]);
  });
});

describe('redactUrlPassword', () => {
  it('masks the password of a connection string', () => {
    expect(redactUrlPassword('mongodb://ck:pw@h/db')).toBe('mongodb://ck:[redacted]@h/db');
  });
});
