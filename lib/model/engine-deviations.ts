import type { OracleDeviation } from '../oracle/index.ts';

/**
 * Where real engines depart from the Fetch Standard, declared once, per engine, with the evidence. The oracle keeps
 * following the standard; a case whose prediction passes through one of these rules expects the engine's behaviour
 * instead, and the run reports it as a known deviation rather than a failure.
 */
export const ENGINE_DEVIATIONS: readonly OracleDeviation[] = [
  {
    engine: 'chromium',
    stage: 'preflight',
    rule: 'authorization-not-covered-by-wildcard',
    observed: { verdict: 'allowed', reachedServer: true },
    evidence: 'measured on Chromium 156.0.8078.79 (scenario "preflight", GET [Authorization] with Allow-Headers "*"): the actual request is sent and readable; Chromium only logs a deprecation warning',
  },
  {
    engine: 'firefox',
    stage: 'preflight',
    rule: 'authorization-not-covered-by-wildcard',
    observed: { verdict: 'allowed', reachedServer: true },
    evidence: 'measured on Firefox 153.7.0esr: the pref network.cors_preflight.authorization_covered_by_wildcard is true by default, so "*" covers Authorization',
  },
  {
    engine: 'webkit',
    stage: 'preflight',
    rule: 'authorization-not-covered-by-wildcard',
    observed: { verdict: 'allowed', reachedServer: true },
    evidence: 'measured on WebKitGTK 2.50.6: "*" in Access-Control-Allow-Headers covers Authorization',
  },
];
