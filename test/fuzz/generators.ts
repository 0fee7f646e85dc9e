// Deterministic generators of VIP documents and of broken variants of them, for the fuzzers.
import { documentKey, getSchema, operations, type JsonSchema } from '../../core/data/catalog';
import { propertiesOf, resolve, schemaAt } from '../../core/schema/schemaWalk';

/** mulberry32: small, fast and deterministic for a given seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
export const int = (r: Rand, max: number): number => Math.floor(r() * max);

const STRINGS = [
  '',
  'VSST12345678',
  '3.1',
  '5.0',
  '123456',
  '12345',
  'MOBILEPHONE',
  'BREW',
  'Lost',
  '2026-12-01T00:00:00Z',
  '2099-01-01T00:00:00Z',
  'not a date',
  '4e04',
  'ZZZZ',
  'x'.repeat(50),
  '\u0000',
  '\ud800',
  'é😀',
  '"quoted"',
  '\\',
  'true',
];
const NASTY = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\uFEFF',
  '\r',
  '\r\n',
  '\u2028',
  '{',
  '}',
  '[',
  ']',
  '"',
  ',',
  ':',
  '/*',
  '//',
  '\\u',
  'null',
  '-',
  '1e999',
  '\t',
];

/** A value shaped by `schema`, sometimes deliberately wrong. */
function value(r: Rand, schema: JsonSchema | undefined, depth: number): unknown {
  const s = resolve(schema);
  if (!s || depth > 5 || r() < 0.08) return pick(r, [null, 42, -1.5, true, STRINGS[int(r, STRINGS.length)], [], {}]);
  if (Array.isArray(s.enum) && r() < 0.8) return pick(r, s.enum as unknown[]);
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  const type = pick(r, types);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(propertiesOf(s))) if (r() < 0.7) out[k] = value(r, v, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: int(r, 7) }, () => value(r, s.items as JsonSchema, depth + 1));
    case 'boolean':
      return pick(r, [true, false, 'true', 'false', 'yes']);
    case 'integer':
      return pick(r, [0, 7, -3, '12', 'x']);
    default:
      return pick(r, STRINGS);
  }
}

/** A request or response of a random operation, mostly valid-looking. */
export function vipDocument(r: Rand): string {
  const op = pick(r, operations).name;
  const kind = r() < 0.6 ? 'request' : 'response';
  const key = r() < 0.95 ? documentKey(op, kind) : pick(r, ['Foo', `${op}Requst`, op, '']);
  const body = value(r, schemaAt(getSchema(op, kind), [documentKey(op, kind)]), 0);
  const doc: Record<string, unknown> = { [key]: body };
  if (r() < 0.03) doc.Extra = {};
  return JSON.stringify(doc, null, pick(r, [0, 1, 2, 4]));
}

/** A mutation of `text`: characters inserted, deleted, duplicated or swapped, or a truncation. */
export function mutate(r: Rand, text: string): string {
  let t = text;
  const n = 1 + int(r, 4);
  for (let i = 0; i < n; i++) {
    const at = int(r, t.length + 1);
    switch (int(r, 6)) {
      case 0:
        t = t.slice(0, at) + pick(r, NASTY) + t.slice(at);
        break;
      case 1:
        t = t.slice(0, at) + t.slice(at + 1 + int(r, 5));
        break;
      case 2: {
        const end = Math.min(t.length, at + int(r, 40));
        t = t.slice(0, end) + t.slice(at, end) + t.slice(end);
        break;
      }
      case 3:
        t = t.slice(0, at);
        break;
      case 4:
        t = t.replace(/\n/g, pick(r, ['\r\n', '\r', '\n']));
        break;
      default:
        t = (r() < 0.5 ? '\uFEFF' : '') + t.slice(0, at) + '// c\n' + t.slice(at);
    }
  }
  return t;
}

/** Special documents: deep nesting, huge strings and the like. */
export function extremes(): [string, string][] {
  return [
    ['100 000-level array nesting', '['.repeat(100_000) + ']'.repeat(100_000)],
    [
      '100 000-level object nesting in a request',
      '{"EnableTokenRequest": {"Version": "3.1", "TokenId": "V", "X": ' +
        '{"a":'.repeat(100_000) +
        '1' +
        '}'.repeat(100_000) +
        '}}',
    ],
    ['unterminated 100 000-level nesting', '{"a":['.repeat(50_000)],
    ['a 50 MB string', '{"EnableTokenRequest": {"Version": "3.1", "TokenId": "' + 'V'.repeat(50 * 1024 * 1024) + '"}}'],
    ['NUL bytes everywhere', '{\u0000"EnableTokenRequest"\u0000: {"Version": "3.1\u0000"}}'],
    ['lone surrogates', '{"\ud800": "\udfff", "EnableTokenRequest": {"TokenId": "\ud800"}}'],
    ['a BOM and CR line ends', '\uFEFF{\r"EnableTokenRequest": {\r"Version": "5.0",\r"TokenId": "V"}}'],
    ['only a BOM', '\uFEFF'],
    ['binary', Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 2654435761) % 256)).toString('latin1')],
  ];
}

/** A ~1.2 MB request (over the server's worker threshold): the fields plus a long list the schema does not know. */
export function hugeRequest(r: Rand): string {
  const filler = Array.from({ length: 16_000 }, (_, i) => ({
    TokenId: `VSST${String(i).padStart(8, '0')}`,
    TokenStatus: pick(r, ['ENABLED', 'DISABLED']),
    LastUpdate: '2026-11-01T10:00:00Z',
  }));
  return JSON.stringify(
    { DeactivateTokenRequest: { Version: pick(r, ['3.1', '5.0']), TokenId: 'VSST12345678', Filler: filler } },
    null,
    pick(r, [0, 1]),
  );
}

/** Documents no person writes, as a mutated file may be: deep nesting (closed or not), or a huge one. */
export function hostileDocument(r: Rand): string {
  const depth = pick(r, [129, 2_000, 20_000, 100_000]);
  switch (int(r, 5)) {
    case 0:
      return (
        '{"EnableTokenRequest": {"Version": ' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + ', "TokenId": "V"}}'
      );
    case 1:
      return '{"EnableTokenRequest": {"Version": "3.1", "TokenId": "V", "X": ' + '[ '.repeat(depth) + '}}';
    case 2:
      return '['.repeat(depth) + ']'.repeat(depth);
    case 3:
      // Shallow enough, but every empty array would get a line indented 100 levels.
      return '{"A": ' + '['.repeat(100) + '[],'.repeat(50_000) + '[]' + ']'.repeat(100) + '}';
    default:
      return hugeRequest(r);
  }
}
