/**
 * The diagnosis as SARIF 2.1.0, the format code-scanning dashboards import from security scanners: one result per
 * root cause, its severity as the level, cause and fix as the message, the scanned URL and route as the location.
 */
import { CAUSE_RULES, type Cause, type CauseKind, type Severity } from '../diagnose/index.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What a dashboard shows first: anything an outsider gets is an error, intent not met a warning, hygiene a note. */
const LEVELS: Readonly<Record<Severity, SarifLevel>> = {
  'outsider-reads-with-credentials': 'error',
  'outsider-write-reaches-handler': 'error',
  'outsider-reads': 'error',
  'intended-blocked': 'warning',
  'more-than-intended': 'warning',
  'cache-hygiene': 'note',
  unexplained: 'note',
};

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifTool {
  readonly name: string;
  readonly version: string;
  readonly informationUri: string;
}

interface SarifMessage {
  readonly text: string;
}

export interface SarifResult {
  readonly ruleId: CauseKind;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly {
    readonly physicalLocation: { readonly artifactLocation: { readonly uri: string } };
    readonly logicalLocations: readonly { readonly name: string; readonly fullyQualifiedName: string; readonly kind: string }[];
  }[];
  readonly properties: { readonly severity: Severity; readonly engines: readonly string[]; readonly cases: number; readonly declared: boolean };
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly {
    readonly tool: { readonly driver: SarifTool & { readonly rules: readonly { readonly id: CauseKind; readonly name: string; readonly shortDescription: SarifMessage }[] } };
    readonly results: readonly SarifResult[];
  }[];
}

/** `origin-accepted` → `OriginAccepted`: SARIF's rule name is an identifier-like word. */
function ruleName(kind: CauseKind): string {
  return kind.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}

/** The route's full URL on the scanned origin: the location a dashboard links to. */
function routeUrl(scanned: URL, route: string): string {
  return new URL(route, scanned.origin).href;
}

/** One SARIF log for one scan: `url` is the URL scanned (its origin carries the routes of the causes). */
export function toSarif(causes: readonly Cause[], url: string, tool: SarifTool): SarifLog {
  const kinds = [...new Set(causes.map((c) => c.kind))];
  const rules = kinds.map((kind) => ({ id: kind, name: ruleName(kind), shortDescription: { text: CAUSE_RULES.find((r) => r.kind === kind)?.when ?? kind.replace(/-/g, ' ') } }));
  const scanned = new URL(url);
  const results = causes.map((cause): SarifResult => {
    const routes = cause.routes.length > 0 ? cause.routes : [scanned.pathname];
    const sentences = [cause.summary, cause.impact && `Impact: ${cause.impact}`, cause.fix ? `Fix: ${cause.fix}` : 'No header fix was found'].filter((t): t is string => Boolean(t));
    return {
      ruleId: cause.kind,
      ruleIndex: kinds.indexOf(cause.kind),
      level: LEVELS[cause.severity],
      message: { text: sentences.map((t) => (/[.!?]$/.test(t) ? t : `${t}.`)).join(' ') },
      locations: routes.map((route) => ({
        physicalLocation: { artifactLocation: { uri: routeUrl(scanned, route) } },
        logicalLocations: [{ name: route, fullyQualifiedName: `${scanned.origin}${route}`, kind: 'resource' }],
      })),
      properties: { severity: cause.severity, engines: cause.engines, cases: cause.cases.length, declared: cause.declared },
    };
  });
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [{ tool: { driver: { ...tool, rules } }, results }] };
}
