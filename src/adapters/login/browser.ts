import { spawn } from 'node:child_process';

/**
 * Opens `url` in the user's browser; false when that cannot be done here (no display, no opener).
 *
 * The platform's own opener is started directly (xdg-open, macOS `open`, Windows' URL handler)
 * instead of the `open` package: its current versions are ES modules that find a bundled
 * xdg-open script next to their own file, which does not survive bundling into one CommonJS file
 * per verb. The URL is passed as one argument, never through a shell, so its `&`s stay literal.
 */
export async function openBrowser(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  const opener = openerFor(platform, env);
  if (!opener) return false;
  return new Promise((resolve) => {
    const child = spawn(opener.command, [...opener.args, url], {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
    });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

function openerFor(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): { command: string; args: string[] } | null {
  if (platform === 'darwin') return { command: 'open', args: [] };
  // rundll32 takes the URL as it is; `cmd /c start` would read its & as a command separator.
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] };
  // Without a display (a server over SSH) xdg-open would start a text browser or nothing at all.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return { command: 'xdg-open', args: [] };
}
