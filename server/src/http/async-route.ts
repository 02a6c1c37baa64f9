import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** What a route returns: the status and the JSON body, or a redirect. */
export type RouteResult = { status: number; body: unknown } | { redirect: string };

export type RouteHandler = (req: Request, res: Response) => Promise<RouteResult> | RouteResult;

/**
 * The one way routes are written: a handler returns its result or throws a typed error, and every error
 * (sync or async) reaches the router's error handler, which maps it to a status in one place
 * (error-handler.ts). Routes never write error responses themselves.
 */
export function asyncRoute(handler: RouteHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .then((result) => {
        if ('redirect' in result) res.redirect(302, result.redirect);
        else res.status(result.status).json(result.body);
      }, next);
  };
}
