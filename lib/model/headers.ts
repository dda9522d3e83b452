// Header lines as recorded on the wire: looked up here, the one place, case-insensitively.
import type { HeaderLine } from './policy.ts';

/** Whether a header line has this name (header names are case-insensitive). */
export function isHeader(name: string): (line: HeaderLine) => boolean {
  const wanted = name.toLowerCase();
  return (line) => line.name.toLowerCase() === wanted;
}

/** The value of the first line with this name, if any. */
export function headerValue(lines: readonly HeaderLine[], name: string): string | undefined {
  return lines.find(isHeader(name))?.value;
}

/** The values of a comma-separated list, trimmed, empty ones dropped. */
export function listValues(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Every comma-separated value of every line with this name (Allow-Methods, Vary, …). */
export function headerList(lines: readonly HeaderLine[], name: string): string[] {
  return lines.filter(isHeader(name)).flatMap((line) => listValues(line.value));
}

/** The lines without any of these names. */
export function withoutHeaders(lines: readonly HeaderLine[], ...names: string[]): HeaderLine[] {
  return lines.filter((line) => !names.some((name) => isHeader(name)(line)));
}
