// Argument parsing shared by the commands that take one request file and an endpoint.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

/** Where a request goes: a named environment (from a settings file) or a URL. */
export const ENDPOINT_OPTIONS = {
  env: { type: 'string' },
  config: { type: 'string' },
  url: { type: 'string' },
} as const;

/**
 * node:util parseArgs with the endpoint options, exactly one request file, and every problem as
 * a UsageError (`what` names the command in the messages, e.g. "send").
 */
export function parseRequestArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, what: string) {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { ...ENDPOINT_OPTIONS, ...options } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const o = parsed.values as { env?: string; config?: string; url?: string };
  if (parsed.positionals.length !== 1) throw new UsageError(`name exactly one request file, e.g. vip-api ${what} deactivate.vip.json`);
  if (o.env && o.url) throw new UsageError('give either --env or --url, not both.');
  if (o.config && !o.env) throw new UsageError('--config needs --env NAME.');
  return { values: parsed.values, file: parsed.positionals[0] };
}
