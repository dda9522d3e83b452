/**
 * Where each HTTP/1.1 message of one direction of a connection begins and ends, read from its bytes as they pass.
 *
 * Written here rather than taken from a parser library: llhttp (Node's) and http-parser-js, the maintained
 * replacement, both refuse any method outside a fixed list (`patcH`, `NEW`), which the Fetch Standard lets a script
 * send and the engines do, and both hand back headers reworked (joined, trimmed) where the ledger keeps the lines
 * exactly as sent. Only framing is needed: a head ends at the empty line; a body is as long as its Content-Length
 * says, or chunked, or (a response without either) runs to the connection's end.
 */

const HEAD_END = Buffer.from('\r\n\r\n');

/** How the bytes after a head are framed, as the head (and, for a response, its request) says. */
export type Framing =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  /** A response with neither Content-Length nor chunking: its body ends with the connection. */
  | { readonly kind: 'until-close' }
  /** No more HTTP on this connection (a protocol switch, a tunnel): every later byte is passed as it is. */
  | { readonly kind: 'raw' };

type BodyState =
  | { kind: 'head' }
  | { kind: 'length'; left: number }
  | { kind: 'chunked'; state: 'size' | 'data' | 'data-end' | 'trailer'; left: number }
  | { kind: 'until-close' }
  | { kind: 'raw' };

/** A head's header lines (the lines after its first), as written. */
export function headerLinesOf(head: string): string[] {
  return head.split('\r\n').slice(1).filter((line) => line !== '');
}

/** The value of a header in a head's lines, several lines joined as one list (`a, b`); undefined when absent. */
export function headerValue(lines: readonly string[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) values.push(line.slice(colon + 1).trim());
  }
  return values.length === 0 ? undefined : values.join(', ');
}

/** Whether the message's last transfer coding is chunked (RFC 9112 §6.3: it then wins over any length). */
function isChunked(lines: readonly string[]): boolean {
  return headerValue(lines, 'transfer-encoding')?.toLowerCase().trim().endsWith('chunked') ?? false;
}

/** A request's body framing (RFC 9112 §6.3): chunked wins over a length; neither means no body. */
export function requestFraming(lines: readonly string[]): Framing {
  if (isChunked(lines)) return { kind: 'chunked' };
  const length = Number(headerValue(lines, 'content-length') ?? 0);
  return length > 0 ? { kind: 'length', length } : { kind: 'none' };
}

/**
 * A response's body framing, which also depends on its request: a HEAD's answer and a 1xx, 204 or 304 have no body;
 * a 101 (or a 2xx to a CONNECT) ends HTTP on the connection.
 */
export function responseFraming(status: number, requestMethod: string, lines: readonly string[]): Framing {
  if (status === 101 || (requestMethod === 'CONNECT' && status >= 200 && status < 300)) return { kind: 'raw' };
  if (requestMethod === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) return { kind: 'none' };
  if (isChunked(lines)) return { kind: 'chunked' };
  const length = headerValue(lines, 'content-length');
  if (length !== undefined) return Number(length) > 0 ? { kind: 'length', length: Number(length) } : { kind: 'none' };
  return { kind: 'until-close' };
}

/**
 * Splits one direction's byte stream into heads and everything else, in order. `feed` calls `part` with consecutive
 * slices of what it was given: a head whole (held until its empty line arrives), other bytes as they come. The
 * owner says how each head's body is framed (`framingOf`), and hears when each message ends (`ended`).
 */
export class Http1Framer {
  #pending: Buffer = Buffer.alloc(0);
  #state: BodyState = { kind: 'head' };

  constructor(
    private readonly framingOf: (head: Buffer) => Framing,
    private readonly ended: () => void = () => undefined,
  ) {}

  /** Whether the message being read is complete: no head begun, no body left (a body running to the close is not). */
  get between(): boolean {
    return this.#state.kind === 'head' && this.#pending.length === 0;
  }

  feed(chunk: Buffer, part: (bytes: Buffer, isHead: boolean) => void): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (this.#pending.length > 0) {
      const state = this.#state;
      if (state.kind === 'raw' || state.kind === 'until-close') {
        this.#pass(this.#pending.length, part);
      } else if (state.kind === 'length') {
        const take = Math.min(state.left, this.#pending.length);
        this.#pass(take, part);
        state.left -= take;
        if (state.left > 0) return;
        this.#end();
      } else if (state.kind === 'chunked') {
        if (!this.#chunked(state, part)) return;
      } else {
        const end = this.#pending.indexOf(HEAD_END);
        if (end < 0) return;
        const head = this.#pending.subarray(0, end + HEAD_END.length);
        this.#pending = this.#pending.subarray(head.length);
        part(head, true);
        const framing = this.framingOf(head);
        if (framing.kind === 'none') this.#end();
        else if (framing.kind === 'length') this.#state = { kind: 'length', left: framing.length };
        else if (framing.kind === 'chunked') this.#state = { kind: 'chunked', state: 'size', left: 0 };
        else this.#state = { kind: framing.kind };
      }
    }
  }

  #pass(length: number, part: (bytes: Buffer, isHead: boolean) => void): void {
    if (length === 0) return;
    part(this.#pending.subarray(0, length), false);
    this.#pending = this.#pending.subarray(length);
  }

  #end(): void {
    this.#state = { kind: 'head' };
    this.ended();
  }

  /** Passes what it can of a chunked body; false when it needs more bytes. */
  #chunked(body: Extract<BodyState, { kind: 'chunked' }>, part: (bytes: Buffer, isHead: boolean) => void): boolean {
    for (;;) {
      if (body.state === 'data') {
        const take = Math.min(body.left, this.#pending.length);
        this.#pass(take, part);
        body.left -= take;
        if (body.left > 0) return false;
        body.state = 'data-end';
        continue;
      }
      const eol = this.#pending.indexOf('\r\n');
      if (eol < 0) return false;
      const line = this.#pending.subarray(0, eol);
      this.#pass(eol + 2, part);
      if (body.state === 'data-end') body.state = 'size';
      else if (body.state === 'size') {
        const size = parseInt(line.toString('latin1'), 16);
        if (size > 0) Object.assign(body, { state: 'data', left: size });
        else body.state = 'trailer';
      } else if (line.length === 0) {
        // The empty line after the trailers ends the body.
        this.#end();
        return true;
      }
    }
  }
}
