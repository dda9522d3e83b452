/** Diagnosis: failures and findings grouped by root cause, ranked by severity, each with a response-header fix the oracle has checked. */
export { causeOfRecord, diagnose, type Cause, type CauseCase, type DiagnosableRecord } from './diagnose.ts';
export { checkFix, type CauseCheck } from './fix-check.ts';
export { CAUSE_RULES, type CauseKind, type CauseRule } from './rules.ts';
export { originClass, type OriginClass } from './origin-class.ts';
export { SEVERITIES, type Severity } from './severity.ts';
export { applyFix, describeFix, type AnswerLines, type FixStage, type FixTarget, type HeaderFix } from './fixes.ts';
