// A tiny element builder: text goes in as text nodes, so nothing from the API is parsed as HTML.

type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | boolean> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return element;
}

export function mount(...children: Child[]): void {
  const main = document.getElementById('content')!;
  main.replaceChildren();
  for (const child of children) if (child !== null && child !== undefined && child !== false) main.append(typeof child === 'object' ? child : String(child));
}

export function formatPrice(cents: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

export function showError(message: string): void {
  const banner = document.querySelector<HTMLElement>('[data-testid="error-banner"]')!;
  banner.textContent = message;
  banner.hidden = false;
}

export function clearError(): void {
  const banner = document.querySelector<HTMLElement>('[data-testid="error-banner"]')!;
  banner.textContent = '';
  banner.hidden = true;
}

export function showNotice(message: string): void {
  const notice = document.querySelector<HTMLElement>('[data-testid="notice"]')!;
  notice.textContent = message;
  notice.hidden = false;
}
