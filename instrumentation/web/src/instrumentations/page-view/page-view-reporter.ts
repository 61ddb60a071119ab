import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationContext } from '../types.js';
import type { PageViewOptions } from './options.js';
import { randomId } from './random-id.js';

export type PageViewType = 'initial' | 'route_change';

export interface PageEnv {
  location: Pick<Location, 'href' | 'pathname'>;
  document: Pick<Document, 'referrer' | 'title'>;
}

/**
 * Returns `report(type)`: emits `browser.page_view` unless the URL (including its fragment) is the
 * one last reported. The referrer is document.referrer for the first view, then the previous URL.
 */
export function pageViewReporter(
  ctx: Pick<InstrumentationContext, 'emitEvent' | 'privacy' | 'recordActivity'>,
  options: PageViewOptions,
  env: PageEnv,
): (type: PageViewType) => void {
  let last: string | undefined;
  return (type) => {
    const href = env.location.href;
    if (href === last) return;
    const referrer = last ?? env.document.referrer;
    last = href;
    ctx.recordActivity();
    const attrs: Attributes = {
      'url.full': ctx.privacy.scrubUrl(href),
      'url.path': env.location.pathname,
      'stitch.page_view.id': randomId(),
      'stitch.page_view.type': type,
    };
    if (referrer) attrs['stitch.page.referrer'] = ctx.privacy.scrubUrl(referrer);
    if (options.includeTitle && env.document.title) attrs['stitch.page.title'] = env.document.title;
    ctx.emitEvent('browser.page_view', attrs);
  };
}
