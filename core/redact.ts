// Redaction of secrets (OTPs, temporary passwords, gateway passwords…) before anything is
// logged or stored. The field list lives in schemas/operations.json (secretFields).
import { secretFields } from './data/catalog';

export const REDACTED = '«redacted»';
const SECRET = new Set(secretFields);

/** A deep copy of `value` with every secret field's value replaced. */
export function redactValue<T>(value: T): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 64 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[k] = SECRET.has(k) && x !== '' && x !== null && x !== undefined ? REDACTED : walk(x, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}

const SECRET_MEMBER = new RegExp(
  `("(?:${secretFields.join('|')})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|-?\\d+(?:\\.\\d+)?)`,
  'g',
);

// <OTP>…</OTP>, <vip:OTP1 …>…</vip:OTP1>: the SOAP form of the same fields.
const SECRET_ELEMENT = new RegExp(
  `(<(?:[\\w.-]+:)?(${secretFields.join('|')})(?:\\s[^>]*)?>)([^<]+)(?=</(?:[\\w.-]+:)?\\2>)`,
  'g',
);

/** Redacts secret members in JSON (or JSON-like) text and secret elements in XML, even if it does not parse. */
export function redactText(text: string): string {
  return text
    .replace(SECRET_MEMBER, (_m, key: string, val: string) => (val === '""' ? key + val : `${key}"${REDACTED}"`))
    .replace(SECRET_ELEMENT, (_m, open: string) => `${open}${REDACTED}`);
}

/** The values of the secret fields in a request (object, JSON text or SOAP text), 4+ characters. */
export function secretValues(request: unknown): string[] {
  const found = new Set<string>();
  const add = (v: unknown) => {
    const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
    if (s.length >= 4 && !s.includes(REDACTED)) found.add(s);
  };
  if (typeof request === 'string') {
    for (const m of request.matchAll(SECRET_MEMBER)) add(m[2].startsWith('"') ? m[2].slice(1, -1) : m[2]);
    for (const m of request.matchAll(SECRET_ELEMENT)) add(m[3]);
  } else {
    const walk = (v: unknown, depth: number): void => {
      if (depth > 64 || v === null || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (SECRET.has(k)) add(x);
        else walk(x, depth + 1);
      }
    };
    walk(request, 0);
  }
  return [...found];
}

/** Replaces every occurrence of the given secret values: for text a server wrote, which may quote
 *  a sent code anywhere (a SOAP fault string, an ErrorDetail), not just in a secret field. */
export function redactValues(text: string, values: readonly string[]): string {
  return values.reduce((t, v) => t.split(v).join(REDACTED), text);
}
