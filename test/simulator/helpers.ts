// Shared by the simulator tests: real HTTP(S) requests with node:http/https, and a VIP call helper.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as https from 'node:https';
import { getOperation } from '../../core/data/catalog';
import type { RunningSimulator } from '../../core/simulator';

export const NOW = '2026-06-01T12:00:00.000Z';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** TLS client options (ca, cert, key…). */
  tls?: https.RequestOptions;
}

/** One HTTP(S) request; the body is sent as is when a string or Buffer, else as JSON. */
export function request(url: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<Reply> {
  const target = new URL(path, url);
  const payload =
    body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      {
        method: opts.method ?? 'POST',
        headers: { ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}), ...opts.headers },
        agent: false,
        ...opts.tls,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = text ? JSON.parse(text) : {};
          } catch {
            /* left empty: the test looks at text */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export type Body = Record<string, unknown> & {
  Status: { ReasonCode: string; StatusMessage: string; ErrorDetail?: string };
};

/** Calls `operation` on its REST path with Version 3.1 and `fields`; returns the inner response. */
export async function vip(
  sim: RunningSimulator | string,
  operation: string,
  fields: Record<string, unknown> = {},
  opts: RequestOptions = {},
): Promise<Body> {
  const op = getOperation(operation);
  if (!op) throw new Error(`unknown operation ${operation}`);
  const url = typeof sim === 'string' ? sim : sim.url;
  const reply = await request(url, `/${op.rest}`, { [`${operation}Request`]: { Version: '3.1', ...fields } }, opts);
  const body = reply.json[`${operation}Response`] as Body | undefined;
  if (!body) throw new Error(`no ${operation}Response in ${reply.status} ${reply.text}`);
  return body;
}

export const code = (b: { Status: { ReasonCode: string } }): string => b.Status.ReasonCode;

/** The usage error in a simulatorOptions() result; fails the test when the options were accepted instead. */
export function usageError(result: unknown): string {
  if (typeof result !== 'string') assert.fail(`expected a usage error, got options ${JSON.stringify(result)}`);
  return result;
}
