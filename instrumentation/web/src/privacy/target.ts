/** Text is read only from these, trimmed to this many characters. */
const TEXT_TAGS = ['button', 'a', 'summary', 'label', 'option'];
const TEXT_ROLES = ['button', 'link', 'menuitem', 'tab', 'option'];
const NEVER_TEXT = ['input', 'textarea', 'select'];
const MAX_TEXT = 30;

/** The subset of Element this module reads (lets tests pass a plain object). */
export interface DescribableElement {
  tagName: string;
  id?: string;
  getAttribute(name: string): string | null;
  textContent?: string | null;
  isContentEditable?: boolean;
  closest?(selector: string): unknown;
  parentElement?: DescribableElement | null;
}

function masked(el: DescribableElement): boolean {
  if (el.closest) return !!el.closest('[data-stitch-mask]');
  for (let e: DescribableElement | null | undefined = el; e; e = e.parentElement) {
    if (e.getAttribute('data-stitch-mask') !== null) return true;
  }
  return false;
}

/**
 * A stable, value-free description of an element, CSS-selector-like:
 * `button#buy[role=button][name="Add to cart"] "Add to cart"`.
 * Never reads input values; text only from buttons/links (30 chars max), never from inside a
 * `data-stitch-mask` subtree or contenteditable; input `type` is included but not its value.
 */
export function describeTarget(element: DescribableElement): string {
  const tag = (element.tagName || '?').toLowerCase();
  let out = tag;
  if (element.id) out += `#${element.id}`;
  const role = element.getAttribute('role');
  if (role) out += `[role=${role}]`;
  if (tag === 'input') {
    const type = element.getAttribute('type');
    if (type) out += `[type=${type}]`;
  }
  const name = element.getAttribute('data-stitch-name') ?? element.getAttribute('data-testid');
  if (name) out += `[name="${name.slice(0, 60)}"]`;
  const isMasked = masked(element);
  const aria = element.getAttribute('aria-label');
  if (aria && !isMasked) out += `[aria-label="${aria.trim().slice(0, MAX_TEXT)}"]`;
  if (!isMasked && !NEVER_TEXT.includes(tag) && !element.isContentEditable &&
      (TEXT_TAGS.includes(tag) || (role !== null && TEXT_ROLES.includes(role)))) {
    const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
    if (text) out += ` "${text}"`;
  }
  return out;
}
