import type { RequestHandler } from 'express';

/**
 * The one body-size limit of every route. hubspot.fetch caps bodies at 1 MB and webhook batches are ≤ 100 small
 * events; the Salesforce API takes `{}`: anything larger is not a client of ours.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The same limit in the form Express's body parsers take (they enforce it on streamed, chunked bodies). */
export const BODY_PARSER_LIMIT = MAX_BODY_BYTES;

/** Shaped like the error Express's parsers throw for the same case (status 413), so both map to one answer. */
export class PayloadTooLargeError extends Error {
  readonly status = 413;
  readonly type = 'entity.too.large';
  constructor() {
    super('request body is too large');
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * Mounted first on the app: a declared Content-Length over the limit is answered 413 before any router, parser,
 * store lookup or signature check runs, and the connection is closed rather than drained of the rest.
 */
export const rejectOversizeBodies: RequestHandler = (req, res, next) => {
  const declared = Number(req.get('content-length') ?? 0);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    res.set('connection', 'close');
    next(new PayloadTooLargeError());
    return;
  }
  next();
};
