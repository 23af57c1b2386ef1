/** A service a test needs (MongoDB, Redis, Chromium): there, or why not. */
export type Service<T> = { available: true; value: T } | { available: false; reason: string };

/** Whether this is a CI run, where every service must be there. */
export function isCi(): boolean {
  const ci = process.env.CI?.toLowerCase();
  return ci === 'true' || ci === '1';
}

/**
 * Reports a missing service. Under CI=true that fails the run (CI provides every service);
 * elsewhere the tests that need it are skipped, with the reason printed and put in their name.
 */
export function unavailable(name: string, reason: string): Service<never> {
  if (isCi()) throw new Error(`${name} is required under CI=true, but ${reason}`);
  process.stderr.write(`[skipped] ${name} tests: ${reason}\n`);
  return { available: false, reason };
}

/** A suite title that says why it was skipped, so the reason shows in the test report. */
export function titleFor(title: string, service: Service<unknown>): string {
  return service.available ? title : `${title} (skipped: ${service.reason})`;
}
