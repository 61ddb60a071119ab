// A pretend payment provider with the failure modes the demo needs: random declines, random
// slowness, and Stripe-style test cards that behave the same every time.
import { SpanStatusCode, trace } from '@opentelemetry/api';

/** Always declined: the deterministic trigger for tests and demos. */
export const DECLINED_CARD = '4000000000000002';
/** Never declined (only slow when the slow rate says so). */
export const GOOD_CARD = '4242424242424242';

export interface PaymentKnobs {
  failureRate: number;
  slowRate: number;
  slowMs: number;
  random: () => number;
}

export type PaymentResult = { approved: true } | { approved: false; reason: 'test_card' | 'random_decline' };

const tracer = trace.getTracer('demo-shop-api');

/** Authorises `amountCents` on `cardNumber` (digits only). A manual span, so the trace shows where the time and the decline came from. */
export async function authorizePayment(cardNumber: string, amountCents: number, knobs: PaymentKnobs): Promise<PaymentResult> {
  const attributes = { 'shop.payment.amount_cents': amountCents, 'shop.payment.card_last4': cardNumber.slice(-4) };
  return tracer.startActiveSpan('payment.authorize', { attributes }, async (span) => {
    try {
      const slow = knobs.random() < knobs.slowRate;
      span.setAttribute('shop.payment.slow', slow);
      if (slow) await new Promise((resolve) => setTimeout(resolve, knobs.slowMs));
      const result = decide(cardNumber, knobs);
      span.setAttribute('shop.payment.outcome', result.approved ? 'approved' : 'declined');
      if (!result.approved) {
        span.setAttribute('shop.payment.decline_reason', result.reason);
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
      }
      return result;
    } finally {
      span.end();
    }
  });
}

function decide(cardNumber: string, knobs: PaymentKnobs): PaymentResult {
  if (cardNumber === DECLINED_CARD) return { approved: false, reason: 'test_card' };
  if (cardNumber === GOOD_CARD) return { approved: true };
  return knobs.random() < knobs.failureRate ? { approved: false, reason: 'random_decline' } : { approved: true };
}
