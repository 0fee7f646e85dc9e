// Send history in extension storage, redacted before it is written (pure: no vscode).
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactText, redactValue, redactValues, secretValues } from '../../../core/redact';

export interface HistoryEntry {
  id: string;
  /** ISO date-time of the send. */
  time: string;
  environment: string;
  operation: string;
  url: string;
  /** The request file's path or URI, to reopen it. */
  source?: string;
  /** The request as sent, secrets redacted. */
  request: string;
  /** The response JSON (pretty), secrets redacted; absent when the send failed. */
  response?: string;
  reasonCode?: string;
  statusMessage?: string;
  totalMs?: number;
  /** The failure sentence, when the send failed. */
  error?: string;
}

export type NewHistoryEntry = Omit<HistoryEntry, 'id' | 'request' | 'response'> & {
  request: unknown;
  response?: unknown;
};

function redactJson(v: unknown): string {
  return typeof v === 'string' ? redactText(v) : JSON.stringify(redactValue(v), null, 2);
}

export class HistoryStore {
  constructor(
    readonly file: string,
    private readonly max: () => number,
  ) {}

  list(): HistoryEntry[] {
    try {
      const v = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      return Array.isArray(v) ? (v as HistoryEntry[]) : [];
    } catch {
      return [];
    }
  }

  /** Adds an entry (newest first), redacting request, response and error; keeps the last N. */
  add(entry: NewHistoryEntry): HistoryEntry {
    // The server may quote a sent code outside a secret field (ErrorDetail, fault string).
    const sent = secretValues(entry.request);
    const stored: HistoryEntry = {
      ...entry,
      id: randomUUID(),
      request: redactJson(entry.request),
      response: entry.response === undefined ? undefined : redactValues(redactJson(entry.response), sent),
      error: entry.error === undefined ? undefined : redactValues(redactText(entry.error), sent),
    };
    const max = Math.max(0, Math.floor(this.max()));
    this.write([stored, ...this.list()].slice(0, max));
    return stored;
  }

  clear(): void {
    this.write([]);
  }

  private write(entries: HistoryEntry[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entries, null, 1), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
