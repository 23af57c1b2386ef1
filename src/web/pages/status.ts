import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Reachability } from '../../app/status.js';
import type { PageContext } from './page-context.js';

/**
 * `/status`: the configuration in effect with every secret masked, whether the store, the
 * queue and Spotify answer, and the version.
 */
export function statusRoutes(pages: Hono, ctx: PageContext): void {
  pages.get('/status', async (c) => {
    const status = await ctx.app.status();
    const line = (what: string, r: Reachability) =>
      html`<tr><th scope="row">${what}</th><td>${
        r.ok === null
          ? html`<span class="state state-skipped">not used</span>`
          : r.ok
            ? html`<span class="state state-succeeded">reachable</span>`
            : html`<span class="state state-failed">unreachable</span>`
      }</td><td>${r.detail}</td></tr>`;
    return c.html(
      ctx.page(
        { title: 'Status', section: 'status' },
        html`<h1>Status</h1>
<p>chartkeeper ${status.version}</p>
<h2 id="reach-h">Services</h2>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="reach-h"><table>
<tbody>
${line('Store', status.store)}
${line('Queue', status.queue)}
${line('Spotify', status.spotify)}
</tbody></table></div>
<h2>What the Spotify app may do</h2>
<p>Nothing is recorded about it beyond each capture: a playlist the app may not read fails its run with the reason (see <a href="/runs?state=failed">failed runs</a>).</p>
<h2 id="config-h">Configuration in effect</h2>
<p class="hint">From chartkeeper.config.json and the environment; secrets are masked.</p>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="config-h"><table class="settings">
<thead><tr><th scope="col">Setting</th><th scope="col">Value</th></tr></thead>
<tbody>${status.settings.map(([name, value]) => html`<tr><td><code>${name}</code></td><td><code>${value}</code></td></tr>`)}</tbody>
</table></div>`,
      ),
    );
  });
}
