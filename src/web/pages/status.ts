import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { LoginStatus } from '../../app/auth.js';
import type { SpotifyStatus } from '../../app/doctor.js';
import type { Reachability } from '../../app/status.js';
import { timeTag } from './format.js';
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
${spotifySection(status.spotifyApp, ctx.timeZone)}
${loginSection(status.login)}
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

/** What the Spotify app may do, as last observed: the quota, and what `doctor` found. */
function spotifySection(spotify: SpotifyStatus, timeZone: string) {
  const { quota, app } = spotify;
  return html`<h2>What the Spotify app may do</h2>
${
  quota?.exhausted
    ? html`<p class="error" role="alert">Spotify's quota is exhausted until ${timeTag(quota.until, timeZone)}${quota.reason ? html` (${quota.reason})` : ''}: captures are deferred until then, without calling Spotify.</p>`
    : quota
      ? html`<p>The quota was last exhausted until ${timeTag(quota.until, timeZone)}; it is available again.</p>`
      : ''
}
${
  app
    ? html`<p>As <code>chartkeeper doctor</code> found on ${timeTag(app.checkedAt, timeZone)}: credentials ${app.credentials}${app.mode ? html`, app mode ${app.mode}` : ''}${app.ownerPremium === false ? html`, <strong>the app owner's Premium has lapsed</strong>` : ''}.</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="Charts as doctor found them"><table>
<thead><tr><th scope="col">Chart</th><th scope="col">Can be captured</th><th scope="col">Why not</th><th scope="col">What to do</th></tr></thead>
<tbody>${app.charts.map(
        (chart) =>
          html`<tr><td>${chart.title ?? chart.chartId}</td><td>${
            chart.capturable
              ? html`<span class="state state-succeeded">yes</span>`
              : html`<span class="state state-failed">no</span>`
          }</td><td>${chart.why ?? ''}</td><td>${chart.todo ?? ''}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>Not checked yet: run <code>chartkeeper doctor</code> to find out which charts this app may read. Until then, a playlist the app may not read fails its run with the reason (see <a href="/runs?state=failed">failed runs</a>).</p>`
}`;
}

/** The user login: who, until when, and the warning before it expires; never the token. */
function loginSection(login: LoginStatus) {
  const body =
    login.source === 'environment'
      ? html`<p>A refresh token is given by <code>SPOTIFY_REFRESH_TOKEN</code>.</p>`
      : login.login
        ? html`<p>${login.loggedIn ? 'Logged in' : 'The login has ended'} as ${login.login.displayName ?? login.login.userId}${login.daysLeft !== null && login.loggedIn ? html`; ${login.daysLeft} days left before logging in again is needed` : ''}.</p>`
        : html`<p>Nobody is logged in (only needed for charts with <code>"auth": "user"</code>: <code>chartkeeper auth login</code>).</p>`;
  return html`<h2>Spotify user login</h2>
${login.warning ? html`<p class="error" role="alert">${login.warning}</p>` : ''}${body}`;
}
