// One shopper's visit, driven through the real pages by their data-testid hooks: browse, add to
// cart, maybe sign in (or fail to), check out with a good, a declining or an ordinary card.
import type { Page } from 'playwright-core';
import type { Random } from './prng.js';

export const CARDS = {
  /** Always accepted. */
  good: '4242 4242 4242 4242',
  /** Always declined. */
  declined: '4000 0000 0000 0002',
  /** Declined at the API's random failure rate. */
  ordinary: '5555 5555 5555 4444',
} as const;

export interface JourneyOutcome {
  /** Steps taken, for the progress log: "list → product 3 → add → cart → checkout: paid". */
  steps: string[];
  login: 'none' | 'ok' | 'failed';
  checkout: 'none' | 'paid' | 'declined' | 'failed';
  /** Orders placed (a declined shopper may retry with the good card). */
  orders: number;
}

const PAGE_TIMEOUT_MS = 15_000;

/** Waits for the app to have rendered the page it is on (the bundle sets body[data-ready]). */
async function rendered(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { timeout: PAGE_TIMEOUT_MS });
}

async function pause(page: Page, random: Random): Promise<void> {
  await page.waitForTimeout(random.between(150, 700)); // a person reads before the next click
}

async function navigate(page: Page, click: () => Promise<void>): Promise<void> {
  await Promise.all([page.waitForEvent('load', { timeout: PAGE_TIMEOUT_MS }), click()]);
  await rendered(page);
}

async function signIn(page: Page, random: Random, outcome: JourneyOutcome): Promise<void> {
  await navigate(page, () => page.click('[data-testid="login-link"]'));
  const typo = random.chance(0.3);
  await page.fill('[data-testid="email"]', 'demo@shop.example');
  await page.fill('[data-testid="password"]', typo ? 'dmeo' : 'demo');
  await page.click('[data-testid="login-submit"]');
  await page.waitForSelector('[data-testid="login-result"]:not([hidden]), [data-testid="error-banner"]:not([hidden])', { timeout: PAGE_TIMEOUT_MS });
  outcome.login = typo ? 'failed' : 'ok';
  outcome.steps.push(typo ? 'login failed' : 'login');
  if (typo && random.chance(0.7)) {
    await pause(page, random);
    await page.fill('[data-testid="password"]', 'demo');
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="login-result"]:not([hidden])', { timeout: PAGE_TIMEOUT_MS });
    outcome.login = 'ok';
    outcome.steps.push('login');
  }
  await pause(page, random);
  await navigate(page, () => page.click('a.brand'));
}

async function addRandomProduct(page: Page, random: Random, outcome: JourneyOutcome): Promise<void> {
  const links = await page.locator('[data-testid="product-link"]').all();
  const link = random.pick(links);
  const id = await link.getAttribute('data-product-id');
  await navigate(page, () => link.click());
  outcome.steps.push(`product ${id}`);
  await pause(page, random);
  if (await page.isDisabled('[data-testid="add-to-cart"]')) {
    outcome.steps.push('sold out');
    return;
  }
  if (random.chance(0.25)) await page.selectOption('[data-testid="quantity"]', String(random.between(2, 3)));
  await page.click('[data-testid="add-to-cart"]');
  await page.waitForSelector('[data-testid="notice"]:not([hidden]), [data-testid="error-banner"]:not([hidden])', { timeout: PAGE_TIMEOUT_MS });
  outcome.steps.push('add');
}

async function payWith(page: Page, card: string): Promise<'paid' | 'declined' | 'failed'> {
  await page.fill('[data-testid="card-number"]', card);
  await page.click('[data-testid="checkout-submit"]');
  const shown = await page.waitForSelector('[data-testid="order-result"]:not([hidden]), [data-testid="error-banner"]:not([hidden])', { timeout: PAGE_TIMEOUT_MS });
  if ((await shown.getAttribute('data-testid')) === 'order-result') return 'paid';
  return /declined/i.test((await shown.textContent()) ?? '') ? 'declined' : 'failed';
}

async function checkOut(page: Page, random: Random, outcome: JourneyOutcome): Promise<void> {
  await navigate(page, () => page.click('[data-testid="checkout-link"]'));
  outcome.steps.push('checkout');
  const email = page.locator('[data-testid="email"]');
  if ((await email.inputValue()) === '') await email.fill(`shopper${random.between(1, 999)}@example.com`);
  await pause(page, random);
  const roll = random.next();
  const card = roll < 0.55 ? CARDS.good : roll < 0.8 ? CARDS.ordinary : CARDS.declined;
  let result = await payWith(page, card);
  outcome.steps.push(result);
  if (result === 'paid') outcome.orders++;
  if (result === 'declined' && random.chance(0.5)) {
    await pause(page, random);
    result = await payWith(page, CARDS.good);
    outcome.steps.push(`retry: ${result}`);
    if (result === 'paid') outcome.orders++;
  }
  outcome.checkout = result;
}

export async function walkJourney(page: Page, frontendUrl: string, random: Random): Promise<JourneyOutcome> {
  const outcome: JourneyOutcome = { steps: ['list'], login: 'none', checkout: 'none', orders: 0 };
  page.setDefaultTimeout(PAGE_TIMEOUT_MS); // a step that cannot happen fails the session, not the run
  await page.goto(frontendUrl);
  await rendered(page);
  await pause(page, random);
  if (random.chance(0.3)) await signIn(page, random, outcome);

  await addRandomProduct(page, random, outcome);
  const more = random.chance(0.5) ? random.between(1, 2) : 0;
  for (let i = 0; i < more; i++) {
    await pause(page, random);
    await navigate(page, () => page.click('.crumbs a'));
    await addRandomProduct(page, random, outcome);
  }

  await pause(page, random);
  await navigate(page, () => page.click('[data-testid="cart-link"]'));
  outcome.steps.push('cart');
  const lines = await page.locator('[data-testid="remove-item"]').count();
  if (lines > 1 && random.chance(0.2)) {
    await page.locator('[data-testid="remove-item"]').first().click();
    await page.waitForFunction((before) => document.querySelectorAll('[data-testid="remove-item"]').length < before, lines);
    outcome.steps.push('remove');
  }

  await pause(page, random);
  const canCheckOut = (await page.locator('[data-testid="checkout-link"]').count()) > 0;
  if (canCheckOut && random.chance(0.85)) await checkOut(page, random, outcome);
  else outcome.steps.push('left');
  return outcome;
}
