// Reading request fields and writing response fields.
import { fail } from './fault';

export type Req = Record<string, unknown>;
export type Fields = Record<string, unknown>;

export const DAY_MS = 86_400_000;

export const isObject = (v: unknown): v is Req => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Booleans arrive as JSON booleans or as the strings "true"/"false". */
export const bool = (v: unknown): boolean | undefined =>
  v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
/** Booleans leave as strings, like the service's own answers. */
export const flag = (b: boolean): string => (b ? 'true' : 'false');

/** TokenId is a string, or `{value, type}` carrying the XML `type` attribute. */
export function tokenIdOf(v: unknown): { id: string; type?: string } {
  if (typeof v === 'string') return { id: v };
  if (isObject(v) && typeof v.value === 'string')
    return { id: v.value, type: typeof v.type === 'string' ? v.type : undefined };
  return fail('4e00', 'TokenId is missing or not a credential ID.');
}
