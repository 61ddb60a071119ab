// Builds the sessions UI into collector/ui/dist, which is committed: `npm start` serves it as is,
// with no build step. `npm run build:ui` rebuilds it; a test fails when dist is stale.
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Served at `/` of the sessions_api port; absolute asset paths keep deep links (/sessions/<id>) working.
  base: '/',
  plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Keeps the committed dist small and diffable: no source maps, one CSS file.
    sourcemap: false,
    cssCodeSplit: false,
    target: 'es2022',
    // A tiny app: skip the modulepreload polyfill (inline code the CSP would also refuse).
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: {
    // `npx vite collector/ui` during development: API calls go to a running collector.
    proxy: { '/api': 'http://127.0.0.1:8686' },
  },
});
