// collector/ui/dist is committed so `npm start` serves the UI without a build step. This fails when
// the sources changed and nobody ran `npm run build:ui`: it builds into a temp dir and compares.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { build } from 'vite';

const UI = new URL('../../collector/ui/', import.meta.url).pathname;

/** relative path → sha256 of every file under `dir`. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

test('collector/ui/dist is what `npm run build:ui` builds from collector/ui/src', async () => {
  const out = mkdtempSync(join(tmpdir(), 'stitch-ui-build-'));
  try {
    await build({ configFile: join(UI, 'vite.config.ts'), logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
    assert.deepEqual(hashes(join(UI, 'dist')), hashes(out), 'collector/ui/dist is stale: run `npm run build:ui` and commit collector/ui/dist');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
