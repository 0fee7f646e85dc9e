// A small HTTPS (mutual TLS) server for the transport tests: answers VIP-shaped JSON, counts TLS
// handshakes, and lets a test choose the reply per request. Loopback only.
import { EventEmitter, once } from 'node:events';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getOperationByRestName } from '../../core/data/catalog';

export type Handler = (req: IncomingMessage & { body: string }, res: ServerResponse) => void;

export interface TestServer {
  port: number;
  /** The URL template for a host: `https://<host>:<port>/{operation}`. */
  url(host?: string): string;
  /** Number of TLS handshakes completed (a resumed session counts too). */
  handshakes: number;
  /** Emits 'request' (req) and 'close-socket' when a client socket closes. */
  events: EventEmitter;
  handler: Handler;
  close(): Promise<void>;
}

/** The simulator-like default answer: `<Op>Response` with Status 0000 echoing the RequestId. */
export const vipOk: Handler = (req, res) => {
  const op = getOperationByRestName(req.url!.slice(1));
  let id: unknown;
  try {
    const v = JSON.parse(req.body) as Record<string, Record<string, unknown>>;
    id = Object.values(v)[0]?.RequestId;
  } catch {
    /* not JSON */
  }
  const key = `${op?.name ?? 'Unknown'}Response`;
  const reasonCode = op ? '0000' : '4e10';
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(
    JSON.stringify({
      [key]: {
        RequestId: id,
        Status: { ReasonCode: reasonCode, StatusMessage: op ? 'Success' : 'This URL does not support this operation.' },
      },
    }),
  );
};

export async function startTestServer(opts: {
  cert: string;
  key: string;
  clientCa?: string;
  host?: string;
}): Promise<TestServer> {
  const events = new EventEmitter();
  const server = https.createServer({
    cert: fs.readFileSync(opts.cert),
    key: fs.readFileSync(opts.key),
    ...(opts.clientCa ? { ca: fs.readFileSync(opts.clientCa), requestCert: true, rejectUnauthorized: true } : {}),
    keepAliveTimeout: 5000,
  });
  const state: TestServer = {
    port: 0,
    url: (host = opts.host ?? '127.0.0.1') => `https://${host}:${state.port}/{operation}`,
    handshakes: 0,
    events,
    handler: vipOk,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  server.on('secureConnection', (socket) => {
    state.handshakes++;
    socket.on('close', () => events.emit('close-socket'));
  });
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = Object.assign(req, { body: Buffer.concat(chunks).toString('utf8') });
      events.emit('request', r);
      state.handler(r, res);
    });
  });
  // Loopback only; a test that calls 127.0.0.2 starts its own server bound there.
  server.listen(0, opts.host ?? '127.0.0.1');
  await once(server, 'listening');
  state.port = (server.address() as AddressInfo).port;
  return state;
}
