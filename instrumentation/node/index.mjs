// Entry for `import … from '@stitch/node'`: the TypeScript sources run through tsx in a private
// namespace, so neither a build step nor a global TypeScript loader is needed in the app.
import { register as registerTsx } from 'tsx/esm/api';

const tsx = registerTsx({ namespace: 'stitch-node' });
const api = await tsx.import('./src/index.ts', import.meta.url);

export const { startStitch, activeStitch, QUIET_INSTRUMENTATION_DEFAULTS, SessionBaggageSpanProcessor, SessionBaggageLogProcessor, SessionStamper, checkSessionId, SESSION_ID_KEY, MAX_SESSION_ID_LENGTH } = api;
