import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** A page's HTML, escaped where it must be (hono/html escapes every interpolated value). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What every page's frame needs to know. */
export interface PageFrame {
  title: string;
  /** The navigation entry to mark as current. */
  section?: 'overview' | 'runs' | 'charts' | 'search' | 'status';
  /** Whether a token protects this chartkeeper (then a log-out button is shown). */
  loggedIn?: boolean;
  /**
   * A page of the static copy (`chartkeeper site`): it has charts, tracks and artists only, so
   * the links to runs and status and the search form (which need a server) are left out.
   */
  staticSite?: boolean;
}

const NAV: readonly [NonNullable<PageFrame['section']>, string, string][] = [
  ['overview', '/', 'Overview'],
  ['runs', '/runs', 'Runs'],
  ['charts', '/charts', 'Charts'],
  ['status', '/status', 'Status'],
];
/** What the static copy has of it. */
const STATIC_NAV = NAV.filter(([section]) => section === 'charts');

/**
 * The frame of every page: no inline script or style (the Content Security Policy forbids
 * them), every asset from chartkeeper itself.
 */
export function layout(frame: PageFrame, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · chartkeeper</title>
<link rel="stylesheet" href="/assets/app.css">
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<script src="/assets/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="${frame.staticSite ? '/charts/' : '/'}"><img src="/assets/icon.svg" alt="" width="24" height="24"> chartkeeper</a>
  <nav aria-label="Main">
    ${(frame.staticSite ? STATIC_NAV : NAV).map(
      ([section, href, label]) =>
        html`<a href="${href}"${frame.section === section ? html` aria-current="page"` : ''}>${label}</a>`,
    )}
  </nav>
  ${
    frame.staticSite
      ? ''
      : html`<form class="search" action="/search" method="get" role="search">
    <label class="visually-hidden" for="q">Search tracks and artists</label>
    <input id="q" name="q" type="search" placeholder="Track or artist" maxlength="200">
    <button type="submit">Search</button>
  </form>`
  }
  ${frame.loggedIn ? html`<form method="post" action="/logout"><button type="submit" class="link">Log out</button></form>` : ''}
</header>
<main id="main">
${body}
</main>
<footer>Chart data, track information and cover art from <a href="https://open.spotify.com" rel="noopener">Spotify</a>. chartkeeper is not affiliated with Spotify.</footer>
</body>
</html>`;
}

/** The login form (shown when a token protects this chartkeeper). */
export function loginPage(next: string, failed: boolean): Html {
  return layout(
    { title: 'Log in' },
    html`<h1>Log in</h1>
<form method="post" action="/login" class="login">
  ${failed ? html`<p class="error" role="alert">That is not the token. Try again.</p>` : ''}
  <input type="hidden" name="next" value="${next}">
  <label for="token">Token (CHARTKEEPER_UI_TOKEN)</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
  <button type="submit">Log in</button>
</form>`,
  );
}

/** A page for an error: what happened and what to do. */
export function errorPage(status: number, message: string, hint?: string): Html {
  return layout(
    { title: status === 404 ? 'Not found' : 'Error' },
    html`<h1>${status === 404 ? 'Not found' : 'Something went wrong'}</h1>
<p>${message}</p>${hint ? html`<p class="hint">${hint}</p>` : ''}
<p><a href="/">Back to the overview</a></p>`,
  );
}
