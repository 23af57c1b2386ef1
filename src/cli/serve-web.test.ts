import { describe, expect, it } from 'vitest';
import type { Run } from '../domain/run.js';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';

const DAILY = EMULATOR_PLAYLISTS.daily;
const TOKEN = 'serve-web-test-token-0123456789';

describe('chartkeeper serve with its web API (built binary, emulator over HTTP)', () => {
  const sandbox = cliSandbox('ck-serve-web-', { openStore: true });

  it('refuses to answer beyond this machine without a token, naming the setting (exit 2)', async () => {
    const refused = await sandbox.run(['serve', '--host', '0.0.0.0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/serve would answer on 0\.0\.0\.0, beyond this machine/);
    expect(refused.stderr).toMatch(/CHARTKEEPER_UI_TOKEN/);
    expect(refused.stdout).toBe('');
    const short = await sandbox.run(['serve', '--host', '0.0.0.0'], {
      CHARTKEEPER_UI_TOKEN: 'too-short',
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 24 characters/);
    expect(short.stderr).not.toContain('too-short');
  });

  it('takes `chartkeeper trigger` through its API (with the token), through the store without it', async () => {
    const env = { CHARTKEEPER_UI_TOKEN: TOKEN };
    const serve = sandbox.start(['serve', '--host', '0.0.0.0', '--log-format', 'pretty'], env);
    await serve.waitFor(/web UI and API at http:\/\/0\.0\.0\.0:\d+\//);
    const port = /0\.0\.0\.0:(\d+)\//.exec(serve.output())?.[1];
    // The API answers on loopback with the token, and only /healthz without it.
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/api/runs`)).status).toBe(401);

    const through = await sandbox.run(['trigger', '--wait', '--json', '-p', DAILY], env);
    expect(through.stderr).toBe('');
    expect(through.code).toBe(0);
    const viaApi = JSON.parse(through.stdout) as { ok: boolean; end: string; runs: Run[] };
    expect(viaApi).toMatchObject({ ok: true, end: 'finished' });
    expect(viaApi.runs[0]).toMatchObject({ trigger: 'api', state: 'succeeded', chartId: DAILY });

    // Without the token the serve refuses: the store still takes the trigger, and says so.
    const around = await sandbox.run(['trigger', '--wait', '-p', DAILY]);
    expect(around.code).toBe(0);
    expect(around.stderr).toMatch(/refused the request .*queued through the store instead/);
    expect(around.stderr).not.toContain(TOKEN);
    expect(around.stdout).toMatch(/^queued run [0-9a-f]{8} for 5FN6Ego7eLX6zHuCMovIR2\n✓ /);

    const listed = await fetch(`${base}/api/runs?chart=${DAILY}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const { runs } = (await listed.json()) as { runs: Run[] };
    // Besides the capture of today's slot, which a serve makes when it starts.
    const triggered = runs.filter((r) => r.trigger !== 'schedule');
    expect(triggered.map((r) => r.trigger)).toStrictEqual(['manual', 'api']);
    expect(serve.output()).not.toContain(TOKEN);
    expect(await serve.stop('SIGTERM')).toBe(0);

    // The serve is gone and took its URL from the store: the trigger does not try it, and says
    // that no serve runs (or that it stopped, while its last heartbeat is fresh).
    const after = await sandbox.run(['trigger', '--wait', '-p', DAILY], env);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(
      /no `chartkeeper serve` is running on this store|the `chartkeeper serve` stopped/,
    );
    expect(after.stderr).not.toMatch(/did not answer/);

    // `chartkeeper runs` filters as GET /api/runs does.
    const api = JSON.parse((await sandbox.run(['runs', '--trigger', 'api', '--json'])).stdout);
    expect(api.runs.map((r: Run) => r.trigger)).toStrictEqual(['api']);
    const queued = await sandbox.run(['runs', '-c', DAILY, '--state', 'queued,running', '--json']);
    expect(JSON.parse(queued.stdout).runs.map((r: Run) => r.trigger)).toStrictEqual(['manual']);
    const bad = await sandbox.run(['runs', '--state', 'done']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected states among queued, running/);
  });
});
