// Flow files (language vip-flow) in the bundled language server, over a real stdio connection:
// each check on a flow that has the fault and on one that does not, inline requests checked like
// *.vip.json files (positions in the flow), and their quick fixes applied inside the flow.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
} from 'vscode-languageserver-protocol/node';
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

  test('a request file created on disk (workspace/didChangeWatchedFiles): the flow is checked again', async () => {
    const text = replaceOnce(CLEAN_FLOW, 'validate.vip.json', 'later.vip.json');
    const uri = pathToFileURL(path.join(dir, 'flows', 'later.vipflow.json')).href;
    await client.open(uri, text, ++version, 'vip-flow');
    const before = await client.diagnosticsForVersion(uri, version);
    assert.deepEqual(
      before.map((d) => d.code),
      ['step.request'],
    );
    const request = path.join(dir, 'requests', 'later.vip.json');
    fs.copyFileSync(path.join(dir, 'requests', 'validate.vip.json'), request);
    const again = client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(request).href, type: FileChangeType.Created }],
    });
    await again;
  });

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

describe('hover and completion in flow files', () => {
  let client: TestLspClient;
  let dir: string;
  let version = 0;
  before(async () => {
    client = new TestLspClient();
    await client.initialize({
      workspace: { configuration: true },
      textDocument: { completion: { completionItem: { snippetSupport: false } } },
    });
    dir = flowWorkspace();
  });
  after(() => client.shutdown());

  /** Opens `text` with the cursor where `|` is; returns the uri and the position. */
  const openAt = async (name: string, marked: string) => {
    const offset = marked.indexOf('|');
    assert.ok(offset >= 0 && marked.indexOf('|', offset + 1) < 0, 'one cursor mark');
    const text = marked.slice(0, offset) + marked.slice(offset + 1);
    const uri = pathToFileURL(path.join(dir, 'flows', name)).href;
    await client.open(uri, text, ++version, 'vip-flow');
    const position = TextDocument.create(uri, 'vip-flow', 1, text).positionAt(offset);
    return { uri, position };
  };
  const hoverAt = async (marked: string): Promise<string> => {
    const { uri, position } = await openAt(`hover${version}.vipflow.json`, marked);
    const hover: Hover | null = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position,
    });
    return hover ? (hover.contents as { value: string }).value : '';
  };
  const labelsAt = async (marked: string, triggerCharacter?: string): Promise<CompletionItem[]> => {
    const { uri, position } = await openAt(`complete${version}.vipflow.json`, marked);
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position,
      context: triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 },
    })) as CompletionList | null;
    return list?.items ?? [];
  };
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);

  test('hover on an expected reason code explains it from the catalog; on a step name, nothing', async () => {
    const value = await hoverAt(CLEAN_FLOW.replace('"reasonCode": "0000" }', '"reasonCode": "49|b5" }'));
    assert.match(value, /VIP reason code 49b5/);
    assert.match(value, /Failed with an invalid security code/);
    assert.equal(await hoverAt(CLEAN_FLOW.replace('"name": "info"', '"name": "in|fo"')), '');
  });

  test('hover on a field of an inline request is the field hover of a *.vip.json file', async () => {
    const value = await hoverAt(CLEAN_FLOW.replace('"Version": "3.1"', '"Ver|sion": "3.1"'));
    assert.match(value, /\*\*Version\*\* · string · required/);
  });

  test("hover on a `with` key describes the field of the request file's operation", async () => {
    const value = await hoverAt(CLEAN_FLOW.replace('"OTP": "${code}"', '"O|TP": "${code}"'));
    assert.match(value, /\*\*OTP\*\*/);
  });

  test('completion under `send`: request operation keys (no responses)', async () => {
    const items = await labelsAt(
      CLEAN_FLOW.replace(
        '"send": { "GetTokenInformationRequest"',
        '"send": { | } , "x": { "GetTokenInformationRequest"',
      ),
    );
    assert.ok(labels(items).includes('ValidateRequest'), JSON.stringify(labels(items).slice(0, 5)));
    assert.ok(!labels(items).some((l) => l.endsWith('Response')));
  });

  test('completion inside an inline request: the fields its operation still lacks', async () => {
    const items = await labelsAt(CLEAN_FLOW.replace('"TokenId": "${token}" } }', '"TokenId": "${token}", | } }'));
    assert.ok(labels(items).includes('RequestId'), JSON.stringify(labels(items)));
    assert.ok(!labels(items).includes('Version'), 'present fields are not proposed again');
  });

  test('completion of expect.fields keys and capture values: the response paths of the step', async () => {
    const fields = await labelsAt(
      CLEAN_FLOW.replace('"fields": { "TokenInformation.TokenStatus": "ENABLED" } }', '"fields": { | } }'),
    );
    assert.ok(labels(fields).includes('TokenInformation.TokenStatus'), JSON.stringify(labels(fields)));
    assert.ok(labels(fields).includes('Status.ReasonCode'));
    const capture = await labelsAt(CLEAN_FLOW.replace('"status": "TokenInformation.TokenStatus"', '"status": "Tok|"'));
    assert.ok(labels(capture).includes('TokenInformation.TokenStatus'));
    const simulator = await labelsAt(CLEAN_FLOW.replace('"capture": { "code": "OTP" }', '"capture": { "code": "|" }'));
    assert.deepEqual(labels(simulator), ['TokenId', 'OTP', 'time']);
  });

  test("completion of `with` keys: the fields of the request file's operation", async () => {
    const items = await labelsAt(
      CLEAN_FLOW.replace('"with": { "TokenId": "${token}",', '"with": { |, "TokenId": "${token}",'),
    );
    assert.ok(labels(items).includes('OTP'), JSON.stringify(labels(items)));
  });

  test('completion inside `${`: the variables known at that step, captures of later steps excluded', async () => {
    const items = await labelsAt(CLEAN_FLOW.replace('"OTP": "${code}"', '"OTP": "${|"'), '{');
    assert.deepEqual(
      labels(items).filter((l) => !l.startsWith('$') && l !== 'env:'),
      ['token', 'code'],
    );
    assert.ok(labels(items).includes('$requestId'));
    assert.equal(
      items.find((i) => i.label === 'token')?.textEdit &&
        (items.find((i) => i.label === 'token')!.textEdit as { newText: string }).newText,
      'token}',
    );
    const first = await labelsAt(CLEAN_FLOW.replace('"otp": "${token}"', '"otp": "${|}"'), '{');
    assert.ok(!labels(first).includes('code'), 'captured by this very step: not known yet');
  });

  test('completion in expect.reasonCode: the catalog codes', async () => {
    const items = await labelsAt(CLEAN_FLOW.replace('"reasonCode": "0000" }', '"reasonCode": "|" }'));
    assert.ok(labels(items).includes('49b5'));
    assert.ok(labels(items).includes('0000'));
  });

  test('`{` does not trigger completion in a *.vip.json file', async () => {
    const uri = pathToFileURL(path.join(dir, 'plain.vip.json')).href;
    await client.open(uri, '{"ValidateRequest": {"TokenId": "${', ++version, 'vip-json');
    const list = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: 35 },
      context: { triggerKind: 2, triggerCharacter: '{' },
    });
    assert.equal(list, null);
  });
});

