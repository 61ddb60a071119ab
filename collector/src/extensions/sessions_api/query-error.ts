/** A bad request parameter; the API answers 400 `{ error, parameter }`. */
export class QueryParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryParameterError';
  }
}
