// For the extension's own tests (ExtensionMode.Test only): a test run that also records what it
// reports, since VS Code's API does not let another extension read test results.
import type * as vscode from 'vscode';

export interface RecordedEvent {
  /** enqueued, started, passed, failed, errored, skipped, output. */
  kind: string;
  id?: string;
  durationMs?: number;
  messages?: vscode.TestMessage[];
  output?: string;
  location?: vscode.Location;
}

export interface RecordedRun {
  profile?: string;
  events: RecordedEvent[];
  ended: boolean;
}

const STATES = new Set(['enqueued', 'started', 'passed', 'failed', 'errored', 'skipped']);

export function recordRun(run: vscode.TestRun, runs: RecordedRun[], profile?: string): vscode.TestRun {
  const recorded: RecordedRun = { profile, events: [], ended: false };
  runs.push(recorded);
  return new Proxy(run, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        if (STATES.has(key)) {
          const [item, second, third] = args as [vscode.TestItem, unknown, unknown];
          const messages = second === undefined || typeof second === 'number' ? undefined : [second].flat();
          const durationMs = typeof second === 'number' ? second : typeof third === 'number' ? third : undefined;
          recorded.events.push({ kind: key, id: item.id, durationMs, messages: messages as vscode.TestMessage[] });
        } else if (key === 'appendOutput') {
          const [output, location, item] = args as [string, vscode.Location | undefined, vscode.TestItem | undefined];
          recorded.events.push({ kind: 'output', output, location, id: item?.id });
        } else if (key === 'end') recorded.ended = true;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
