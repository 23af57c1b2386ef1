import type { App } from '../../app/app.js';
import { notFound } from '../http-errors.js';
import { type Html, layout, type PageFrame } from './layout.js';

/** What the pages need besides the app. */
export interface PageOptions {
  /** A token protects this chartkeeper: pages offer to log out. */
  loggedIn: boolean;
  /** Pages for the static copy (`chartkeeper site`): no links to what needs a server. */
  staticSite?: boolean;
}

/** What every page module works with: the app, and its frame. */
export interface PageContext {
  app: App;
  options: PageOptions;
  /** The page in its frame (navigation, footer). */
  page(frame: Pick<PageFrame, 'title' | 'section'>, body: Html): Html;
  /** The configured time zone, for showing times. */
  timeZone: string;
}

export function pageContext(app: App, options: PageOptions): PageContext {
  return {
    app,
    options,
    timeZone: app.config.timezone,
    page: (frame, body) =>
      layout({ ...frame, loggedIn: options.loggedIn, staticSite: options.staticSite }, body),
  };
}

/** Path values longer than this are nobody's id or name. */
const MAX_PATH_VALUE = 300;

/**
 * A value from the path, checked: too long, or holding control characters, it names nothing
 * here (a clean "not found" rather than a look-up of garbage).
 */
export function pathValue(value: string | undefined, what: string, max = MAX_PATH_VALUE): string {
  const text = (value ?? '').trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (text === '' || text.length > max || /[\u0000-\u001f\u007f]/.test(text)) {
    throw notFound(`No such ${what}.`);
  }
  return text;
}
