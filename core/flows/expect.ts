// Expectations: reason codes (case-insensitive, any of a list) and fields at dot paths, with
// failures that explain both codes from the catalog and never show a secret: a diff of two secret
// values says only that they differ.
import { isDeepStrictEqual } from 'node:util';
import { getReasonCode, secretFields } from '../data/catalog';
import { REDACTED } from '../redact';
import { getPath, lastSegment } from './paths';
import type { ExpectSpec, StepProblem } from './types';
import type { Scope } from './vars';

export interface StepOutcome {
  /** Lower-case reason code of a VIP response; absent for simulator steps. */
  reasonCode?: string;
  /** The response body inside `<Operation>Response`, or the simulator's answer. */
  body: unknown;
}

const SECRET_FIELDS = new Set(secretFields);

/** `49b5 (Failed with an invalid security code)`. */
export function explainCode(code: string): string {
  const info = getReasonCode(code);
  return info ? `${info.code} (${info.message})` : `${code.toLowerCase()} (not in the reason-code catalog)`;
}

interface Mismatch {
  what: string;
  expected: string;
  actual: string;
  message: string;
}

/** The problem with `outcome` against `spec`, or undefined when it is met. */
export function checkExpect(spec: ExpectSpec, outcome: StepOutcome, scope: Scope): StepProblem | undefined {
  const mismatches: Mismatch[] = [];
  const details: string[] = [];
  if (spec.reasonCodes) {
    const wanted = spec.reasonCodes.map((c) => String(scope.substitute(c)).toLowerCase());
    const actual = outcome.reasonCode?.toLowerCase();
    if (actual === undefined || !wanted.includes(actual)) {
      const expectedText = wanted.map(explainCode).join(' or ');
      const actualText = actual === undefined ? 'no reason code' : explainCode(actual);
      mismatches.push({
        what: 'reasonCode',
        expected: expectedText,
        actual: actualText,
        message: `expected ${expectedText}, got ${actualText}`,
      });
      const info = actual ? getReasonCode(actual) : undefined;
      if (info?.solution) details.push(`${info.code}: ${info.solution}`);
      for (const code of wanted) {
        const w = getReasonCode(code);
        if (w?.solution) details.push(`${w.code}: ${w.solution}`);
      }
    }
  }
  for (const [dotPath, raw] of Object.entries(spec.fields ?? {})) {
    const expected = scope.substitute(raw);
    const actual = getPath(outcome.body, dotPath);
    if (valuesMatch(expected, actual)) continue;
    const secret = SECRET_FIELDS.has(lastSegment(dotPath)) || scope.isSecret(expected) || scope.isSecret(actual);
    if (secret) {
      mismatches.push({
        what: dotPath,
        expected: REDACTED,
        actual: actual === undefined ? 'absent' : REDACTED,
        message: `${dotPath}: ${actual === undefined ? 'expected a secret value, the field is absent' : 'the secret values differ'}`,
      });
    } else {
      const e = show(expected);
      const a = actual === undefined ? 'absent' : show(actual);
      mismatches.push({ what: dotPath, expected: e, actual: a, message: `${dotPath}: expected ${e}, got ${a}` });
    }
  }
  if (mismatches.length === 0) return undefined;
  const one = mismatches.length === 1;
  return {
    kind: 'expectation',
    message: scope.redact(mismatches.map((m) => m.message).join('; ')),
    expected: scope.redact(one ? mismatches[0].expected : mismatches.map((m) => `${m.what}: ${m.expected}`).join('\n')),
    actual: scope.redact(one ? mismatches[0].actual : mismatches.map((m) => `${m.what}: ${m.actual}`).join('\n')),
    details: details.map((d) => scope.redact(d)),
    at: spec.at,
  };
}

/** Scalars compare as text (the service writes booleans and numbers as strings); the rest deeply. */
function valuesMatch(expected: unknown, actual: unknown): boolean {
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (scalar(expected) && scalar(actual)) return String(expected) === String(actual);
  return isDeepStrictEqual(expected, actual);
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}
