export { Stitch, StitchCore, type StitchUser, type EmitEventOptions } from './stitch.js';
export type { StitchOptions, InstrumentationSetting } from './options.js';
export type { Consent } from './privacy/consent.js';
export type { Instrumentation, InstrumentationContext, PrivacyHelpers } from './instrumentations/types.js';
export { scrubUrl } from './privacy/scrub.js';
export { describeTarget } from './privacy/target.js';
export { BUILT_IN_INSTRUMENTATIONS } from './registry.js';
