/** What a click is "on": the nearest interactive ancestor of the clicked node, else the node itself. */
const INTERACTIVE = 'a,button,input,select,textarea,label,summary,[role],[onclick],[data-action],[data-testid]';

/** The element an action describes, from the event's real (shadow-DOM-aware) target. */
export function actionTarget(event: Event): Element | undefined {
  const node = (event.composedPath?.()[0] ?? event.target) as Partial<Element> | null;
  if (!node || typeof node.closest !== 'function') return undefined;
  const el = node as Element;
  return event.type === 'click' ? (el.closest(INTERACTIVE) ?? el) : el;
}
