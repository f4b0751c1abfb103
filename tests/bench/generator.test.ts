import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate, readVector, VECTORS } from '../../bench/gen.js';

// The bench generator is a port of shared/bench/gen_data.py; compare with files the
// Python script writes (Debian python3-numpy). Exact for X, t, y, uplift_score_q; the
// columns computed through exp agree to 1e-9 relative (tau_true and uplift_score are
// differences p1 − p0, so a few ulps of p become ~1e-10 relative).
const script = fileURLToPath(new URL('../../../shared/bench/gen_data.py', import.meta.url));
const python = '/usr/bin/python3';
const canRun = existsSync(script) && existsSync(python) && spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
// In CI, with shared/ beside the checkout (as the real-data tests read it), the reference must run:
// `.ci/run` installs python3-numpy, so a missing numpy fails instead of skipping.
const required = process.env.CI === 'true' && existsSync(script);

describe.skipIf(!canRun && !required)('bench generator port', () => {
  it('has the Python reference (shared/bench/gen_data.py and numpy)', () => {
    expect(canRun, `${script} and ${python} with numpy`).toBe(true);
  });

  it('matches the Python reference on 20,000 rows', () => {
    const out = mkdtempSync(join(tmpdir(), 'promobench-'));
    const run = spawnSync(python, [script, '--out', out, '--sizes', '20000'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const dir = join(out, 'n20000');
    const ours = generate(20000);
    expect(readVector(dir, 'X')).toEqual(ours.X);
    for (const name of VECTORS) {
      const reference = readVector(dir, name);
      const values = ours.vectors[name];
      if (name === 't' || name === 'y' || name === 'uplift_score_q') {
        expect(values, name).toEqual(reference);
        continue;
      }
      for (let i = 0; i < reference.length; i++) {
        const expected = reference[i] as number;
        expect(Math.abs((values[i] as number) - expected), `${name}[${i}]`).toBeLessThanOrEqual(1e-9 * Math.abs(expected) + 1e-300);
      }
    }
  });
});
