/**
 * `explain` with a server policy instead of written-out answers: `{ "request": …, "policy": … }`, the policy as
 * scenarios write it (lib/model/policy.ts), per-answer rules included. The answers to the preflight and to the actual
 * request are built from it for the request's Origin, exactly as the harness's policy server builds them, then the
 * oracle explains them like any other file.
 */
import { z } from 'zod';
import { answerRuleOrder, answerStatus, corsHeaders, actualResponseExtras, hasAnswerRules, type Policy, type ResponseKind } from '../model/policy.ts';
import { originMap } from '../model/origins.ts';
import { policySchema } from '../model/scenario-schema.ts';
import { OracleInputError, type HeaderPair, type PredictInput } from '../oracle/index.ts';
import { explainFileSchema, toPredictInput } from './input.ts';

/** The harness's named origins (in `list` and `{origin:NAME}`), with stand-in ports: explain has no running servers. */
const NAMED_ORIGINS = originMap({ primary: 1080, secondary: 1081, tls: 1443, closed: 1089 });

export const explainPolicySchema = z.strictObject(
  {
    request: explainFileSchema.shape.request,
    policy: policySchema,
  },
  { error: 'must be a JSON object: { "request": …, "policy": … }, the policy as scenarios write it (short form, or per answer: "preflight", "actual", "errors")' },
);

export type ExplainPolicyFile = z.infer<typeof explainPolicySchema>;

/** A file with "policy" gives the server as a policy, not as answers. */
export function isPolicyFile(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'policy' in data;
}

/** One answer built from the policy, with which rules decided its CORS headers. */
export interface BuiltAnswer {
  readonly kind: ResponseKind;
  readonly status: number;
  readonly headers: readonly HeaderPair[];
  /** The per-answer rules that applied, most specific first (`errors` for a 400–599 status, then the kind's own), then the short form. */
  readonly rules: readonly string[];
}

function build(policy: Policy, kind: ResponseKind, origin: string): BuiltAnswer {
  const status = answerStatus(policy, kind);
  const context = { requestOrigin: origin, origins: NAMED_ORIGINS };
  const lines = [...corsHeaders(policy, kind, context, status), ...(kind === 'actual' ? actualResponseExtras(policy) : [])];
  const rules = [...answerRuleOrder(kind, status).filter((k) => policy[k] !== undefined).map((k) => `policy.${k}`), 'short form'];
  return { kind, status, headers: lines.map(({ name, value }): HeaderPair => [name, value]), rules };
}

function mutable(pairs: readonly HeaderPair[]): [string, string][] {
  return pairs.map(([name, value]): [string, string] => [name, value]);
}

/** The oracle's input and the answers it was built from. Throws {@link OracleInputError} for what a policy file cannot say here. */
export function policyPredictInput(file: ExplainPolicyFile): { readonly input: PredictInput; readonly answers: readonly BuiltAnswer[] } {
  const policy = file.policy as Policy;
  if (policy.redirects !== undefined) throw new OracleInputError('policy.redirects', 'explain builds no redirect chain from a policy: write the answers out, with "redirects" as a list of { "preflight"?, "response" }');
  const preflight = build(policy, 'preflight', file.request.origin);
  const actual = build(policy, 'actual', file.request.origin);
  const input = toPredictInput({ request: file.request, preflight: { status: preflight.status, headers: mutable(preflight.headers) }, response: { status: actual.status, headers: mutable(actual.headers) } });
  return { input, answers: [preflight, actual] };
}

/** The answers as a person reads them, above the explanation: which rule gave each its CORS headers. */
export function renderAnswers(policy: Policy, answers: readonly BuiltAnswer[]): string {
  const lines = [`The policy${hasAnswerRules(policy) ? ' (with per-answer rules)' : ''} answers this request's Origin with:`];
  for (const answer of answers) {
    const headers = answer.headers.length === 0 ? 'no CORS headers' : answer.headers.map(([n, v]) => `${n}: ${v}`).join(' | ');
    lines.push(`  ${answer.kind === 'preflight' ? 'preflight' : 'actual   '} ${answer.status}  ${headers}   (from ${answer.rules.join(', then ')})`);
  }
  return `${lines.join('\n')}\n\n`;
}
