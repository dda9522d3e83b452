import type { IncomingMessage } from 'node:http';
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

/**
 * Lets a test harness see which requests got past the CORS middleware to a route handler, and add headers to the
 * handler's answer. cors-matrix passes its RouteHooks here; in production there is none.
 */
export interface HandlerProbe {
  onHandler(req: IncomingMessage): void;
  readonly responseHeaders?: Readonly<Record<string, string>>;
}

/**
 * A small notes API for the single-page app at `allowedOrigin`: its scripts may read and update notes, with cookies
 * and an Authorization header, and read the X-Request-Id of each answer. No other site may read anything.
 */
export function createApp(allowedOrigin: string, probe?: HandlerProbe): Express {
  const notes = new Map<string, string>();
  let requests = 0;
  const app = express();
  app.disable('x-powered-by');
  app.use(
    cors({
      origin: allowedOrigin,
      methods: ['GET', 'HEAD', 'PUT'],
      allowedHeaders: ['Authorization'],
      exposedHeaders: ['X-Request-Id'],
      credentials: true,
      maxAge: 600,
    }),
  );
  app.use(express.text());
  // Every route handler answers through this: it tells the probe the handler ran, and sets the probe's headers.
  const handled = (req: Request, res: Response, next: NextFunction): void => {
    probe?.onHandler(req);
    for (const [name, value] of Object.entries(probe?.responseHeaders ?? {})) res.setHeader(name, value);
    res.setHeader('X-Request-Id', String(++requests));
    next();
  };
  app.get('/api/:id', handled, (req, res) => {
    res.json({ id: req.params['id'], text: notes.get(String(req.params['id'])) ?? '' });
  });
  app.put('/api/:id', handled, (req, res) => {
    notes.set(String(req.params['id']), typeof req.body === 'string' ? req.body : '');
    res.status(204).end();
  });
  return app;
}
