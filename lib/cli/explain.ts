/** `cors-matrix explain FILE.json`: read a request (or a timed sequence of them) and the server's answers, predict with the oracle, print why. */
import { readFile } from 'node:fs/promises';
import { OracleInputError, predict, predictSequence } from '../oracle/index.ts';
import { renderHuman, renderSequenceHuman, toExplainJson, toExplainSequenceJson } from './format.ts';
import { explainPolicySchema, isPolicyFile, policyPredictInput, renderAnswers } from './explain-policy.ts';
import type { Policy } from '../model/policy.ts';
import { describeIssues, explainFileSchema, explainSequenceSchema, isSequenceFile, toPredictInput, toSequence } from './input.ts';

export interface ExplainIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<string>;
}

export { EXIT_OK, EXIT_INTERNAL, EXIT_USAGE_OR_INPUT } from './exit-codes.ts';
import { EXIT_OK, EXIT_USAGE_OR_INPUT } from './exit-codes.ts';

export const defaultExplainIO: ExplainIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
};

function inputError(file: string, problems: readonly string[], io: ExplainIO): number {
  io.stderr(`cors-matrix explain: ${file}: invalid input (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}\n`).join('')}`);
  return EXIT_USAGE_OR_INPUT;
}

export async function explain(file: string, options: { readonly json: boolean }, io: ExplainIO = defaultExplainIO): Promise<number> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(`cors-matrix explain: ${file}: cannot read the file: ${reason}\n`);
    return EXIT_USAGE_OR_INPUT;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(`cors-matrix explain: ${file}: not valid JSON: ${reason}\n`);
    return EXIT_USAGE_OR_INPUT;
  }
  try {
    if (isSequenceFile(data)) {
      const parsed = explainSequenceSchema.safeParse(data);
      if (!parsed.success) return inputError(file, describeIssues(parsed.error.issues), io);
      const { steps, options: sequenceOptions } = toSequence(parsed.data);
      const predictions = predictSequence(steps, sequenceOptions);
      io.stdout(options.json ? `${JSON.stringify(toExplainSequenceJson(steps, predictions), null, 2)}\n` : renderSequenceHuman(steps, predictions));
      return EXIT_OK;
    }
    if (isPolicyFile(data)) {
      const parsed = explainPolicySchema.safeParse(data);
      if (!parsed.success) return inputError(file, describeIssues(parsed.error.issues), io);
      const { input, answers } = policyPredictInput(parsed.data);
      const prediction = predict(input);
      io.stdout(options.json ? `${JSON.stringify({ ...toExplainJson(prediction), answers }, null, 2)}\n` : `${renderAnswers(parsed.data.policy as Policy, answers)}${renderHuman(prediction)}`);
      return EXIT_OK;
    }
    const parsed = explainFileSchema.safeParse(data);
    if (!parsed.success) return inputError(file, describeIssues(parsed.error.issues), io);
    const prediction = predict(toPredictInput(parsed.data));
    io.stdout(options.json ? `${JSON.stringify(toExplainJson(prediction), null, 2)}\n` : renderHuman(prediction));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof OracleInputError) return inputError(file, [error.message], io);
    throw error;
  }
}
