// `vip-api simulator control <command> --url URL`: the control API of a running simulator from the
// command line (docs/simulator.md, "Control API"). Prints the JSON answer; exit 1 when refused.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { parseArgs } from 'node:util';

export const CONTROL_HELP = `  vip-api simulator control <command> --url URL [--ca FILE]
      Control a running simulator (its URL as printed at start):
        reset                          back to the state it started with
        clock [--now ISO | --advance PT30S]   read the clock, or set or advance it (then it stands still)
        state [--load FILE]            print the state, or load a state file
        otp <TokenId> [--offset N]     the code a TOTP/HOTP credential shows
        deliveries                     codes and messages "sent" to phones
`;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

interface ControlCall {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
}

class UsageError extends Error {}

const COMMANDS: Record<string, (positional: string[], values: Record<string, string | undefined>) => ControlCall> = {
  reset: () => ({ method: 'POST', path: 'reset' }),
  clock: (_p, v) => {
    if (v.now !== undefined && v.advance !== undefined)
      throw new UsageError('clock takes --now or --advance, not both');
    if (v.now !== undefined) return { method: 'POST', path: 'clock', body: { now: v.now } };
    if (v.advance !== undefined) return { method: 'POST', path: 'clock', body: { advance: v.advance } };
    return { method: 'GET', path: 'clock' };
  },
  state: (_p, v) =>
    v.load === undefined ? { method: 'GET', path: 'state' } : { method: 'PUT', path: 'state', body: readJson(v.load) },
  otp: (p, v) => {
    if (p.length !== 1) throw new UsageError('otp takes one TokenId, e.g. otp SYMC10000001');
    if (v.offset !== undefined && !/^-?\d{1,6}$/.test(v.offset))
      throw new UsageError(`--offset takes a whole number, not ${v.offset}`);
    return {
      method: 'GET',
      path: `otp/${encodeURIComponent(p[0])}${v.offset !== undefined ? `?offset=${v.offset}` : ''}`,
    };
  },
  deliveries: () => ({ method: 'GET', path: 'deliveries' }),
};

/** Which options each command takes (besides --url and --ca). */
const COMMAND_OPTIONS: Record<string, string[]> = {
  reset: [],
  clock: ['now', 'advance'],
  state: ['load'],
  otp: ['offset'],
  deliveries: [],
};

function readJson(file: string): unknown {
  let text: string;
  try {
    if (!fs.statSync(file).isFile()) throw new UsageError(`--load ${file} is not a regular file`);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read --load ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`--load ${file} is not valid JSON`);
  }
}

/** The call the command line asks for, or a UsageError. */
export function controlCall(args: string[]): { url: URL; ca?: Buffer; call: ControlCall } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      ca: { type: 'string' },
      now: { type: 'string' },
      advance: { type: 'string' },
      load: { type: 'string' },
      offset: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || !Object.hasOwn(COMMANDS, command))
    throw new UsageError(
      `control takes one of ${Object.keys(COMMANDS).join(', ')}${command ? `, not ${command}` : ''}`,
    );
  const stray = Object.keys(values).find((k) => !['url', 'ca', ...COMMAND_OPTIONS[command]].includes(k));
  if (stray) throw new UsageError(`control ${command} takes no --${stray}`);
  if (command !== 'otp' && rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
  if (!values.url)
    throw new UsageError('control needs --url, the URL the simulator printed at start (e.g. http://127.0.0.1:8080)');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url takes a URL such as http://127.0.0.1:8080, not ${values.url}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--url must be http:// or https://, not ${url.protocol}`);
  const ca = values.ca === undefined ? undefined : fs.readFileSync(values.ca);
  return { url, ca, call: COMMANDS[command](rest, values) };
}

function send(url: URL, ca: Buffer | undefined, call: ControlCall): Promise<{ status: number; text: string }> {
  const target = new URL(`/_simulator/${call.path}`, url);
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      {
        method: call.method,
        headers: payload ? { 'Content-Type': 'application/json' } : {},
        timeout: 10_000,
        ...(ca ? { ca } : {}),
      },
      (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (s: string) => (text += s))
          .on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs one control command; resolves with the exit code. */
export async function runControl(args: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof controlCall>;
  try {
    parsed = controlCall(args);
  } catch (e) {
    io.err(`vip-api simulator control: ${(e as Error).message}\nUsage:\n${CONTROL_HELP}`);
    return 2;
  }
  let answer: { status: number; text: string };
  try {
    answer = await send(parsed.url, parsed.ca, parsed.call);
  } catch (e) {
    io.err(`vip-api simulator control: cannot reach the simulator at ${parsed.url.origin}: ${(e as Error).message}\n`);
    return 1;
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    io.err(
      `vip-api simulator control: HTTP ${answer.status} without a JSON answer from ${parsed.url.origin}: is it a VIP simulator?\n`,
    );
    return 1;
  }
  if (answer.status !== 200) {
    const error = (json as { error?: unknown }).error;
    io.err(`vip-api simulator control: HTTP ${answer.status}: ${typeof error === 'string' ? error : answer.text}\n`);
    return 1;
  }
  io.out(JSON.stringify(json, null, 2) + '\n');
  return 0;
}
