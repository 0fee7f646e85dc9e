// Smoke test of the *bundled* server (dist/server.js): esbuild + jsonc-parser must work at run time.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { TestLspClient } from '../helpers/lspClient';

let client: TestLspClient;

before(async () => {
  // Stops with "run npm run build" when dist/server.js is missing or older than its sources.
  client = new TestLspClient();
  await client.initialize();
});
after(() => client.shutdown());

test('a request with Version 5.0 gets a 4e04 diagnostic on that value', async () => {
  const uri = 'file:///smoke/deactivate.vip.json';
  const text = '{\n  "DeactivateTokenRequest": {\n    "Version": "5.0",\n    "TokenId": "VSST12345678"\n  }\n}\n';
  await client.open(uri, text);
  const diagnostics = await client.diagnosticsForVersion(uri, 1);
  assert.equal(diagnostics.length, 1);
  const [d] = diagnostics;
  assert.equal(d.code, '4e04');
  assert.equal(d.source, 'vip');
  assert.deepEqual(d.range, { start: { line: 2, character: 15 }, end: { line: 2, character: 20 } });
});

test('hover on the seed sample reason code shows the message and solution', async () => {
  const uri = 'file:///smoke/seed-response.vip.json';
  const text =
    '{ "DeactivateTokenResponse": { "Version": "5.0", "RequestId": "SYMC87654321", "SameInitialState": "false", "Status": { "ReasonCode": "4e04", "StatusMessage": "Unsupported service protocol version" } } }';
  await client.open(uri, text);
  const character = text.indexOf('"4e04"') + 2;
  const hover = await client.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: { line: 0, character },
  });
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
  const value = (hover.contents as { value: string }).value;
  assert.match(value, /4e04/);
  assert.match(value, /Unsupported service protocol version/);
  assert.match(value, /Correct the version and try again/);
});
