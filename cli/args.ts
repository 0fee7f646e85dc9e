// Command-line parsing for every vip-api command: node:util parseArgs, `-h`/`--help`, and one
// format for help and usage errors ("Usage:" and the command's help block).
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong arguments or configuration (the message says what to change). */
export class UsageError extends Error {}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * `--offset -1` as `--offset=-1`: strict parseArgs calls a value that starts with a dash ambiguous,
 * but no option of ours looks like a negative number.
 */
function joinNegativeNumbers(args: string[], options: OptionsConfig): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    if (args[i] === '--') return out.concat(args.slice(i));
    if (name && options[name]?.type === 'string' && /^-\d/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

/**
 * node:util parseArgs (strict, positionals allowed) with `-h`/`--help` added. Every problem is a
 * UsageError with parseArgs' own sentence (e.g. "Unknown option '--bogus'").
 */
export function parseCommandArgs<O extends OptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({
      args: joinNegativeNumbers(args, options),
      allowPositionals: true,
      strict: true,
      options: { ...options, ...HELP_OPTION },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The help of a command as `--help` prints it (on stdout). */
export function helpText(help: string): string {
  return `Usage:\n${help}`;
}

/** A usage error as every command prints it (on stderr): the problem, then the command's help. */
export function usageText(command: string, message: string, help: string): string {
  return `vip-api ${command}: ${message}\n${helpText(help)}`;
}

/** Where a request goes: a named environment (from a settings file) or a URL. */
export const ENDPOINT_OPTIONS = {
  env: { type: 'string' },
  config: { type: 'string' },
  url: { type: 'string' },
} as const;

/**
 * The arguments of a command that takes one request file and an endpoint: the endpoint options
 * plus `options`, exactly one file (unless `--help`), and every problem as a UsageError
 * (`what` names the command in the messages, e.g. "send").
 */
export function parseRequestArgs<O extends OptionsConfig>(args: string[], options: O, what: string) {
  const parsed = parseCommandArgs(args, { ...ENDPOINT_OPTIONS, ...options });
  const o = parsed.values as { env?: string; config?: string; url?: string; help?: boolean };
  if (o.help) return { values: parsed.values, file: '', help: true };
  if (parsed.positionals.length !== 1)
    throw new UsageError(`name exactly one request file, e.g. vip-api ${what} deactivate.vip.json`);
  if (o.env && o.url) throw new UsageError('give either --env or --url, not both.');
  if (o.config && !o.env) throw new UsageError('--config needs --env NAME.');
  return { values: parsed.values, file: parsed.positionals[0], help: false };
}
