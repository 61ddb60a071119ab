/**
 * Matches an Origin against one `cors.allowed_origins` entry, as the Go collector does;
 * `*` stands for any run of characters. Shared by the otlp receiver and the sessions API.
 */
export function originPattern(pattern: string): (origin: string) => boolean {
  if (pattern === '*') return () => true;
  const lower = pattern.toLowerCase();
  if (!lower.includes('*')) return (origin) => origin.toLowerCase() === lower;
  const source = lower
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (origin) => regex.test(origin.toLowerCase());
}
