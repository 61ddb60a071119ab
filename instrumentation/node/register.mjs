// `node --import @stitch/node/register app.js`: starts Stitch before the app's modules load.
import { register as registerLoaderHook } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

// Lets instrumentations patch ES modules too (CommonJS ones are patched through require).
registerLoaderHook('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
// Our sources are TypeScript run by tsx in a private namespace: the app's own loading is untouched.
const tsx = registerTsx({ namespace: 'stitch-node-register' });
await tsx.import('./src/register.ts', import.meta.url);
