/** An HTTP error with a message safe to show the user (bad parameters, unknown tables, missing auth). */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(readonly status: number, message: string, options?: ErrorOptions & { headers?: HeadersInit }) {
    super(message, options);
    this.headers = new Headers(options?.headers);
  }
  readonly headers: Headers;
}
