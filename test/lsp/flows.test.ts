// Flow files (language vip-flow) in the bundled language server, over a real stdio connection:
// each check on a flow that has the fault and on one that does not, inline requests checked like
// *.vip.json files (positions in the flow), and their quick fixes applied inside the flow.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestLspClient } from '../helpers/lspClient';

/** A flow with every kind of step and reference, and nothing to report. */
export const CLEAN_FLOW = `{
  // comments are allowed
  "name": "clean",
  "vars": { "token": "SYMC10000001" },
  "steps": [
    { "name": "current code", "simulator": { "otp": "\${token}" }, "capture": { "code": "OTP" } },
    { "name": "validate", "request": "../requests/validate.vip.json",
      "with": { "TokenId": "\${token}", "OTP": "\${code}" }, "expect": { "reasonCode": "0000" } },
    { "name": "info", "send": { "GetTokenInformationRequest": { "Version": "3.1", "TokenId": "\${token}" } },
      "retry": { "until": { "fields": { "TokenInformation.TokenStatus": "ENABLED" } }, "attempts": 2 },
      "expect": { "reasonCode": "0000", "fields": { "TokenInformation.TokenStatus": "ENABLED" } },
      "capture": { "status": "TokenInformation.TokenStatus" } },
  ],
}
`;

export function flowWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-lsp-flows-'));
  fs.mkdirSync(path.join(dir, 'requests'));
  fs.mkdirSync(path.join(dir, 'flows'));
  fs.writeFileSync(
    path.join(dir, 'requests', 'validate.vip.json'),
    '{ "ValidateRequest": { "Version": "3.1", "TokenId": "SYMC00000000", "OTP": "123456" } }',
  );
  return dir;
}

/** `text` with `from` (which must occur once) replaced by `to`. */
function replaceOnce(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `${from} occurs once in the flow`);
  return text.replace(from, () => to);
}

/** The text a diagnostic's range covers. */
function covered(text: string, d: Diagnostic): string {
  const doc = TextDocument.create('x', 'vip-flow', 1, text);
  return doc.getText(d.range);
}

/** Each fault: the edit of the clean flow that plants it, and the one diagnostic it gets (code, covered text). */
const FAULTS: { rule: string; from: string; to: string; code: string; covers: string; severity: number }[] = [
  { rule: 'the flow schema', from: '"name": "clean",', to: '', code: 'schema.required', covers: '{', severity: 1 },
  {
    rule: 'a step name that repeats',
    from: '"name": "info"',
    to: '"name": "validate"',
    code: 'step.duplicateName',
    covers: '{',
    severity: 2,
  },
  {
    rule: 'a request path that does not exist',
    from: 'validate.vip.json',
    to: 'missing.vip.json',
    code: 'step.request',
    covers: '{',
    severity: 1,
  },
  {
    rule: 'a variable used before it is captured',
    from: '"capture": { "code": "OTP" }',
    to: '"expect": { "fields": { "OTP": "${code}" } }, "capture": { "code": "OTP" }',
    code: 'variable.undefined',
    covers: '"${code}"',
    severity: 2,
  },
  {
    rule: 'an expected reason code not in the catalog',
    from: '"reasonCode": "0000" }',
    to: '"reasonCode": "4fff" }',
    code: 'expect.unknownReasonCode',
    covers: '"expect"',
    severity: 2,
  },
  {
    rule: 'a capture path the response schema does not have',
    from: '"status": "TokenInformation.TokenStatus"',
    to: '"status": "TokenInformation.Status"',
    code: 'path.unknown',
    covers: '"TokenInformation.Status"',
    severity: 2,
  },
  {
    rule: 'retry on an operation that uses up codes',
    from: '"expect": { "reasonCode": "0000" } },',
    to: '"expect": { "reasonCode": "0000" }, "retry": { "until": { "reasonCode": "0000" } } },',
    code: 'retry.refused',
    covers: '"retry"',
    severity: 1,
  },
  {
    rule: 'an inline request (as a *.vip.json file: its predicted reason code)',
    from: '"Version": "3.1"',
    to: '"Version": "5.0"',
    code: '4e04',
    covers: '"5.0"',
    severity: 1,
  },
  {
    rule: 'a `with` merged into its request file (at the `with` value)',
    from: '"OTP": "${code}"',
    to: '"OTP": 12',
    code: '4e00',
    covers: '12',
    severity: 1,
  },
];

describe('flow files in the language server', () => {
  let client: TestLspClient;
  let dir: string;
  let version = 0;
  before(async () => {
    client = new TestLspClient();
    await client.initialize();
    dir = flowWorkspace();
  });
  after(() => client.shutdown());

  const diagnosticsOf = async (name: string, text: string): Promise<Diagnostic[]> => {
    const uri = pathToFileURL(path.join(dir, 'flows', name)).href;
    await client.open(uri, text, ++version, 'vip-flow');
    return client.diagnosticsForVersion(uri, version);
  };

  test('a flow without faults, placeholders in its requests included, gets no diagnostics', async () => {
    assert.deepEqual(await diagnosticsOf('clean.vipflow.json', CLEAN_FLOW), []);
  });

  for (const fault of FAULTS) {
    test(`reported: ${fault.rule}`, async () => {
      const text = replaceOnce(CLEAN_FLOW, fault.from, fault.to);
      const diagnostics = await diagnosticsOf(`${fault.code}.vipflow.json`, text);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, covered(text, d), d.severity, d.source]),
        [[fault.code, fault.covers, fault.severity, 'vip']],
        JSON.stringify(diagnostics),
      );
    });
  }

  test('an unsaved flow: request paths cannot be resolved, so they are not reported', async () => {
    const uri = 'untitled:Untitled-1';
    await client.open(uri, CLEAN_FLOW, ++version, 'vip-flow');
    assert.deepEqual(await client.diagnosticsForVersion(uri, version), []);
  });

  test('the same text as vip-json is a VIP document, not a flow (dispatch by language id)', async () => {
    const uri = pathToFileURL(path.join(dir, 'flows', 'as-request.vip.json')).href;
    await client.open(uri, CLEAN_FLOW, ++version, 'vip-json');
    const codes = (await client.diagnosticsForVersion(uri, version)).map((d) => d.data as { rule: string });
    assert.ok(
      codes.some((d) => d.rule === 'document.manyKeys'),
      JSON.stringify(codes),
    );
  });

  test('the quick fix of an inline request edits the flow at the inline value', async () => {
    const text = replaceOnce(CLEAN_FLOW, '"Version": "3.1"', '"Version": "5.0"');
    const uri = pathToFileURL(path.join(dir, 'flows', 'fix.vipflow.json')).href;
    await client.open(uri, text, ++version, 'vip-flow');
    const [diagnostic] = await client.diagnosticsForVersion(uri, version);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    const preferred = actions.find((a) => a.isPreferred) ?? actions[0];
    assert.ok(preferred, 'a quick fix');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'vip-flow', 1, text), preferred.edit!.changes![uri]);
    assert.equal(fixed, CLEAN_FLOW);
  });
});
