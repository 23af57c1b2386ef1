import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { ConfigError } from '../config/load.js';

/**
 * A fresh temporary directory holding `files` (name to text), for loadConfig to read; removed when
 * the test ends.
 */
export function configDir(files: Record<string, string> = {}): string {
  const path = mkdtempSync(join(tmpdir(), 'ck-config-'));
  onTestFinished(() => rmSync(path, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
  return path;
}

/** Runs `run`, which must throw a ConfigError, and returns that error. */
export function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}
