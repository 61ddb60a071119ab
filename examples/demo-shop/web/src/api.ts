// The shop API client: JSON in and out, the cart id on every call, errors as ApiError.
import { cartId } from './cart-id.js';

export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the API could not be reached. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Product {
  id: number;
  name: string;
  description: string;
  priceCents: number;
  image: string;
  stock: number;
}

export interface CartLine {
  productId: number;
  name: string;
  image: string;
  priceCents: number;
  quantity: number;
  lineTotalCents: number;
}

export interface Cart {
  id: string;
  items: CartLine[];
  count: number;
  totalCents: number;
}

export interface Order {
  id: number;
  email: string;
  totalCents: number;
  itemCount: number;
}

export interface ShopApi {
  products(): Promise<Product[]>;
  product(id: string): Promise<Product>;
  cart(): Promise<Cart>;
  addToCart(productId: number, quantity: number): Promise<Cart>;
  removeFromCart(productId: number): Promise<Cart>;
  checkout(cardNumber: string, email: string): Promise<Order>;
  login(email: string, password: string): Promise<{ id: number; email: string; name: string }>;
}

export function shopApi(apiUrl: string): ShopApi {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${apiUrl}/api${path}`, {
        method,
        headers: { accept: 'application/json', 'x-cart-id': cartId(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError(0, 'The shop cannot be reached right now. Please try again.');
    }
    const payload = (await response.json().catch(() => ({}))) as { error?: string } & Record<string, unknown>;
    if (!response.ok) throw new ApiError(response.status, payload.error ?? `request failed (HTTP ${response.status})`);
    return payload as T;
  }
  return {
    products: async () => (await call<{ products: Product[] }>('GET', '/products')).products,
    product: async (id) => (await call<{ product: Product }>('GET', `/products/${encodeURIComponent(id)}`)).product,
    cart: async () => (await call<{ cart: Cart }>('GET', '/cart')).cart,
    addToCart: async (productId, quantity) => (await call<{ cart: Cart }>('POST', '/cart/items', { productId, quantity })).cart,
    removeFromCart: async (productId) => (await call<{ cart: Cart }>('DELETE', `/cart/items/${productId}`)).cart,
    checkout: async (cardNumber, email) => (await call<{ order: Order }>('POST', '/checkout', { cardNumber, email })).order,
    login: async (email, password) => (await call<{ user: { id: number; email: string; name: string } }>('POST', '/login', { email, password })).user,
  };
}
