export { startStitch, activeStitch, type StitchNode } from './start.js';
export type { StitchNodeOptions } from './options.js';
export { QUIET_INSTRUMENTATION_DEFAULTS } from './options.js';
export { SessionBaggageSpanProcessor, SessionBaggageLogProcessor, SessionStamper, type SessionStampStats } from './session-stamp.js';
export { checkSessionId, SESSION_ID_KEY, MAX_SESSION_ID_LENGTH, type SessionIdVerdict } from './session-id.js';
