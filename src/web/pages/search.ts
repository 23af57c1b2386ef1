import type { Hono } from 'hono';
import { html } from 'hono/html';
import { checkText } from '../api/params.js';
import { artistLink, artistLinks, trackLinks } from './format.js';
import type { PageContext } from './page-context.js';

/** Nobody searches for a longer text (the search field stops at it too). */
const MAX_QUERY = 200;

/** `/search?q=`: tracks by title and artists by name. */
export function searchRoutes(pages: Hono, ctx: PageContext): void {
  pages.get('/search', async (c) => {
    const q = (c.req.query('q') ?? '').trim();
    // As the API checks text: no control characters or broken Unicode, bounded.
    if (q !== '') checkText('q', q, MAX_QUERY);
    const found = await ctx.app.search(q);
    return c.html(
      ctx.page(
        { title: q ? `Search: ${q}` : 'Search', section: 'search' },
        html`<h1>Search</h1>
<form method="get" action="/search" class="filters" role="search">
  <label for="search-q">Track title or artist
    <input id="search-q" name="q" type="search" value="${q}" maxlength="${MAX_QUERY}">
  </label>
  <button type="submit">Search</button>
</form>
${
  q === ''
    ? html`<p class="hint">Search the stored charts by a part of a title, or by an artist's whole name.</p>`
    : html`<h2>Artists</h2>
${
  found.artists.length === 0
    ? html`<p>No artist named “${q}”.</p>`
    : html`<ul class="results">${found.artists.map((a) => html`<li>${artistLink(a)}</li>`)}</ul>`
}
<h2>Tracks</h2>
${
  found.tracks.length === 0
    ? html`<p>No track title contains “${q}”.</p>`
    : html`<ul class="results">${found.tracks.map(
        (t) =>
          html`<li>${trackLinks(t.id, t.name)} <span class="artists">${artistLinks(t.artists)}</span></li>`,
      )}</ul>`
}`
}`,
      ),
    );
  });
}
