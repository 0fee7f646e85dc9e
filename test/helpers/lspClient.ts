// A real LSP client over stdio for tests: spawns a server process and speaks JSON-RPC to it.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { assertBuilt } from './dist';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BUNDLED_SERVER = path.join(ROOT, 'dist', 'server.js');

export interface TestClientOptions {
  /** Server entry; defaults to the bundled dist/server.js (which must be newer than its sources). */
  serverModule?: string;
  capabilities?: ClientCapabilities;
  /** What workspace/configuration answers for section `vipApi`. */
  settings?: Record<string, unknown>;
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
}

/** `p`, or a rejection naming `what` when it does not settle within `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} not answered within ${ms} ms`)), ms)),
    ),
  ]);
}

export class TestLspClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  /** Every window/logMessage and window/showMessage, with its type. */
  readonly logMessages: LogMessageParams[] = [];
  readonly shownMessages: ShowMessageParams[] = [];
  settings: Record<string, unknown>;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics notification, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: {
    uri: string;
    predicate: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  private exited = false;
  private configurationHeld?: Promise<void>;
  private readonly stderrWaiters: (() => void)[] = [];

  constructor(options: TestClientOptions = {}) {
    const module = options.serverModule ?? BUNDLED_SERVER;
    if (module === BUNDLED_SERVER) assertBuilt(module);
    const execArgv = module.endsWith('.ts') ? ['--import', 'tsx'] : [];
    this.process = spawn(process.execPath, [...execArgv, module, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: ROOT,
      env: { ...process.env, ...options.env },
    });
    this.process.stderr!.on('data', (d: Buffer) => {
      this.stderr.push(d.toString());
      for (const w of [...this.stderrWaiters]) w();
    });
    this.process.on('exit', () => (this.exited = true));
    this.settings = options.settings ?? {};
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.predicate(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
      this.logMessages.push(p);
    });
    this.connection.onNotification(ShowMessageNotification.type, (p) => {
      this.shownMessages.push(p);
    });
    this.connection.onRequest(ConfigurationRequest.type, async (p) => {
      await this.configurationHeld;
      return p.items.map((i) => (i.section === 'vipApi' ? this.settings : null));
    });
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest('workspace/diagnostic/refresh', () => undefined);
    this.connection.listen();
  }

  async initialize(
    capabilities: ClientCapabilities = { workspace: { configuration: true } },
    initializationOptions?: unknown,
  ): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities,
      initializationOptions,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(uri: string, text: string, version = 1, languageId = 'vip-json'): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version, text },
    });
  }

  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges,
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /**
   * Holds the answers to workspace/configuration until the returned function is called. The server
   * schedules validation once it has its settings, so this lets a test put edits in before it does.
   */
  holdConfiguration(): () => void {
    let release!: () => void;
    this.configurationHeld = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.configurationHeld = undefined;
      release();
    };
  }

  /** Resolves with the next (or current) published diagnostics for `uri` that satisfy `predicate`. */
  waitForDiagnostics(
    uri: string,
    predicate: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    const current = this.diagnostics.get(uri);
    if (current && predicate(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri))}; stderr: ${this.stderr.join('')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        uri,
        predicate,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Resolves with the first match of `pattern` in what the server wrote to stderr, now or later. */
  waitForStderr(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = pattern.exec(this.stderr.join(''));
        if (!match) return false;
        this.stderrWaiters.splice(this.stderrWaiters.indexOf(waiter), 1);
        clearTimeout(timer);
        resolve(match);
        return true;
      };
      const waiter = (): void => void check();
      const timer = setTimeout(() => {
        this.stderrWaiters.splice(this.stderrWaiters.indexOf(waiter), 1);
        reject(
          new Error(`nothing matching ${pattern} on stderr within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`),
        );
      }, timeoutMs);
      this.stderrWaiters.push(waiter);
      check();
    });
  }

  /** Diagnostics published for exactly this document version. */
  diagnosticsForVersion(uri: string, version: number): Promise<Diagnostic[]> {
    return this.waitForDiagnostics(uri, (p) => p.version === version).then((p) => p.diagnostics);
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) =>
      this.exited ? resolve() : this.process.once('exit', () => resolve()),
    );
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }

  /** What the server reported as an error: window/logMessage of type Error, and anything on stderr. */
  get serverErrors(): string[] {
    const logged = this.logMessages.filter((m) => m.type === MessageType.Error).map((m) => `logged: ${m.message}`);
    const stderr = this.stderr.join('');
    return stderr ? [...logged, `stderr: ${stderr}`] : logged;
  }

  get hasExited(): boolean {
    return this.exited;
  }
}

/** A full round trip: a request with Version "5.0" opened as `uri` gets its 4e04 diagnostic, so the server really runs. */
export async function assertValidates(client: TestLspClient, uri: string): Promise<void> {
  await client.open(
    uri,
    '{"DeactivateTokenRequest": {"Version": "5.0", "RequestId": "r1", "TokenId": "SYMC10000001"}}',
  );
  const diagnostics = await client.diagnosticsForVersion(uri, 1);
  assert.ok(
    diagnostics.some((d) => d.code === '4e04'),
    JSON.stringify(diagnostics),
  );
}
