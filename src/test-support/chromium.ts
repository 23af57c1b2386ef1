import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { type Service, unavailable } from './services.js';

/** Where Debian puts Chromium (`apt-get install chromium`); CHROMIUM_PATH overrides it. */
const DEFAULT_PATH = '/usr/bin/chromium';

/** Flags for a quiet, headless Chromium in a container: no sandbox, GPU or background traffic. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * A headless Chromium for a test file (one per file: starting one is slow; give each test a
 * context of its own). Missing, the file's tests are skipped with the reason, or fail under CI.
 */
export async function launchChromium(): Promise<Service<Browser>> {
  const path = process.env.CHROMIUM_PATH?.trim() || DEFAULT_PATH;
  if (!existsSync(path)) {
    return unavailable(
      'Chromium (browser)',
      `Chromium is not installed at ${path} (apt-get install chromium, or set CHROMIUM_PATH)`,
    );
  }
  try {
    const browser = await chromium.launch({ executablePath: path, args: ARGS, headless: true });
    return { available: true, value: browser };
  } catch (error) {
    return unavailable(
      'Chromium (browser)',
      `Chromium at ${path} did not start: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}
