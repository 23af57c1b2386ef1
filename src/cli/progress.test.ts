import { describe, expect, it } from 'vitest';
import { progressReporter } from './progress.js';

describe('progressReporter', () => {
  it('stays quiet for short work, then writes at most one line per interval and a last one', () => {
    let now = 0;
    let done = 0;
    const lines: string[] = [];
    const quiet = progressReporter(() => `${done} done`, {
      now: () => now,
      write: (t) => lines.push(t),
    });
    quiet.tick();
    quiet.done();
    expect(lines).toStrictEqual([]);

    const progress = progressReporter(() => `${done} done`, {
      now: () => now,
      write: (t) => lines.push(t),
    });
    for (done = 1; done <= 30; done++) {
      now += 100;
      progress.tick();
    }
    done = 30;
    progress.done();
    expect(lines).toStrictEqual(['10 done…\n', '20 done…\n', '30 done…\n', '30 done.\n']);
  });
});
