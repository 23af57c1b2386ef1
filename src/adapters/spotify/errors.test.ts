import { describe, expect, it } from 'vitest';
import {
  apiErrorOf,
  explainPlaylistError,
  explainTokenError,
  missingCredentialsError,
} from './errors.js';

const api = (status: number, message: string) => ({ error: { status, message } });

describe('explainPlaylistError', () => {
  it('explains a 404 of an editorial playlist with the routes that still work', () => {
    const error = explainPlaylistError(
      { status: 404, body: api(404, 'Resource not found') },
      {
        playlistId: '37i9dQZEVXbMDoHDwVN2tF',
        endpoint: 'playlist',
        label: 'GET /playlists/37i9dQZEVXbMDoHDwVN2tF',
      },
    );
    expect(error).toMatchObject({ code: 'spotify-not-found', permanent: true, status: 404 });
    expect(error.message).toMatch(/editorial.*Development Mode.*2024-11-27/);
    expect(error.hint).toMatch(/Extended Quota/);
    expect(error.hint).toMatch(/5FN6Ego7eLX6zHuCMovIR2/);
    expect(error.hint).toMatch(/charts\.spotify\.com/);
  });

  it('explains other 404s as a missing, private or deleted playlist', () => {
    const error = explainPlaylistError(
      { status: 404, body: null },
      { playlistId: 'abc', endpoint: 'items', label: 'GET /playlists/abc/items' },
    );
    expect(error.code).toBe('spotify-not-found');
    expect(error.message).not.toMatch(/editorial/);
    expect(error.hint).toMatch(/private or deleted/);
  });

  it('explains a premium 403 whatever the endpoint', () => {
    const error = explainPlaylistError(
      {
        status: 403,
        body: api(403, 'Active premium subscription required for the owner of the app'),
      },
      { playlistId: 'abc', endpoint: 'items', label: 'GET /playlists/abc/items' },
    );
    expect(error).toMatchObject({ code: 'spotify-premium', permanent: true });
    expect(error.message).toMatch(/Premium/);
    expect(error.message).not.toMatch(/2026-02-11/);
  });

  it('recognises the Premium phrase in a plain-text body too', () => {
    const error = explainPlaylistError(
      { status: 403, body: 'Active premium subscription required for the owner of the app\n' },
      { playlistId: 'abc', endpoint: 'playlist', label: 'GET /playlists/abc' },
    );
    expect(error.code).toBe('spotify-premium');
    expect(
      explainTokenError({
        status: 403,
        body: 'Active premium subscription required for the owner of the app',
      }).code,
    ).toBe('spotify-premium');
  });

  it('explains a 403 on items by the 2026-02-11 Development Mode rule', () => {
    const error = explainPlaylistError(
      { status: 403, body: api(403, 'Forbidden') },
      { playlistId: 'abc', endpoint: 'items', label: 'GET /playlists/abc/items' },
    );
    expect(error.message).toMatch(/2026-02-11.*owns or collaborates/);
    expect(error.hint).toMatch(/Extended Quota.*before 2026-02-11.*charts\.spotify\.com/);
  });

  it('explains a 403 on /tracks as the removed legacy endpoint', () => {
    const error = explainPlaylistError(
      { status: 403, body: api(403, 'Forbidden') },
      { playlistId: 'abc', endpoint: 'tracks', label: 'GET /playlists/abc/tracks' },
    );
    expect(error.message).toMatch(/\/tracks is removed for Development Mode/);
  });

  it('keeps message and hint on one line each', () => {
    const error = explainPlaylistError(
      { status: 400, body: api(400, 'line one\nline two') },
      { playlistId: 'abc', endpoint: 'playlist', label: 'GET /playlists/abc' },
    );
    expect(error.code).toBe('spotify-http');
    expect(error.message).toContain('line one line two');
    expect(error.message).not.toMatch(/\n/);
    expect(error.hint ?? '').not.toMatch(/\n/);
  });
});

describe('apiErrorOf', () => {
  it('cuts a long plain-text body between words, never showing part of an echoed token', () => {
    const token = 'BQDfakeAccessToken_9f8e7d6c5b4a3210ZZ';
    // Bodies long enough to be cut somewhere in or after the token (a whole token is redacted later).
    for (const pad of [160, 170, 180, 190, 199]) {
      const { message } = apiErrorOf(`${'x'.repeat(pad)} Bearer ${token} tail`);
      for (let n = 2; n <= token.length; n++) expect(message).not.toContain(token.slice(0, n));
      expect(message?.length).toBeLessThanOrEqual(201);
    }
    expect(apiErrorOf('short reason').message).toBe('short reason');
  });
});

describe('explainTokenError', () => {
  it('says the credentials were refused and never repeats them', () => {
    const error = explainTokenError({
      status: 400,
      body: {
        error: 'invalid_client',
        error_description: 'Invalid client secret s3cr3t-value for id my-client-id',
      },
    });
    expect(error).toMatchObject({ code: 'spotify-auth', permanent: true });
    expect(error.message).toMatch(/invalid_client: the client id or client secret is wrong/);
    const text = `${error.message} ${error.hint}`;
    expect(text).not.toContain('s3cr3t-value');
    expect(text).not.toContain('my-client-id');
    expect(error.hint).toMatch(/SPOTIFY_CLIENT_ID.*SPOTIFY_CLIENT_SECRET/);
  });

  it('never quotes what the accounts service sent, whatever it echoed', () => {
    const basic = Buffer.from('my-client-id:s3cr3t-value').toString('base64');
    for (const body of [
      { error: 'invalid_client', error_description: `Authorization: Basic ${basic}` },
      { error: `Basic ${basic}` },
      `<html>Bad request for Basic ${basic}</html>`,
      `Basic ${basic}`,
    ]) {
      const error = explainTokenError({ status: 400, body });
      const text = `${error.message} ${error.hint}`;
      expect(text).not.toContain(basic);
      expect(text).not.toContain('s3cr3t-value');
      expect(text).toMatch(/^Spotify refused the app credentials: HTTP 400/);
    }
  });
});

describe('missingCredentialsError', () => {
  it('names the variables and where to create an app', () => {
    const error = missingCredentialsError(['SPOTIFY_CLIENT_SECRET']);
    expect(error).toMatchObject({ code: 'config', permanent: true });
    expect(error.message).toMatch(/SPOTIFY_CLIENT_SECRET/);
    expect(error.hint).toMatch(/developer\.spotify\.com\/dashboard/);
  });
});
