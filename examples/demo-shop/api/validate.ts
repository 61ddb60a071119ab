// Request checks that answer 400 with a message saying what was wrong.
import type { Request } from 'express';
import { HttpError } from './http-error.js';

const CART_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The cart is named by the `x-cart-id` header (a random id the page keeps in localStorage). */
export function cartIdOf(req: Request): string {
  const id = req.get('x-cart-id');
  if (!id) throw new HttpError(400, 'the x-cart-id header is required');
  if (!CART_ID.test(id)) throw new HttpError(400, 'x-cart-id must be 8 to 64 letters, digits, "-" or "_"');
  return id;
}

/** The JSON body as an object (400 when it is missing, an array or a scalar). */
export function bodyOf(req: Request): Record<string, unknown> {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'expected a JSON object body');
  return body as Record<string, unknown>;
}

export function wholeNumber(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A route parameter that must be a positive id. */
export function idParam(value: string | undefined, name: string): number {
  const id = Number(value);
  if (!value || !/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1) throw new HttpError(400, `${name} must be a positive whole number`);
  return id;
}

export function text(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, `${name} is required`);
  if (value.length > maxLength) throw new HttpError(400, `${name} is too long`);
  return value.trim();
}

export function email(value: unknown): string {
  const address = text(value, 'email', 254).toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw new HttpError(400, 'email is not a valid address');
  return address;
}

/** Card number with spaces and dashes removed; 12 to 19 digits. */
export function cardNumber(value: unknown): string {
  const digits = text(value, 'cardNumber', 40).replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits)) throw new HttpError(400, 'cardNumber must be 12 to 19 digits');
  return digits;
}
