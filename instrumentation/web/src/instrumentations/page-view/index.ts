import type { Instrumentation } from '../types.js';
import { trackPageViews, type PageViewWindow } from './track-page-views.js';

/** `browser.page_view` events for the initial load and every SPA route change. */
export const pageViewInstrumentation: Instrumentation = {
  name: 'page-view',
  initialize: (ctx) => trackPageViews(ctx, globalThis as unknown as PageViewWindow),
};

export type { PageViewOptions } from './options.js';
