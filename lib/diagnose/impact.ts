// What a hole in the origin check lets outside origins do, from everything observed for them: which routes they read
// (with the user's session or without), and which writes reached the handler (with the session or without).
import type { RecordFacts } from './facts.ts';
import { headerValue } from '../model/headers.ts';
import { HELD_BACK_HEADER } from '../model/ledger.ts';
import { writeCarriedSession } from './rules.ts';

const SAFE = ['GET', 'HEAD'];

/** One thing an outside origin did: read a route, or send a write that reached the handler. */
export interface ImpactAct {
  readonly origin: string;
  readonly act: 'reads' | 'writes';
  readonly method: string;
  readonly route: string;
  readonly withSession: boolean;
  /** A write to a deployed API the browser sent and the proxy held back (allowWrites off): it never reached the server. */
  readonly heldBack?: boolean;
  /** The error status your server answered the write with, where its handler is not watched: it arrived, but whether it ran is not known (405: it did not). */
  readonly answeredError?: number;
}

/** The acts the records show: a read where the script read the answer, a write where it reached the handler (or, on a server not watched, was answered). */
export function impactActs(facts: readonly RecordFacts[]): ImpactAct[] {
  const acts = new Map<string, ImpactAct>();
  const add = (a: ImpactAct) => {
    const key = `${a.origin} ${a.act} ${a.method} ${a.route} ${a.withSession}`;
    // With the session beats without for the same act: drop the lesser one.
    const lesser = `${a.origin} ${a.act} ${a.method} ${a.route} false`;
    if (a.withSession) acts.delete(lesser);
    else if (acts.has(`${a.origin} ${a.act} ${a.method} ${a.route} true`)) return;
    acts.set(key, a);
  };
  for (const f of facts) {
    if (!f.outsider) continue;
    const method = f.c.request.method.toUpperCase();
    // Your own server's handler is not watched: there, the write arriving and being answered is what is known of it.
    if (!SAFE.includes(method) && (f.c.outcome.handlerRan || f.actual !== undefined)) {
      const heldBack = f.actual !== undefined && headerValue(f.actual.responseHeaders, HELD_BACK_HEADER) !== undefined;
      const answeredError = !f.c.outcome.handlerRan && f.actual !== undefined && f.actual.status >= 400 ? f.actual.status : undefined;
      add({ origin: f.c.requestOrigin, act: 'writes', method, route: f.route, withSession: writeCarriedSession(f), ...(heldBack && { heldBack }), ...(answeredError !== undefined && { answeredError }) });
    }
    if (f.measured === 'allowed') add({ origin: f.c.requestOrigin, act: 'reads', method, route: f.route, withSession: f.credentialedRead });
  }
  return [...acts.values()];
}

/** `PATCH` → `PATCHes`, `POST` → `POSTs`. */
function verb(method: string): string {
  return /[SH]$/.test(method) ? `${method}es` : `${method}s`;
}

function joined(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The impact in a sentence per origin: "https://evil.test reads /todos and PATCHes /todos/1 with the user's session". */
export function describeImpact(acts: readonly ImpactAct[]): string {
  const origins = [...new Set(acts.map((a) => a.origin))];
  return origins
    .map((origin) => {
      const mine = acts.filter((a) => a.origin === origin);
      const phrase = (withSession: boolean) => {
        const routesOf = (pred: (a: ImpactAct) => boolean) => [...new Set(mine.filter((a) => a.withSession === withSession && pred(a)).map((a) => a.route))];
        const reads = routesOf((a) => a.act === 'reads' && SAFE.includes(a.method));
        const writes = [...new Set(mine.filter((a) => a.withSession === withSession && a.act === 'writes').map((a) => a.method))].map((m) => {
          const these = mine.filter((a) => a.withSession === withSession && a.act === 'writes' && a.method === m);
          // A deployed API's writes are held back: the browser sent them, and the server would have run them.
          const held = these.every((a) => a.heldBack === true) ? ' (sent by the browser; held back here, so your server did not run it)' : '';
          const routes = joined(routesOf((a) => a.act === 'writes' && a.method === m));
          // Your server answered every one of them with an error: the write arrived, and whether it ran is not known.
          const errors = [...new Set(these.map((a) => a.answeredError))];
          if (!held && errors.every((e) => e !== undefined)) return `gets ${m} ${routes} to your server (answered ${errors.join(', ')}, so it may not have run)`;
          return `${verb(m)} ${routes}${held}`;
        });
        const parts = [...(reads.length ? [`reads ${joined(reads)}`] : []), ...writes];
        return parts.length ? `${joined(parts)} ${withSession ? "with the user's session" : 'without a session'}` : '';
      };
      return `${origin} ${[phrase(true), phrase(false)].filter(Boolean).join(', and ')}`;
    })
    .join('; ');
}

/** Whether any act carried the user's session: such a hole ranks with credentialed reads. */
export function withSession(acts: readonly ImpactAct[]): boolean {
  return acts.some((a) => a.withSession);
}
