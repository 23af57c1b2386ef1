import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { readConfig } from '../../app/config.js';
import { Redactor } from '../../lib/redact.js';
import { parseCount } from '../options.js';
import { complain, EXIT, printJson, say, useRedactor } from '../output.js';
import { renderLogin, renderLogout, renderStatus } from '../render/auth.js';

/**
 * `chartkeeper auth login|status|logout`: the Spotify user login (PKCE) that charts configured
 * with `auth: "user"` are read with. No store is opened: logging in concerns the user, not the data.
 */
export function define(command: Command): void {
  command
    .command('login')
    .description(
      'log in to Spotify in the browser (Authorization Code with PKCE) and keep the login in the credentials file',
    )
    .option(
      '--port <n>',
      'port of the callback server on 127.0.0.1 (default: auth.port, 8888; 0 = any free port)',
      parseCount(0, 65_535),
    )
    .option(
      '--no-browser',
      'do not open a browser: print the URL, and finish when the callback arrives or when the redirected URL is pasted here',
    )
    .action(async (options: { port?: number; browser: boolean }) => {
      const config = configFor();
      const redactor = secretsOf(config.auth.refreshToken);
      const lines = options.browser
        ? null
        : createInterface({ input: process.stdin, terminal: false });
      try {
        const { login } = await import('../../app/auth.js');
        const result = await login(config, {
          port: options.port ?? config.auth.port,
          openBrowser: options.browser,
          pasted: lines,
          say: complain,
          redactor,
        });
        say(renderLogin(result));
      } finally {
        lines?.close();
        // Nothing more is read: a terminal or pipe left open would keep the process alive.
        if (lines) process.stdin.destroy();
      }
    });

  command
    .command('status')
    .description('who is logged in, with which scopes, and when the login (refresh token) expires')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = configFor();
      secretsOf(config.auth.refreshToken);
      const { loginStatus } = await import('../../app/auth.js');
      const status = await loginStatus(config);
      if (options.json) printJson(status);
      else say(renderStatus(status));
      if (status.warning && !options.json) complain(`chartkeeper: warning: ${status.warning}`);
      if (!status.loggedIn) process.exitCode = EXIT.failed;
    });

  command
    .command('logout')
    .description('forget the login: removes the credentials file')
    .option('--json', 'print what was done as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = configFor();
      secretsOf(config.auth.refreshToken);
      const { logout } = await import('../../app/auth.js');
      const result = await logout(config);
      if (options.json) printJson(result);
      else say(renderLogout(result));
      if (config.auth.refreshToken) {
        complain(
          'chartkeeper: SPOTIFY_REFRESH_TOKEN is set, and still logs this environment in: unset it too.',
        );
      }
    });
}

function configFor() {
  const { config, warnings } = readConfig();
  for (const warning of warnings) complain(`chartkeeper: ${warning}`);
  return config;
}

/** A redactor for this command's output, knowing the secrets it may meet. */
function secretsOf(refreshToken: string | undefined): Redactor {
  const redactor = new Redactor([refreshToken]);
  useRedactor(redactor);
  return redactor;
}
