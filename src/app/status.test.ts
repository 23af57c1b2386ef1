import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { Redactor } from '../lib/redact.js';
import { MASKED, maskedSettings } from './status.js';

describe('the status page settings', () => {
  it('masks every secret: the client secret, the UI token and passwords in store and queue URLs', () => {
    const { config } = loadConfig(
      {
        SPOTIFY_CLIENT_ID: 'the-client-id-1234',
        SPOTIFY_CLIENT_SECRET: 'the-client-secret-5678',
        CHARTKEEPER_STORE: 'mongodb://chartkeeper:store-password-1@db.example:27017/spotify',
        CHARTKEEPER_QUEUE: 'redis://:queue-password-2@redis.example:6379',
        CHARTKEEPER_UI_TOKEN: 'a-ui-token-of-at-least-24-characters',
      },
      '/nonexistent',
    );
    const redactor = new Redactor([config.spotify.clientSecret]);
    const settings = maskedSettings({ config, redactor });
    const text = JSON.stringify(settings);
    for (const secret of [
      'the-client-secret-5678',
      'store-password-1',
      'queue-password-2',
      'a-ui-token-of-at-least-24-characters',
    ]) {
      expect(text).not.toContain(secret);
    }
    const value = (name: string) => settings.find(([n]) => n === name)?.[1];
    expect(value('spotify.clientSecret')).toBe(MASKED);
    expect(value('web.token')).toBe(MASKED);
    expect(value('store.uri')).toBe(`mongodb://chartkeeper:${MASKED}@db.example:27017/spotify`);
    expect(value('queue.url')).toBe(`redis://:${MASKED}@redis.example:6379`);
    expect(value('spotify.clientId')).toBe('the-client-id-1234');
  });
});
