// express 5 ships no type declarations and @types/express is not installed in this repository, so
// the demo declares the small part of express it uses. Delete this file if @types/express is added.
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Request extends IncomingMessage {
    /** Route parameters (`/items/:productId` → `params.productId`). */
    params: Record<string, string>;
    /** The parsed JSON body (express.json()); `undefined` when there was none. */
    body: unknown;
    query: Record<string, unknown>;
    /** The path without the query string. */
    path: string;
    method: string;
    /** A request header, by case-insensitive name. */
    get(name: string): string | undefined;
  }

  export interface Response extends ServerResponse {
    status(code: number): this;
    json(body: unknown): this;
    set(field: string, value: string): this;
    sendStatus(code: number): this;
  }

  export type NextFunction = (error?: unknown) => void;
  export type RequestHandler = (req: Request, res: Response, next: NextFunction) => unknown;
  export type ErrorRequestHandler = (error: unknown, req: Request, res: Response, next: NextFunction) => unknown;

  interface Routes {
    use(...handlers: (RequestHandler | ErrorRequestHandler | Router)[]): this;
    use(path: string, ...handlers: (RequestHandler | Router)[]): this;
    get(path: string, ...handlers: RequestHandler[]): this;
    post(path: string, ...handlers: RequestHandler[]): this;
    delete(path: string, ...handlers: RequestHandler[]): this;
  }

  export interface Router extends Routes {
    (req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
  }

  export interface Application extends Routes {
    (req: IncomingMessage, res: ServerResponse): void;
    disable(setting: string): this;
    set(setting: string, value: unknown): this;
  }

  interface Express {
    (): Application;
    json(options?: { limit?: string | number; strict?: boolean }): RequestHandler;
    Router(): Router;
  }

  const express: Express;
  export default express;
  export function Router(): Router;
  export function json(options?: { limit?: string | number; strict?: boolean }): RequestHandler;
}
