// Variables and `${…}` substitution: flow and case variables, captures, `${env:NAME}`, and the
// built-ins `${$requestId}` and `${$now}` / `${$now+P1D}` / `${$now-PT5M}`. `$${` writes a literal `${`.
// The scope also knows every secret value, to redact any text before it leaves the runner.
import { newRequestId } from '../transport/request';
import { REDACTED, redactText, redactValues } from '../redact';
import { addDuration } from './duration';
import { FlowError } from './errors';
import type { VarSpec } from './types';

const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;
const WHOLE = /^\$\{([^}]*)\}$/;
/** Secret values shorter than this are hidden where they are a whole value, not inside other text. */
const MIN_REDACTED_LENGTH = 4;

export class Scope {
  private readonly values = new Map<string, VarSpec>();
  private readonly secretSet = new Set<string>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    /** The flow's clock: the simulator's (frozen, advanced by steps) or the real one. */
    readonly now: () => Date,
  ) {}

  /** Defines variables; their values are substituted first (a variable may use another or `${env:…}`). */
  defineAll(vars: Record<string, VarSpec>): void {
    for (const [name, spec] of Object.entries(vars)) this.define(name, this.substitute(spec.value), spec.secret);
  }

  define(name: string, value: unknown, secret = false): void {
    const inherited = this.values.get(name)?.secret ?? false;
    this.values.set(name, { value, secret: secret || inherited });
    if (secret) this.addSecret(value);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  addSecret(value: unknown): void {
    if (typeof value === 'string' || typeof value === 'number') {
      const s = String(value);
      if (s !== '' && !s.includes(REDACTED)) this.secretSet.add(s);
    }
  }

  /** Whether `value` is (or contains, for long enough secrets) a secret value. */
  isSecret(value: unknown): boolean {
    if (typeof value !== 'string' && typeof value !== 'number') return false;
    const s = String(value);
    for (const secret of this.secretSet)
      if (s === secret || (secret.length >= MIN_REDACTED_LENGTH && s.includes(secret))) return true;
    return false;
  }

  /** `text` with secret members (OTP, TemporaryPassword…) and every known secret value hidden. */
  redact(text: string): string {
    return redactValues(
      redactText(text),
      [...this.secretSet].filter((s) => s.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length),
    );
  }

  /** A deep copy of `value` with every `${…}` replaced; a string that is one placeholder keeps the variable's type. */
  substitute(value: unknown): unknown {
    if (typeof value === 'string') return this.substituteString(value);
    if (Array.isArray(value)) return value.map((v) => this.substitute(v));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.substitute(v);
      return out;
    }
    return value;
  }

  private substituteString(text: string): unknown {
    const whole = WHOLE.exec(text);
    if (whole) return this.lookup(whole[1].trim());
    return text.replace(PLACEHOLDER, (m, expr: string | undefined) => {
      if (m === '$${') return '${';
      const v = this.lookup(expr!.trim());
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }

  private lookup(expr: string): unknown {
    if (expr.startsWith('env:')) {
      const name = expr.slice(4);
      const v = this.env[name];
      if (v === undefined) throw new FlowError(`\${env:${name}}: the environment variable ${name} is not set.`);
      return v;
    }
    if (expr === '$requestId') return newRequestId();
    const now = /^\$now(?:\s*([+-])\s*(P\S+))?$/.exec(expr);
    if (now) return (now[2] ? addDuration(this.now(), now[2], now[1] === '-' ? -1 : 1) : this.now()).toISOString();
    if (expr.startsWith('$'))
      throw new FlowError(
        `\${${expr}} is not a built-in: use \${$requestId}, \${$now}, \${$now+P1D} or \${$now-PT5M}.`,
      );
    const found = this.values.get(expr);
    if (!found) {
      const known = [...this.values.keys()];
      throw new FlowError(
        `\${${expr}} is not defined here: define it in "vars", a case, --var ${expr}=…, or capture it in an earlier step${known.length ? ` (known: ${known.join(', ')})` : ''}.`,
      );
    }
    return found.value;
  }
}
