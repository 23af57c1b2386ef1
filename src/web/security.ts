import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { isLoopback } from '../lib/loopback.js';
import { ApiError } from './http-errors.js';

export const SESSION_COOKIE = 'chartkeeper_session';
/** How long a login lasts. */
const SESSION_SECONDS = 30 * 24 * 3600;
/** Paths anyone may open even when a token is set. */
const OPEN_PATHS = new Set(['/healthz', '/login', '/logout']);

/**
 * Security headers on every reply: a Content Security Policy without inline script (scripts,
 * styles and fonts from chartkeeper only; images also from Spotify's image hosts, for cover
 * art), no sniffing, no framing, no referrer sent elsewhere.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      fontSrc: ["'self'"],
      imgSrc: [
        "'self'",
        'data:',
        'https://i.scdn.co',
        'https://*.scdn.co',
        'https://*.spotifycdn.com',
      ],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    strictTransportSecurity: false,
  });
}

/**
 * Refuses state-changing requests from other sites: a browser says where a request comes from
 * (`Sec-Fetch-Site`, `Origin`), and one that does not come from chartkeeper's own pages is
 * refused with 403. Tools that send neither (curl, `chartkeeper trigger`) are not browsers and
 * cannot be tricked into a request; with a token set they must present it anyway.
 */
export function refuseCrossSite(): MiddlewareHandler {
  return async (c, next) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const own = new URL(c.req.url).origin;
      if ((site && site !== 'same-origin' && site !== 'none') || (origin && origin !== own)) {
        throw new ApiError(403, {
          code: 'cross-site',
          message: 'A request from another site may not change anything here.',
          hint: 'Use chartkeeper’s own pages, or call the API without a browser.',
        });
      }
    }
    await next();
  };
}

/**
 * Without a token, `serve` listens on loopback only; a page of another site could still reach it
 * through a host name it controls that resolves to 127.0.0.1 (DNS rebinding). Requests must name
 * this machine.
 */
export function requireLoopbackHost(): MiddlewareHandler {
  return async (c, next) => {
    const host = new URL(c.req.url).hostname;
    if (!isLoopback(host)) {
      throw new ApiError(403, {
        code: 'bad-host',
        message: `This chartkeeper answers only to 127.0.0.1 or localhost, not to ${host.slice(0, 100)}.`,
        hint: 'Set CHARTKEEPER_UI_TOKEN to serve other names and addresses.',
      });
    }
    await next();
  };
}

/**
 * Where the valid sessions are kept: in the store, so that logging out ends a session for good
 * (a copied cookie stops working) on every serve of the store, and sessions survive a restart.
 */
export interface SessionRegistry {
  startWebSession(id: string, until: number): Promise<void>;
  webSessionValid(id: string): Promise<boolean>;
  endWebSession(id: string): Promise<void>;
}

/** Checks a token and the session cookies made from it. */
export class TokenGate {
  private readonly key: Buffer;

  constructor(
    private readonly token: string,
    private readonly sessions: SessionRegistry,
  ) {
    // Sessions are signed with a key made from the token: changing the token ends them all.
    this.key = createHmac('sha256', token).update('chartkeeper session v2').digest();
  }

  /** Whether `candidate` is the token (in constant time). */
  matches(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const a = createHmac('sha256', this.key).update(candidate).digest();
    const b = createHmac('sha256', this.key).update(this.token).digest();
    return timingSafeEqual(a, b);
  }

  /**
   * A session's id if the cookie value is one this gate signed (`id.signature`); whether the
   * session still holds is the registry's to say.
   */
  private sessionId(value: string | undefined): string | undefined {
    const [id, signature, extra] = (value ?? '').split('.');
    if (!id || !signature || extra !== undefined || !/^[\w-]{22,64}$/.test(id)) return undefined;
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
  }

  /** Sets the session cookie: HttpOnly, SameSite=Strict. */
  async startSession(c: Context): Promise<void> {
    const id = randomBytes(24).toString('base64url');
    await this.sessions.startWebSession(id, Date.now() + SESSION_SECONDS * 1000);
    setCookie(c, SESSION_COOKIE, `${id}.${this.sign(id)}`, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: SESSION_SECONDS,
      secure: new URL(c.req.url).protocol === 'https:',
    });
  }

  /** Ends the request's session in the registry, not only in this browser. */
  async endSession(c: Context): Promise<void> {
    const id = this.sessionId(getCookie(c, SESSION_COOKIE));
    if (id) await this.sessions.endWebSession(id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
  }

  /** Whether a request carries the token (`Authorization: Bearer`) or a valid session cookie. */
  async admits(c: Context): Promise<boolean> {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    if (this.matches(bearer)) return true;
    const id = this.sessionId(getCookie(c, SESSION_COOKIE));
    return id !== undefined && (await this.sessions.webSessionValid(id));
  }

  /**
   * Lets through only requests with the token or a session: pages send a browser to the login
   * form, the API answers 401. `/healthz`, the login form and the static assets stay open.
   */
  middleware(isApi: (c: Context) => boolean): MiddlewareHandler {
    return async (c, next) => {
      const path = c.req.path;
      if (OPEN_PATHS.has(path) || path.startsWith('/assets/') || (await this.admits(c)))
        return next();
      if (isApi(c)) {
        throw new ApiError(
          401,
          {
            code: 'unauthorized',
            message: 'This chartkeeper needs its token.',
            hint: 'Send it as "Authorization: Bearer <CHARTKEEPER_UI_TOKEN>", or log in at /login.',
          },
          { 'WWW-Authenticate': 'Bearer realm="chartkeeper"' },
        );
      }
      const target = c.req.method === 'GET' ? `${path}${new URL(c.req.url).search}` : '/';
      return c.redirect(`/login?next=${encodeURIComponent(target)}`, 303);
    };
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64url');
  }
}

/** Where to go after logging in: only a path on this site (never another site). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) && next.length < 2000 ? next : '/';
}
