export interface PageViewOptions {
  /** Add `stitch.page.title` (document.title). Off by default: titles can hold personal data. */
  includeTitle: boolean;
}

export const defaultPageViewOptions: PageViewOptions = { includeTitle: false };

export function pageViewOptions(options: Record<string, unknown>): PageViewOptions {
  return { ...defaultPageViewOptions, ...(options as Partial<PageViewOptions>) };
}
