import { describe, expect, it } from 'vitest';
import { expiryWarning, refreshExpiryOf } from './user-login.js';

const DAY = 86_400_000;
const now = new Date('2026-11-29T06:00:00Z');
const expiring = (ms: number) => ({
  refreshExpiresAt: new Date(now.getTime() + ms).toISOString(),
  ended: null,
});

describe('the user login', () => {
  it('expires six months after consent', () => {
    expect(refreshExpiryOf(new Date('2026-06-18T10:00:00Z')).toISOString()).toBe(
      '2026-12-18T10:00:00.000Z',
    );
  });

  it('warns from 14 days before the refresh token expires, not before', () => {
    expect(expiryWarning(expiring(14 * DAY + 60_000), now)).toBeNull();
    expect(expiryWarning(expiring(14 * DAY), now)).toContain('expires in 14 days');
    expect(expiryWarning(expiring(DAY + 1000), now)).toContain('expires in 1 day (');
    expect(expiryWarning(expiring(3_600_000), now)).toContain('in less than a day');
    expect(expiryWarning(expiring(-DAY), now)).toMatch(
      /expired on 2026-11-28.*chartkeeper auth login/,
    );
    expect(
      expiryWarning({ ...expiring(DAY), ended: { at: now.toISOString(), reason: 'revoked' } }, now),
    ).toBeNull();
  });
});
