// `vip-api simulator`: runs the VIP simulator until SIGINT/SIGTERM; `vip-api simulator otp` prints
// the code a demo (or state-file) credential shows, so no oathtool is needed.
import * as fs from 'node:fs';
import {
  codeFor,
  demoState,
  loadStateFile,
  nextCodeFor,
  startSimulator,
  type SimulatorOptions,
} from '../core/simulator';
import { helpText, parseCommandArgs, usageText, UsageError } from './args';
import { CONTROL_HELP, runControl } from './simulatorControl';

export const SIMULATOR_HELP = `  vip-api simulator [--host 127.0.0.1] [--port 0] [--state FILE] [--persist]
                    [--tls --cert FILE --key FILE [--client-ca FILE] [--revoked-serials 2002,1A2B]]
                    [--now ISO] [--fault 4879|4e01] [--latency MS] [--max-body BYTES]
                    [--no-control | --control-from 10.0.0.0/8,192.168.1.20] [--lenient]
      Run a local VIP service (REST: POST /<operation-in-kebab-case>) on the built-in demo state or a
      state file, until Ctrl-C. Prints "VIP simulator listening on <url>" first, then one line per
      request (secrets never shown). See docs/simulator.md.
  vip-api simulator otp <TokenId> [--state FILE] [--now ISO] [--offset N]
      Print the code a TOTP/HOTP credential of the state shows now (or N steps/counters away).
${CONTROL_HELP}`;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}
const stdio: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

const SERVE_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  state: { type: 'string' },
  persist: { type: 'boolean' },
  tls: { type: 'boolean' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'client-ca': { type: 'string' },
  'revoked-serials': { type: 'string' },
  now: { type: 'string' },
  fault: { type: 'string' },
  latency: { type: 'string' },
  'max-body': { type: 'string' },
  'control-from': { type: 'string' },
  'no-control': { type: 'boolean' },
  lenient: { type: 'boolean' },
} as const;

const OTP_OPTIONS = { state: { type: 'string' }, now: { type: 'string' }, offset: { type: 'string' } } as const;

/** The parsed command line; an option given an empty value is a usage error, as a missing one is. */
function parseSimulatorArgs<O extends typeof SERVE_OPTIONS | typeof OTP_OPTIONS>(args: string[], options: O) {
  const parsed = parseCommandArgs(args, options);
  for (const [name, value] of Object.entries(parsed.values))
    if (value === '') throw new UsageError(`--${name} needs a value`);
  return parsed;
}

function readPem(option: string, file: string): Buffer {
  try {
    // A FIFO would block for ever, a device such as /dev/zero never end.
    if (fs.statSync(file).isFile()) return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read --${option} ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { cause: e });
  }
  throw new Error(`--${option} ${file} is not a regular file (a FIFO, socket or device)`);
}

function checkNow(value: string | undefined): string | undefined {
  if (value !== undefined && Number.isNaN(Date.parse(value)))
    throw new Error(`--now takes an ISO date-time such as 2026-06-01T12:00:00Z, not ${value}`);
  return value;
}

function usage(io: Io, message: string): number {
  io.err(usageText('simulator', message, SIMULATOR_HELP));
  return 2;
}

type ServeValues = ReturnType<typeof parseSimulatorArgs<typeof SERVE_OPTIONS>>['values'];

