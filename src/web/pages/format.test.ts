import { describe, expect, it } from 'vitest';
import { chartPath, coverUrl, duration, movement, signed, when } from './format.js';

describe('page formatting', () => {
  it('takes cover art only from Spotify image hosts over https', () => {
    expect(coverUrl('https://i.scdn.co/image/ab67616d0000b273')).toBe(
      'https://i.scdn.co/image/ab67616d0000b273',
    );
    expect(coverUrl('https://mosaic.scdn.co/640/abc')).toBe('https://mosaic.scdn.co/640/abc');
    expect(coverUrl('https://image-cdn-ak.spotifycdn.com/image/x')).toBe(
      'https://image-cdn-ak.spotifycdn.com/image/x',
    );
    expect(coverUrl('http://i.scdn.co/image/x')).toBeNull();
    expect(coverUrl('https://i.scdn.co.evil.example/x')).toBeNull();
    expect(coverUrl('javascript:alert(1)')).toBeNull();
    expect(coverUrl('http://127.0.0.1:9/image.jpg')).toBeNull();
    expect(coverUrl(null)).toBeNull();
  });

  it('writes movement, signed numbers, durations, times and chart paths', async () => {
    expect(String(await movement({ movement: 'up', previousPosition: 7, position: 3 }))).toMatch(
      /class="move up"[\s\S]*▲[\s\S]* 4<\/span>$/,
    );
    expect(
      String(await movement({ movement: 'new', previousPosition: null, position: 3 })),
    ).toContain('NEW');
    expect(
      String(await movement({ movement: 're-entry', previousPosition: null, position: 3 })),
    ).toContain('>RE<');
    expect(signed(1200)).toBe('+1,200');
    expect(signed(-300)).toBe('−300');
    expect(signed(null)).toBe('–');
    expect(duration('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.850Z')).toBe('850 ms');
    expect(duration('2026-01-01T00:00:00.000Z', '2026-01-01T00:04:05.000Z')).toBe('4 min 5 s');
    expect(duration(null, '2026-01-01T00:00:00.000Z')).toBeNull();
    expect(when('2026-01-01T06:00:00.000Z', 'Europe/Berlin')).toBe(
      '2026-01-01 07:00:00 Europe/Berlin',
    );
    expect(chartPath({ source: 'spotify-charts', chartId: 'regional-global-daily' })).toBe(
      '/charts/regional-global-daily/latest',
    );
  });
});
