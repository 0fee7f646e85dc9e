// Raw HTTP over a socket for the simulator robustness tests: what a broken or hostile client sends.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether the server closed the connection. */
  closed: boolean;
}

/**
 * Writes `chunks` to a new connection (waiting `gapMs` between them) and reads until the server
 * closes it or one whole response has arrived; bounded by `timeoutMs`.
 */
export function raw(
  port: number,
  chunks: (string | Buffer)[],
  opts: { gapMs?: number; timeoutMs?: number } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let done = false;
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `no complete reply within ${opts.timeoutMs ?? 5000} ms; got ${JSON.stringify(data.toString('latin1').slice(0, 200))}`,
          ),
        ),
      opts.timeoutMs ?? 5000,
    );
    const finish = (err?: Error, closed = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) return reject(err);
      const reply = parse(data, closed);
      if (!reply)
        return reject(new Error(`not an HTTP reply: ${JSON.stringify(data.toString('latin1').slice(0, 200))}`));
      resolve(reply);
    };
    socket.on('data', (c: Buffer) => {
      data = Buffer.concat([data, c]);
      const r = parse(data, false);
      if (r && r.body.length >= Number(r.headers['content-length'] ?? Infinity)) finish();
    });
    socket.on('close', () => finish(undefined, true));
    socket.on('error', () => {}); // a reset after the reply is fine; close follows
    const writeChunks = async () => {
      for (const c of chunks) {
        if (socket.destroyed) return;
        socket.write(c);
        if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
      }
    };
    socket.on('connect', () => void writeChunks());
  });
}

export function parse(data: Buffer, closed: boolean): RawReply | undefined {
  const text = data.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(m[1]), headers, body: text.slice(end + 4), closed };
}

/** A VIP response document: one `<Op>Response`/`ErrorResponse` key with a Status and a reason code. */
export function assertVip(
  r: { status: number; headers: Record<string, string | string[] | undefined>; body: string },
  code?: string,
): Record<string, unknown> {
  assert.match(String(r.headers['content-type']), /^application\/json/, `HTTP ${r.status} ${r.body.slice(0, 200)}`);
  const doc = JSON.parse(r.body) as Record<
    string,
    { Status: { ReasonCode: string; StatusMessage: string; ErrorDetail?: string } }
  >;
  const keys = Object.keys(doc);
  assert.equal(keys.length, 1);
  assert.match(keys[0], /Response$/);
  const status = doc[keys[0]].Status;
  assert.match(status.ReasonCode, /^[0-9a-f]{4}$/);
  assert.ok(status.StatusMessage.length > 0);
  if (code) assert.equal(status.ReasonCode, code, JSON.stringify(doc));
  return doc[keys[0]];
}
