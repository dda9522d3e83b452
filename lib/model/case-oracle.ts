import { ENGINE_DEVIATIONS } from './engine-deviations.ts';
import { ENGINE_NAMES } from '../oracle/vocabulary.ts';
import { deviationsFor, OracleInputError, predict, type HeaderPairs, type Prediction } from '../oracle/index.ts';
import { originMap, serializedOrigin, type HostedOriginName, type OriginMap, type OriginName } from './origins.ts';
import { actualResponseExtras, corsHeaders, type Policy } from './policy.ts';
import type { EngineDeviation, Expectation, OracleSummary, RequestRow } from './scenario.ts';

export type { OracleSummary } from './scenario.ts';

/** Origins with stand-in ports: the oracle only compares origins, so any distinct ports give the same answer. */
const CANONICAL_ORIGINS: OriginMap = originMap({ primary: 1080, secondary: 1081, tls: 1443, closed: 1089 });

interface CaseInput {
  readonly from: OriginName;
  readonly to: HostedOriginName;
  readonly request: RequestRow;
  readonly policy: Policy;
}

// The headers the policy server adds on its own (Express and Node), which also decide what a script can read.
function serverAddedHeaders(kind: 'preflight' | 'actual', status: number): HeaderPairs {
  const transport: HeaderPairs = [['Date', new Date(0).toUTCString()], ['Connection', 'keep-alive'], ['Keep-Alive', 'timeout=30']];
  if (kind === 'preflight' || status === 204 || status === 304) return transport;
  return [['Content-Type', 'text/plain; charset=utf-8'], ['Content-Length', '40'], ...transport];
}

/** The oracle's prediction for a case against the policy server, or the reason it cannot give one. */
export function predictCase(input: CaseInput): Prediction | OracleInputError {
  const requestOrigin = serializedOrigin(input.from, CANONICAL_ORIGINS);
  const context = { requestOrigin, origins: CANONICAL_ORIGINS };
  const line = (h: { name: string; value: string }) => [h.name, h.value] as const;
  const preflightStatus = input.policy.preflightStatus ?? 204;
  const status = input.policy.status ?? 200;
  try {
    return predict({
      request: {
        origin: requestOrigin,
        url: `${CANONICAL_ORIGINS[input.to]}/api/case`,
        method: input.request.method,
        headers: Object.entries(input.request.headers ?? {}),
        credentials: input.request.credentials ?? 'same-origin',
        mode: input.request.mode ?? 'cors',
        bodyKind: input.request.body === undefined ? 'none' : 'text',
      },
      preflight: { status: preflightStatus, headers: [...corsHeaders(input.policy, 'preflight', context).map(line), ...serverAddedHeaders('preflight', preflightStatus)] },
      response: {
        status,
        headers: [...corsHeaders(input.policy, 'actual', context).map(line), ...actualResponseExtras(input.policy).map(line), ...serverAddedHeaders('actual', status)],
      },
    });
  } catch (error) {
    if (error instanceof OracleInputError) return error;
    throw error;
  }
}

export function summarise(prediction: Prediction): OracleSummary {
  return { verdict: prediction.verdict, preflightSent: prediction.preflightSent, readableHeaders: prediction.readableHeaders, reasons: prediction.reasons };
}

/**
 * The expectation a case is held to: every field the scenario states wins; the oracle supplies the rest, and a known
 * engine deviation (lib/engine-deviations.ts) replaces the oracle's answer for that engine.
 */
export function resolveExpectation(stated: Partial<Expectation>, prediction: Prediction, policy: Policy): Expectation {
  const setByPolicy = Object.keys(policy.responseHeaders ?? {});
  const readable = setByPolicy.filter((name) => prediction.readableHeaders.includes(name.toLowerCase()));
  const hidden = setByPolicy.filter((name) => !prediction.readableHeaders.includes(name.toLowerCase()));
  const failing = prediction.steps.find((s) => s.outcome === 'fail');
  const engines: Partial<Record<(typeof ENGINE_NAMES)[number], EngineDeviation>> = { ...stated.engines };
  if (stated.verdict === undefined) {
    for (const engine of ENGINE_NAMES) {
      const [known] = deviationsFor(prediction, engine, ENGINE_DEVIATIONS);
      if (!known || engines[engine]?.verdict !== undefined) continue;
      engines[engine] = {
        ...engines[engine],
        ...(known.observed.verdict !== undefined && { verdict: known.observed.verdict }),
        because: `known engine deviation from ${known.stage} rule "${known.rule}": ${known.evidence}`,
      };
    }
  }
  const why = stated.why ?? (failing ? `oracle: ${failing.text}` : undefined);
  return {
    verdict: stated.verdict ?? prediction.verdict,
    preflight: stated.preflight ?? prediction.preflightSent,
    ...((stated.readable ?? readable).length > 0 && { readable: stated.readable ?? readable }),
    ...((stated.hidden ?? hidden).length > 0 && { hidden: stated.hidden ?? hidden }),
    ...(stated.cookies !== undefined && { cookies: stated.cookies }),
    ...(why !== undefined && { why }),
    ...(Object.keys(engines).length > 0 && { engines }),
  };
}
