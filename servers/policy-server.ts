import express from 'express';
import type { Ledger } from '../lib/model/ledger.ts';
import { SESSION_COOKIE_ROUTE } from '../lib/model/session-cookies.ts';
import type { OriginMap } from '../lib/model/origins.ts';
import { arrivalKind } from './arrival.ts';
import type { CaseRegistry } from './case-registry.ts';
import { writePolicyAnswer } from './policy-answers.ts';
import { NULL_FRAME_PAGE, REQUEST_KINDS_SCRIPT, RUNNER_PAGE, RUNNER_SCRIPT, answerSessionCookies } from './pages.ts';

export const API_PREFIX = '/api/';

/** The app behind every origin: the runner page, its null-origin frame, the cookie setter, and the policy-driven API. */
export function policyApp(registry: CaseRegistry, ledger: Ledger, origins: OriginMap): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  // Engines ask for a favicon; a 404 would put a stray console error beside the case's own reason.
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.get('/__cm/page', (_req, res) => void res.type('html').send(RUNNER_PAGE));
  app.get('/__cm/frame', (_req, res) => void res.type('html').send(NULL_FRAME_PAGE));
  // A sequence's steps share one URL: before each step the page says so here, so its arrivals can be told apart.
  app.get('/__cm/mark/:key/:step', (req, res) => {
    ledger.markStep(req.params.key, Number(req.params.step));
    res.status(204).end();
  });
  app.get('/__cm/runner.js', (_req, res) => void res.type('text/javascript').send(RUNNER_SCRIPT));
  app.get('/__cm/request-kinds.js', (_req, res) => void res.type('text/javascript').send(REQUEST_KINDS_SCRIPT));
  app.get(SESSION_COOKIE_ROUTE, (req, res) => answerSessionCookies(req.originalUrl, res, ledger));

  // route().all, not app.all: Express's app.all registers only Node's known methods, and an extension method (`NEW`)
  // would fall through to a 404 the policy never wrote.
  app.route(`${API_PREFIX}:key{/hop/:hop}`).all((req, res) => {
    const key = req.params.key ?? '';
    const target = registry.targetFor(key);
    const policy = target?.kind === 'policy' ? target.policy : undefined;
    if (!policy) {
      ledger.fault('server-fault', `${req.method} ${req.originalUrl} names no registered case`, key);
      res.status(404).type('text/plain').send('no such case');
      return;
    }
    try {
      writePolicyAnswer(req, res, arrivalKind(req), key, Number(req.params.hop ?? 0), policy, origins);
    } catch (error) {
      // A policy the server cannot apply is the harness's fault: it must not pass for a CORS block.
      ledger.fault('server-fault', `case ${key}: the server failed to answer: ${error instanceof Error ? error.message : String(error)}`, key);
      res.status(500).type('text/plain').send('cors-matrix server error');
    }
  });

  // The ledger entry is written by the recorder in front of this app (start-servers.ts), from what goes on the wire.
  return app;
}
