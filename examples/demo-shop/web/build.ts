// Bundles web/src/app.ts (which imports '@stitch/web' from the workspace) with esbuild's JS API.
// The frontend server builds in memory at start; `node --import tsx web/build.ts` writes web/dist/.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const WEB_DIR = dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = join(WEB_DIR, 'dist');

/** URL path under /assets → JavaScript: `/assets/app.js` plus the chunks split off by dynamic import(). */
export type Bundle = ReadonlyMap<string, string>;

export async function buildWebBundle(options: { minify?: boolean } = {}): Promise<Bundle> {
  const outdir = join(WEB_DIR, 'out'); // only names the outputs: write is false
  const result = await build({
    entryPoints: { app: join(WEB_DIR, 'src/app.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // @stitch/web loads web-vitals with import(): keep it a separate chunk, as an app would ship it.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minify: options.minify ?? true,
    sourcemap: false,
    outdir,
    write: false,
    logLevel: 'silent',
  });
  const files = new Map<string, string>();
  for (const file of result.outputFiles) files.set(`/assets/${relative(outdir, file.path).split('\\').join('/')}`, file.text);
  if (!files.has('/assets/app.js')) throw new Error(`esbuild produced no app.js (got ${[...files.keys()].join(', ')})`);
  return files;
}

/** Writes the bundle to web/dist/ (assets/app.js, assets/chunks/…), for serving it elsewhere. */
export async function writeWebBundle(dir = DIST_DIR): Promise<string[]> {
  const bundle = await buildWebBundle();
  await rm(dir, { recursive: true, force: true });
  for (const [path, text] of bundle) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return [...bundle.keys()];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = await writeWebBundle();
  console.log(`wrote ${written.length} file(s) to ${relative(process.cwd(), DIST_DIR) || '.'}: ${written.join(', ')}`);
}