/** Options for startSimulator from the command line, or a usage message. */
export function simulatorOptions(args: string[]): SimulatorOptions | string {
  let parsed;
  try {
    parsed = parseSimulatorArgs(args, SERVE_OPTIONS);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return optionsFrom(parsed.values, parsed.positionals);
}

function optionsFrom(opts: ServeValues, positional: string[]): SimulatorOptions | string {
  if (positional.length) return `unexpected argument ${positional[0]}`;
  const options: SimulatorOptions = { host: opts.host };
  const port = opts.port;
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) return `--port takes 0 to 65535, not ${port}`;
    options.port = Number(port);
  }
  options.state = opts.state;
  options.persist = opts.persist === true;
  if (options.persist && !options.state) return '--persist needs --state FILE';
  const tls = opts.tls || opts.cert !== undefined || opts.key !== undefined || opts['client-ca'] !== undefined;
  if (tls) {
    const { cert, key } = opts;
    if (!cert || !key) return '--tls needs --cert FILE and --key FILE (PEM)';
    options.tls = {
      cert: readPem('cert', cert),
      key: readPem('key', key),
      ...(opts['client-ca'] !== undefined ? { clientCa: readPem('client-ca', opts['client-ca']) } : {}),
      revokedSerials: (opts['revoked-serials'] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  } else if (opts['revoked-serials'] !== undefined) {
    return '--revoked-serials needs --tls with --client-ca';
  }
  if (opts['no-control'] && opts['control-from'] !== undefined)
    return '--no-control and --control-from exclude each other';
  if (opts['no-control']) options.control = false;
  if (opts.lenient) options.lenient = true;
  if (opts['control-from'] !== undefined)
    options.controlFrom = opts['control-from']
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  options.now = checkNow(opts.now);
  const fault = opts.fault?.toLowerCase();
  if (fault !== undefined && fault !== '4879' && fault !== '4e01') return `--fault takes 4879 or 4e01, not ${fault}`;
  options.fault = fault;
  for (const [name, key, max] of [
    ['latency', 'latencyMs', 60_000],
    ['max-body', 'maxBodyBytes', 1 << 30],
  ] as const) {
    const v = opts[name];
    if (v === undefined) continue;
    if (!/^\d+$/.test(v) || Number(v) > max) return `--${name} takes a whole number up to ${max}, not ${v}`;
    options[key] = Number(v);
  }
  return options;
}

/** Runs until SIGINT or SIGTERM; resolves with the exit code. */
export async function runSimulator(args: string[], io: Io = stdio): Promise<number> {
  if (args[0] === 'otp') return runOtp(args.slice(1), io);
  if (args[0] === 'control') return runControl(args.slice(1), io);
  let options: SimulatorOptions | string;
  try {
    const parsed = parseSimulatorArgs(args, SERVE_OPTIONS);
    if (parsed.values.help) {
      io.out(helpText(SIMULATOR_HELP));
      return 0;
    }
    options = optionsFrom(parsed.values, parsed.positionals);
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  if (typeof options === 'string') return usage(io, options);
  // Signal handlers go in before the first line is printed: whoever reads that line may stop us at once.
  let stopWith: ((signal: NodeJS.Signals) => void) | undefined;
  let early: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => (stopWith ? stopWith(signal) : (early ??= signal));
  // Forked with an IPC channel (the VS Code extension's SimulatorHost): when the parent goes away,
  // even killed outright, the channel closes, and the simulator stops rather than keep its port.
  const onParentGone = () => onSignal('SIGTERM');
  const detach = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('disconnect', onParentGone);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (process.connected) process.once('disconnect', onParentGone);
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({ ...options, log: (line) => io.out(line + '\n') });
  } catch (e) {
    detach();
    throw e;
  }
  io.out(`VIP simulator listening on ${sim.url}\n`);
  io.out(
    `State: ${typeof options.state === 'string' ? `${options.state}${options.persist ? ' (changes written back)' : ' (changes kept in memory)'}` : 'built-in demo state (docs/simulator.md)'}. Stop with Ctrl-C.\n`,
  );
  return new Promise<number>((resolve) => {
    stopWith = (signal) => {
      detach();
      io.out(`Stopping (${signal})…\n`);
      sim.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    if (early) stopWith(early);
  });
}

function runOtp(args: string[], io: Io): number {
  let parsed;
  try {
    parsed = parseSimulatorArgs(args, OTP_OPTIONS);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  const { values: opts, positionals: positional } = parsed;
  if (opts.help) {
    io.out(helpText(SIMULATOR_HELP));
    return 0;
  }
  if (positional.length !== 1) return usage(io, 'otp takes one TokenId, e.g. vip-api simulator otp SYMC10000001');
  const offset = opts.offset;
  if (offset !== undefined && !/^-?\d{1,6}$/.test(offset))
    return usage(io, `--offset takes a whole number, not ${offset}`);
  let now: Date;
  try {
    now = new Date(checkNow(opts.now) ?? Date.now());
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const stateFile = opts.state;
  const state = stateFile ? loadStateFile(stateFile) : demoState();
  const tokenId = positional[0];
  const code = offset === undefined ? nextCodeFor(state, tokenId, now) : codeFor(state, tokenId, now, Number(offset));
  if (code === undefined) {
    io.err(
      `vip-api simulator otp: ${tokenId} is not a TOTP/HOTP credential of the ${stateFile ? 'state file' : 'demo state'}.\n`,
    );
    return 1;
  }
  io.out(code + '\n');
  return 0;
}
