import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { App } from '../app/app.js';
import { openApp } from '../app/open-app.js';
import { loadConfig } from '../config/load.js';
import type { RunningEmulator } from '../emulator/emulator.js';
import { emulatorEnvironment } from '../emulator/environment.js';
import { createWebApp } from '../web/web-app.js';
import { recordingLogger } from './recording-logger.js';

/** An app on a new SQLite store pointed at the emulator, and its web app (real router, no network). */
export interface WebTestApp {
  app: App;
  web: Hono;
  dir: string;
  logger: ReturnType<typeof recordingLogger>;
  /** A request as a tool sends it (no browser headers), to http://127.0.0.1 unless `url` is whole. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Closes the app and removes the directory. */
  close(): Promise<void>;
}

/** Opens a web test app; `env` adds settings (CHARTKEEPER_UI_TOKEN…). */
export async function openWebTestApp(
  emulator: RunningEmulator,
  options: { env?: NodeJS.ProcessEnv; token?: string } = {},
): Promise<WebTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-web-'));
  const { config } = loadConfig(
    emulatorEnvironment(emulator, {
      CHARTKEEPER_STORE: join(dir, 'store.db'),
      CHARTKEEPER_OUTBOX: join(dir, 'outbox'),
      ...(options.token ? { CHARTKEEPER_UI_TOKEN: options.token } : {}),
      ...options.env,
    }),
    dir,
  );
  const logger = recordingLogger();
  const app = await openApp(config, { access: 'write', logger });
  const web = createWebApp(app, { token: config.web.token });
  return {
    app,
    web,
    dir,
    logger,
    request: async (path, init) =>
      web.request(/^https?:/.test(path) ? path : `http://127.0.0.1:8080${path}`, init),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
