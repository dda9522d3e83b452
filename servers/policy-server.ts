import express, { type Request, type Response } from 'express';
import type { Ledger } from '../lib/model/ledger.ts';
import type { OriginMap } from '../lib/model/origins.ts';
import { actualResponseExtras, corsHeaders, groupHeaderLines, type HeaderLine, type Policy } from '../lib/model/policy.ts';
import { arrival } from './arrival.ts';
import type { CaseRegistry } from './case-registry.ts';
import { HARNESS_COOKIES, NULL_FRAME_PAGE, RUNNER_PAGE, RUNNER_SCRIPT } from './pages.ts';

export const API_PREFIX = '/api/';

function writeHeaders(res: Response, lines: readonly HeaderLine[]): void {
  for (const [name, values] of groupHeaderLines(lines)) res.setHeader(name, values.length === 1 ? (values[0] ?? '') : values);
}

/** The app behind every origin: the runner page, its null-origin frame, the cookie setter, and the policy-driven API. */
export function policyApp(registry: CaseRegistry, ledger: Ledger, origins: OriginMap): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  // Engines ask for a favicon; a 404 would put a stray console error beside the case's own reason.
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.get('/__cm/page', (_req, res) => void res.type('html').send(RUNNER_PAGE));
  app.get('/__cm/frame', (_req, res) => void res.type('html').send(NULL_FRAME_PAGE));
  app.get('/__cm/runner.js', (_req, res) => void res.type('text/javascript').send(RUNNER_SCRIPT));
  app.get('/__cm/set-cookies', (_req, res) => {
    res.setHeader('Set-Cookie', [...HARNESS_COOKIES]);
    res.type('html').send('<!doctype html><title>cookies set</title>');
  });

  app.all(`${API_PREFIX}:key`, (req, res) => {
    const key = req.params.key ?? '';
    const at = Date.now();
    const target = registry.targetFor(key);
    const policy = target?.kind === 'policy' ? target.policy : undefined;
    if (!policy) {
      ledger.fault(`${req.method} ${req.originalUrl} names no registered case`, at);
      res.status(404).type('text/plain').send('no such case');
      return;
    }
    try {
      answer(req, res, key, policy, at);
    } catch (error) {
      // A policy the server cannot apply is the harness's fault: it must not pass for a CORS block.
      ledger.fault(`case ${key}: the server failed to answer: ${error instanceof Error ? error.message : String(error)}`, at);
      res.status(500).type('text/plain').send('cors-matrix server error');
    }
  });

  function answer(req: Request, res: Response, key: string, policy: Policy, at: number): void {
    const arrived = { ...arrival(req), at };
    const { kind } = arrived;
    const lines = corsHeaders(policy, kind, { requestOrigin: arrived.origin, origins });
    if (kind === 'actual') lines.push(...actualResponseExtras(policy));
    const status = kind === 'preflight' ? (policy.preflightStatus ?? 204) : (policy.status ?? 200);
    ledger.record(key, { ...arrived, handlerRan: kind === 'actual', status, responseHeaders: lines });
    writeHeaders(res, lines);
    res.status(status);
    if (kind === 'preflight' || status === 204 || status === 304) res.end();
    else res.type('text/plain').send(`cors-matrix case ${key}`);
  }

  return app;
}
