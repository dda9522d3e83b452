/** A recorded request in words, in the shape a failing matrix case prints: what was sent, the wire, the engine, the cause and the checked fix. */
import type { EngineInfo } from '../measure/engines/engine.ts';
import type { CorsRequestRecord, WireAnswer } from './record.ts';
import { CORS_HEADER } from './record.ts';

const WIDTH = 240;

function clip(text: string, width = WIDTH): string {
  const line = oneLine(text);
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** A text on one line, whole: what a failing test prints of a blocked request is never cut. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trimEnd();
}

/** How the page made the request: its own call's modes, or what was assumed where no call was seen. */
function requestLine(record: CorsRequestRecord): string {
  const call = record.pageCall;
  if (!call) return `credentials ${record.credentials.mode} (${record.credentials.from})`;
  const headers = call.headers.length ? `, headers ${call.headers.map(([n]) => n).join(', ')}` : '';
  return `credentials ${call.credentials}, mode ${call.mode}, redirect ${call.redirect}${headers} (${record.credentials.from})`;
}

function answerLine(answer: WireAnswer | undefined): string {
  if (!answer) return 'no answer';
  const cors = answer.headers.filter((h) => CORS_HEADER.test(h.name));
  return `${answer.status} ${cors.map((h) => `${h.name}: ${h.value}`).join(' | ') || '(no CORS headers)'}`;
}

export function verdictWords(record: CorsRequestRecord): string {
  switch (record.verdict) {
    case 'allowed':
      return 'allowed';
    case 'blocked-at-preflight':
      return 'blocked by CORS at the preflight';
    case 'blocked-at-response':
      return 'blocked by CORS at the response';
    case 'blocked':
      return 'blocked by CORS (stage not seen on the wire)';
    case 'not-cors':
      return 'not a CORS request';
    case 'failed':
      return 'failed, not for CORS';
    case 'pending':
      return 'still in flight';
    case 'harness-error':
      return 'not measured (harness error, not a CORS result)';
  }
}

/** An engine as a record names it: `webkit (WebKitGTK 2.50.6)`, `chromium (Chromium 156.0.8078.79)`. */
export function engineLabel(engine: EngineInfo, replayed = false): string {
  const build =
    engine.name === 'webkit'
      ? engine.protocol === 'webdriver-classic' && engine.build !== 'remote' ? 'WebKitGTK' : engine.build === 'remote' ? 'WebKit over WebDriver' : "Playwright's WebKit"
      : engine.name === 'chromium'
        ? 'Chromium'
        : 'Firefox';
  return `${engine.name} (${build} ${engine.version}${replayed ? ', replayed' : ''})`;
}

/** One line per request, for lists. */
export function recordLine(record: CorsRequestRecord): string {
  return clip(`${record.method} ${record.url} (${record.initiator}) → ${verdictWords(record)}${record.preflight.sent ? ', preflight sent' : ''}`);
}

/** The whole record, about a dozen lines. */
export function describeRequest(record: CorsRequestRecord): string {
  const wire = record.routed
    ? [
        record.preflight.sent
          ? `preflight OPTIONS ACRM=${record.preflight.requestMethod ?? '?'}${record.preflight.requestHeaders?.length ? ` ACRH=${record.preflight.requestHeaders.join(',')}` : ''} → ${answerLine(record.preflight.answer)}`
          : 'preflight not sent',
        record.response ? `actual    ${record.method} → ${answerLine(record.response)}` : `actual    ${record.method} → ${record.verdict === 'blocked-at-preflight' ? 'never sent (the preflight failed)' : 'not seen'}`,
      ]
    : [`(not routed: ${record.preflight.unknown ?? 'origin not in corsOptions.apiOrigins'})${record.response ? `; the engine reported ${answerLine(record.response)}` : ''}`];
  return [
    `${record.method} ${record.url} — ${record.initiator} from ${record.pageOrigin || '(unknown origin)'}${record.replayed ? ` — in ${engineLabel(record.replayed.engine, true)}` : ''}`,
    ...(record.replayed
      ? [
          `  replayed: the request ${record.replayed.from} recorded, sent again by the matrix's page runner (${record.replayed.kind}) from the same page origin to the same URL`,
          ...(record.replayed.bodyStandIn ? [`            ${clip(`${record.replayed.bodyStandIn.why}: ${JSON.stringify(record.replayed.bodyStandIn.sent)} was sent in its place (CORS reads no body; your handler does)`)}`] : []),
        ]
      : []),
    `  verdict:  ${verdictWords(record)}${record.note ? ` — ${oneLine(record.note)}` : ''}`,
    `  request:  ${requestLine(record)}`,
    ...wire.map((line, i) => `  ${i === 0 ? 'wire:    ' : '         '} ${oneLine(line)}`),
    `  engine's reason: ${record.engineReason ? oneLine(record.engineReason) : record.engineError ? `(no CORS reason; load error ${record.engineError})` : '(none)'}`,
    ...(record.explanation ? [`  oracle on the recorded answers: ${oneLine(record.explanation)}`] : []),
    ...(record.cause ? [`  cause:    ${oneLine(record.cause.summary)}`, ...(record.cause.fix ? [`  fix:      ${oneLine(record.cause.fix)}${record.cause.fixChecked === undefined ? '' : record.cause.fixChecked ? ' (checked by the oracle ✓)' : ' (oracle check ✗)'}`] : [])] : []),
    ...(record.readableHeaders.length ? [`  readable: ${record.readableHeaders.join(', ')}`] : []),
  ].join('\n');
}
