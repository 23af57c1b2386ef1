import { describe, expect, it } from 'vitest';
import { CronSchedule, cronProblem } from './cron.js';

const at = (iso: string) => new Date(iso);

describe('CronSchedule', () => {
  it('finds the next slot strictly after a time, and the latest at or before it', () => {
    const every2s = new CronSchedule('*/2 * * * * *', 'UTC');
    expect(every2s.next(at('2026-11-20T10:00:01.500Z'))).toStrictEqual(
      at('2026-11-20T10:00:02.000Z'),
    );
    expect(every2s.next(at('2026-11-20T10:00:02.000Z'))).toStrictEqual(
      at('2026-11-20T10:00:04.000Z'),
    );
    expect(every2s.latest(at('2026-11-20T10:00:02.000Z'))).toStrictEqual(
      at('2026-11-20T10:00:02.000Z'),
    );
    expect(every2s.latest(at('2026-11-20T10:00:03.999Z'))).toStrictEqual(
      at('2026-11-20T10:00:02.000Z'),
    );
  });

  it('reads the expression in its time zone, across a daylight-saving change', () => {
    const berlin = new CronSchedule('@daily', 'Europe/Berlin');
    expect(berlin.next(at('2026-11-20T10:00:00Z'))).toStrictEqual(at('2026-11-20T23:00:00Z'));
    // Summer time: midnight in Berlin is 22:00 UTC.
    expect(berlin.next(at('2026-07-01T10:00:00Z'))).toStrictEqual(at('2026-07-01T22:00:00Z'));
    const sixAm = new CronSchedule('0 6 * * *', 'Europe/Berlin');
    expect(sixAm.between(at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toStrictEqual([
      at('2026-03-28T05:00:00Z'),
      at('2026-03-29T04:00:00Z'),
      at('2026-03-30T04:00:00Z'),
    ]);
  });

  it('lists the slots strictly between two times, the latest ones when capped', () => {
    const hourly = new CronSchedule('0 * * * *', 'UTC');
    const from = at('2026-11-20T00:00:00Z');
    const to = at('2026-11-20T05:00:00Z');
    expect(hourly.between(from, to).map((d) => d.getUTCHours())).toStrictEqual([1, 2, 3, 4]);
    expect(hourly.between(from, to, 2).map((d) => d.getUTCHours())).toStrictEqual([3, 4]);
    expect(hourly.between(to, from)).toStrictEqual([]);
  });
});

describe('cronProblem', () => {
  it('accepts 5- and 6-field expressions and nicknames, and says what is wrong with others', () => {
    for (const ok of ['@daily', '0 6 * * *', '*/10 * * * * *', '0 0 * * 1-5']) {
      expect(cronProblem(ok)).toBeNull();
    }
    expect(cronProblem('61 * * * *')).toMatch(/minute: 61/);
    expect(cronProblem('every day')).toMatch(/five, six, or seven/);
    expect(cronProblem('0 0 30 2 *')).not.toBeNull();
  });
});
