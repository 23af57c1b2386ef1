import type { Logger } from '../domain/ports/observability.js';

/** A logger that drops every line: the default where nobody watches (tests, the demo). */
export const silentLogger: Logger = {
  child: () => silentLogger,
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
