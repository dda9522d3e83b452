/** Diagnosis: failures and findings grouped by root cause, each with a response-header fix the oracle has checked. */
export { causeOfRecord, checkFix, describeCause, diagnose, originClass, type Cause, type CauseCase, type CauseCheck, type CauseKind, type DiagnosableRecord } from './diagnose.ts';
export { applyFix, describeFix, type AnswerLines, type FixStage, type FixTarget, type HeaderFix } from './fixes.ts';
