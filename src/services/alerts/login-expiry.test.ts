import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { Alert } from '../../domain/alert.js';
import type { AlertSink } from '../../domain/ports/alert-sink.js';
import { alertOnLoginExpiry, type LoginFacts } from './login-expiry.js';

describe('the login expiry alert', () => {
  const stores: SqliteStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  const setup = () => {
    const store = SqliteStore.open(':memory:');
    stores.push(store);
    const sent: Alert[] = [];
    const sink: AlertSink = { send: (alert) => sent.push(alert), flush: async () => {} };
    let facts: LoginFacts = {
      warning: null,
      login: { refreshExpiresAt: '2027-05-20T10:00:00.000Z' },
    };
    const check = () => alertOnLoginExpiry({ coordination: store, sink, login: async () => facts });
    return { sent, check, set: (next: LoginFacts) => (facts = next) };
  };

  it('says nothing before the warning, once within it, and again only for a new login', async () => {
    const { sent, check, set } = setup();
    await check();
    expect(sent).toEqual([]);
    const warning =
      'The Spotify login ends in 9 days (2027-05-20); log in again with: chartkeeper auth login';
    set({ warning, login: { refreshExpiresAt: '2027-05-20T10:00:00.000Z' } });
    await check();
    await check();
    expect(sent.map((a) => [a.kind, a.text])).toEqual([
      ['login-expiring', `chartkeeper: ${warning}`],
    ]);
    set({ warning, login: { refreshExpiresAt: '2027-11-20T10:00:00.000Z' } });
    await check();
    expect(sent).toHaveLength(2);
    expect(sent[1]?.details).toEqual({ expiresAt: '2027-11-20T10:00:00.000Z' });
  });
});
