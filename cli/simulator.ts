// `vip-api simulator`: runs the VIP simulator until SIGINT/SIGTERM; `vip-api simulator otp` prints
// the code a demo (or state-file) credential shows, so no oathtool is needed.
import * as fs from 'node:fs';
import { codeFor, demoState, loadStateFile, nextCodeFor, startSimulator, type SimulatorOptions } from '../core/simulator';
import { CONTROL_HELP, runControl } from './simulatorControl';

export const SIMULATOR_HELP = `  vip-api simulator [--host 127.0.0.1] [--port 0] [--state FILE] [--persist]
                    [--tls --cert FILE --key FILE [--client-ca FILE] [--revoked-serials 2002,1A2B]]
                    [--now ISO] [--fault 4879|4e01] [--latency MS]
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

/** `--name value` and `--name=value`; flags without a value are listed in `booleans`. */
function parse(args: string[], valued: string[], booleans: string[]): { opts: Map<string, string>; positional: string[] } | string {
  const opts = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (booleans.includes(name)) {
      if (eq > 0) return `--${name} takes no value`;
      opts.set(name, 'true');
    } else if (valued.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') return `--${name} needs a value`;
      opts.set(name, value);
    } else {
      return `unknown option ${a}`;
    }
  }
  return { opts, positional };
}

function readPem(option: string, file: string): Buffer {
  try {
    // A FIFO would block for ever, a device such as /dev/zero never end.
    if (fs.statSync(file).isFile()) return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read --${option} ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  throw new Error(`--${option} ${file} is not a regular file (a FIFO, socket or device)`);
}

function checkNow(value: string | undefined): string | undefined {
  if (value !== undefined && Number.isNaN(Date.parse(value))) throw new Error(`--now takes an ISO date-time such as 2026-06-01T12:00:00Z, not ${value}`);
  return value;
}

function usage(io: Io, message: string): number {
  io.err(`vip-api simulator: ${message}\nUsage:\n${SIMULATOR_HELP}`);
  return 2;
}

/** Options for startSimulator from the command line, or a usage message. */
export function simulatorOptions(args: string[]): SimulatorOptions | string {
  const parsed = parse(args, ['host', 'port', 'state', 'cert', 'key', 'client-ca', 'revoked-serials', 'now', 'fault', 'latency', 'max-body', 'control-from'], ['persist', 'tls', 'no-control', 'lenient']);
  if (typeof parsed === 'string') return parsed;
  const { opts, positional } = parsed;
  if (positional.length) return `unexpected argument ${positional[0]}`;
  const options: SimulatorOptions = { host: opts.get('host') };
  const port = opts.get('port');
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) return `--port takes 0 to 65535, not ${port}`;
    options.port = Number(port);
  }
  options.state = opts.get('state');
  options.persist = opts.has('persist');
  if (options.persist && !options.state) return '--persist needs --state FILE';
  const tls = opts.has('tls') || opts.has('cert') || opts.has('key') || opts.has('client-ca');
  if (tls) {
    const cert = opts.get('cert');
    const key = opts.get('key');
    if (!cert || !key) return '--tls needs --cert FILE and --key FILE (PEM)';
    options.tls = {
      cert: readPem('cert', cert),
      key: readPem('key', key),
      ...(opts.has('client-ca') ? { clientCa: readPem('client-ca', opts.get('client-ca')!) } : {}),
      revokedSerials: (opts.get('revoked-serials') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    };
  } else if (opts.has('revoked-serials')) {
    return '--revoked-serials needs --tls with --client-ca';
  }
  if (opts.has('no-control') && opts.has('control-from')) return '--no-control and --control-from exclude each other';
  if (opts.has('no-control')) options.control = false;
  if (opts.has('lenient')) options.lenient = true;
  if (opts.has('control-from')) options.controlFrom = opts.get('control-from')!.split(',').map((s) => s.trim()).filter(Boolean);
  options.now = checkNow(opts.get('now'));
  const fault = opts.get('fault')?.toLowerCase();
  if (fault !== undefined && fault !== '4879' && fault !== '4e01') return `--fault takes 4879 or 4e01, not ${fault}`;
  options.fault = fault as SimulatorOptions['fault'];
  for (const [name, key, max] of [['latency', 'latencyMs', 60_000], ['max-body', 'maxBodyBytes', 1 << 30]] as const) {
    const v = opts.get(name);
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
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`Usage:\n${SIMULATOR_HELP}`);
    return 0;
  }
  let options: SimulatorOptions | string;
  try {
    options = simulatorOptions(args);
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  if (typeof options === 'string') return usage(io, options);
  // Signal handlers go in before the first line is printed: whoever reads that line may stop us at once.
  let stopWith: ((signal: NodeJS.Signals) => void) | undefined;
  let early: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => (stopWith ? stopWith(signal) : (early ??= signal));
  const detach = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({ ...options, log: (line) => io.out(line + '\n') });
  } catch (e) {
    detach();
    throw e;
  }
  io.out(`VIP simulator listening on ${sim.url}\n`);
  io.out(`State: ${typeof options.state === 'string' ? `${options.state}${options.persist ? ' (changes written back)' : ' (changes kept in memory)'}` : 'built-in demo state (docs/simulator.md)'}. Stop with Ctrl-C.\n`);
  return new Promise<number>((resolve) => {
    stopWith = (signal) => {
      detach();
      io.out(`Stopping (${signal})…\n`);
      sim.close().then(() => resolve(0), () => resolve(1));
    };
    if (early) stopWith(early);
  });
}

function runOtp(args: string[], io: Io): number {
  const parsed = parse(args, ['state', 'now', 'offset'], []);
  if (typeof parsed === 'string') return usage(io, parsed);
  const { opts, positional } = parsed;
  if (positional.length !== 1) return usage(io, 'otp takes one TokenId, e.g. vip-api simulator otp SYMC10000001');
  const offset = opts.get('offset');
  if (offset !== undefined && !/^-?\d{1,6}$/.test(offset)) return usage(io, `--offset takes a whole number, not ${offset}`);
  let now: Date;
  try {
    now = new Date(checkNow(opts.get('now')) ?? Date.now());
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const stateFile = opts.get('state');
  const state = stateFile ? loadStateFile(stateFile) : demoState();
  const tokenId = positional[0];
  const code = offset === undefined ? nextCodeFor(state, tokenId, now) : codeFor(state, tokenId, now, Number(offset));
  if (code === undefined) {
    io.err(`vip-api simulator otp: ${tokenId} is not a TOTP/HOTP credential of the ${stateFile ? 'state file' : 'demo state'}.\n`);
    return 1;
  }
  io.out(code + '\n');
  return 0;
}
