import { html } from 'hono/html';
import type { Artist, ChartEntry, ChartKey } from '../../domain/chart.js';
import { localTime } from '../../lib/local-time.js';
import { isPlainText, MAX_ARTIST } from '../api/params.js';
import type { Html } from './layout.js';

/* Small presentation helpers every page shares: links, numbers, times, movement. */

/** The path of a chart's page: the chart id as `chartkeeper chart -c` takes it, and a date or `latest`. */
export function chartPath(key: ChartKey, date = 'latest'): string {
  return `/charts/${encodeURIComponent(key.chartId)}/${encodeURIComponent(date)}`;
}

/**
 * A chart's id, linked to its page only when the store holds charts of it: a run of a chart never
 * stored (a capture that always failed, an inbox file that held no chart) has no page to link to.
 */
export function chartLink(key: ChartKey, stored: readonly ChartKey[], date = 'latest'): Html {
  const held = stored.some((k) => k.source === key.source && k.chartId === key.chartId);
  return held ? html`<a href="${chartPath(key, date)}">${key.chartId}</a>` : html`${key.chartId}`;
}

export function trackPath(trackId: string): string {
  return `/tracks/${encodeURIComponent(trackId)}`;
}

/** An artist's page: by Spotify id where known (stable), else by name as the charts spell it. */
export function artistPath(artist: Artist): string {
  return `/artists/${encodeURIComponent(artist.id ?? artist.name)}`;
}

/**
 * An artist's name, linked to their page when the page can answer it: a name too long or holding
 * characters the route refuses stays plain text (no link that ends in an error, here or in
 * `chartkeeper site`'s copy).
 */
export function artistLink(artist: Artist): Html {
  const ref = artist.id ?? artist.name;
  return ref.trim() === ref && ref !== '' && isPlainText(ref, MAX_ARTIST)
    ? html`<a href="${artistPath(artist)}">${artist.name}</a>`
    : html`${artist.name}`;
}

export function runPath(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}`;
}

/** Spotify's own page of a track (its guidelines: link each track to Spotify). */
export function spotifyTrackUrl(trackId: string): string {
  return `https://open.spotify.com/track/${encodeURIComponent(trackId)}`;
}

/** The artists as links to their pages, comma-separated. */
export function artistLinks(artists: readonly Artist[]): Html {
  return html`${artists.map((artist, i) => html`${i > 0 ? ', ' : ''}${artistLink(artist)}`)}`;
}

/** A track's title linked to its page, and a link to it on Spotify. */
export function trackLinks(trackId: string, name: string): Html {
  return html`<a href="${trackPath(trackId)}">${name}</a> <a class="on-spotify" href="${spotifyTrackUrl(trackId)}" rel="noopener" title="Open “${name}” on Spotify" aria-label="Open “${name}” on Spotify">♫</a>`;
}

const numbers = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567"; null → an en dash. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : numbers.format(value);
}

/** A signed change: "+1,200", "−300", "0"; null → an en dash. */
export function signed(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (value > 0) return `+${numbers.format(value)}`;
  if (value < 0) return `−${numbers.format(-value)}`;
  return '0';
}

/** An ISO time as "2026-11-29 06:00:12 Europe/Berlin", in the configured time zone. */
export function when(iso: string | null | undefined, timeZone: string): string {
  return iso ? `${localTime(iso, timeZone)} ${timeZone}` : '–';
}

/** A machine-readable and a human time: <time datetime="…">…</time>. */
export function timeTag(iso: string | null | undefined, timeZone: string): Html {
  return iso ? html`<time datetime="${iso}">${when(iso, timeZone)}</time>` : html`–`;
}

/** Milliseconds between two ISO times as "850 ms", "12.3 s", "4 min 5 s"; null when not both. */
export function duration(from: string | null, to: string | null): string | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** An entry's movement: an arrow and the positions gained or lost, or a NEW / RE badge. */
export function movement(
  entry: Pick<ChartEntry, 'movement' | 'previousPosition' | 'position'>,
): Html {
  switch (entry.movement) {
    case 'new':
      return html`<span class="badge new" title="New entry">NEW</span>`;
    case 're-entry':
      return html`<span class="badge re" title="Re-entry">RE</span>`;
    case 'same':
      return html`<span class="move same" title="Same position"><span aria-hidden="true">=</span><span class="visually-hidden">same</span></span>`;
    default: {
      const change = (entry.previousPosition ?? entry.position) - entry.position;
      const up = entry.movement === 'up';
      return html`<span class="move ${up ? 'up' : 'down'}" title="${up ? 'Up' : 'Down'} ${Math.abs(change)} from ${entry.previousPosition ?? '–'}"><span aria-hidden="true">${up ? '▲' : '▼'}</span><span class="visually-hidden">${up ? 'up' : 'down'}</span> ${Math.abs(change)}</span>`;
    }
  }
}

/**
 * Cover art only from Spotify's image hosts: the Content Security Policy lets no other image
 * host in, so any other URL would show as a broken image.
 */
export function coverUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    const host = parsed.hostname;
    const spotify =
      host === 'i.scdn.co' || host.endsWith('.scdn.co') || host.endsWith('.spotifycdn.com');
    return parsed.protocol === 'https:' && spotify ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A key as people read it: the chart title where known, else its id. */
export function keyName(key: ChartKey, title?: string | null): string {
  return title ? `${title} (${key.chartId})` : key.chartId;
}
