import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolvePath } from './store-setting.js';

/** The credentials file's name inside chartkeeper's config directory. */
export const CREDENTIALS_FILE_NAME = 'credentials.json';

/**
 * Where the user login is kept unless `auth.file` says otherwise: chartkeeper's folder in the
 * user's config directory (%APPDATA% on Windows, else $XDG_CONFIG_HOME or ~/.config), never the
 * working directory, which may be a shared or checked-in project folder.
 */
export function defaultCredentialsFile(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const windowsRoot = platform === 'win32' ? env.APPDATA?.trim() : undefined;
  const xdg = env.XDG_CONFIG_HOME?.trim();
  // The XDG spec ignores a relative XDG_CONFIG_HOME.
  const root = windowsRoot || (xdg?.startsWith('/') ? xdg : join(home, '.config'));
  return join(root, 'chartkeeper', CREDENTIALS_FILE_NAME);
}

/** `auth.file` as an absolute path: `~/` is the home directory, relative paths are read from `cwd`. */
export function credentialsFileOf(setting: string, env: NodeJS.ProcessEnv, cwd: string): string {
  return setting === '' ? defaultCredentialsFile(env) : resolvePath(setting, cwd);
}