describe('flow files beyond the budgets', () => {
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient();
    await client.initialize();
  });
  after(() => client.shutdown());

  const answers = async (uri: string, position: { line: number; character: number }) => {
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    const completion = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return { hover, completion };
  };

  test('a flow nested 100 000 levels deep: one diagnostic, hover and completion answered empty, no server error', async () => {
    const uri = 'file:///budget/deep.vipflow.json';
    await client.open(uri, '{"name": "deep", "steps": ' + '['.repeat(100_000), 1, 'vip-flow');
    const diagnostics = await client.diagnosticsForVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['syntax.depth'],
    );
    const { hover, completion } = await answers(uri, { line: 0, character: 50_000 });
    assert.equal(hover, null);
    assert.deepEqual((completion as CompletionList | null)?.items ?? [], []);
    assert.deepEqual(client.serverErrors, []);
  });

  test('a flow over 2 000 000 characters is not checked, and says so', async () => {
    const uri = 'file:///budget/large.vipflow.json';
    const text = `{"name": "large", "steps": [], "vars": {"x": "${'a'.repeat(2_000_001)}"}}`;
    await client.open(uri, text, 1, 'vip-flow');
    const diagnostics = await client.diagnosticsForVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [['flow.tooLarge', 3]],
    );
    const { completion } = await answers(uri, { line: 0, character: 40 });
    assert.deepEqual((completion as CompletionList | null)?.items ?? [], []);
    assert.deepEqual(client.serverErrors, []);
  });
});
