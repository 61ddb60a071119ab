// Bundles the test app (test/web/app/main.ts, which imports '@stitch/web' from the workspace) with
// esbuild's JS API: once per test file, in memory.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '../app');

/** URL path → JavaScript: `/app.js` plus any chunks split off by dynamic `import()`. */
/** `alias` swaps a module for another file (e.g. a stub of '@stitch/web' to check the harness itself). */
export async function buildTestApp(alias?: Record<string, string>): Promise<Map<string, string>> {
  const outdir = join(APP_DIR, 'out'); // virtual: write is false
  const result = await build({
    entryPoints: { app: join(APP_DIR, 'main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    sourcemap: false,
    logLevel: 'silent',
    ...(alias ? { alias } : {}),
  });
  const files = new Map<string, string>();
  for (const file of result.outputFiles) files.set(`/${relative(outdir, file.path).split('\\').join('/')}`, file.text);
  if (!files.has('/app.js')) throw new Error(`esbuild produced no app.js (got ${[...files.keys()].join(', ')})`);
  return files;
}
