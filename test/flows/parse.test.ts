// Flow files that are not valid get diagnostics at the offending node; valid ones a spec with the
// positions of every step and expect.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { checkFlow } from '../../core/flows/check';
import { parseFlow } from '../../core/flows/parse';

const parse = (text: string) => parseFlow('/x/f.vipflow.json', text);

test('a valid flow (comments, trailing commas) has positions for each step and expect', () => {
  const text =
    '// c\n{\n  "name": "n",\n  "steps": [\n    { "name": "a", "send": { "GetServerTimeRequest": { "Version": "3.1" } },\n      "expect": { "reasonCode": "0000" }, },\n  ],\n}\n';
  const p = parse(text);
  assert.deepEqual(p.diagnostics, []);
  assert.deepEqual(p.flow!.steps[0].at, { line: 5, column: 5 });
  assert.deepEqual(p.flow!.steps[0].expect!.at, { line: 6, column: 7 });
  assert.equal(p.flow!.target, 'simulator');
});

test('syntax errors, schema errors and semantic problems are reported where they are', () => {
  assert.equal(parse('{ "name": ').diagnostics[0].rule, 'syntax');
  assert.equal(parse('').diagnostics[0].rule, 'syntax');
  const cases: [string, RegExp, number][] = [
    ['{"name": "n", "steps": [{"name": "a"}]}', /give exactly one of "request", "send" or "simulator"/, 1],
    [
      '{"name": "n", "steps": [{"name": "a", "simulator": {"otp": "X", "advanceClock": "PT1S"}}]}',
      /does exactly one of "otp", "advanceClock" or "deliveries"/,
      1,
    ],
    ['{"name": "n", "steps": [{"name": "a", "simulator": {"advanceClock": "30s"}}]}', /ISO 8601 duration/, 1],
    [
      '{"name": "n", "clock": "tomorrow", "steps": [{"name": "a", "simulator": {"otp": "X"}}]}',
      /ISO 8601 date-time/,
      1,
    ],
    [
      '{"name": "n", "steps": [{"name": "a", "send": {"GetServerTimeRequest": {}}, "expect": {"reasonCode": "12345"}}]}',
      /four hex digits/,
      1,
    ],
    ['{"name": "n", "vars": {"a b": 1}, "steps": [{"name": "a", "simulator": {"otp": "X"}}]}', /not a valid name/, 1],
  ];
  for (const [text, message, count] of cases) {
    const d = parse(text).diagnostics;
    assert.equal(d.length, count, `${text}: ${JSON.stringify(d)}`);
    assert.match(d[0].message, message);
  }
  const flow = parse(
    '{"name": "n", "steps": [{"name": "a", "simulator": {"otp": "X"}, "expect": {"reasonCode": "0000"}}, {"name": "a", "send": {"GetServerTimeRequest": {"Version": "3.1"}}, "expect": {"reasonCode": "9999"}}, {"name": "f", "request": "missing.vip.json"}]}',
  ).flow!;
  assert.deepEqual(
    checkFlow(flow).map((d) => [d.severity, d.rule]),
    [
      ['error', 'expect.simulatorReasonCode'],
      ['warning', 'step.duplicateName'],
      ['warning', 'expect.unknownReasonCode'],
      ['error', 'step.request'],
    ],
  );
});

test('a flow or request file nested 100 000 levels deep is refused with a diagnostic, not a stack overflow', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { loadFlowFile } = await import('../../core/flows/check');
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const d = parse(
    `{"name": "n", "steps": [{"name": "a", "send": {"GetServerTimeRequest": {"Version": "3.1", "x": ${deep}}}}]}`,
  ).diagnostics;
  assert.deepEqual(
    d.map((x) => x.rule),
    ['syntax.depth'],
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-flows-deep-'));
  try {
    fs.writeFileSync(path.join(dir, 'deep.vip.json'), `{"GetServerTimeRequest": {"Version": "3.1", "x": ${deep}}}`);
    fs.writeFileSync(
      path.join(dir, 'f.vipflow.json'),
      '{"name": "n", "steps": [{"name": "a", "request": "deep.vip.json"}]}',
    );
    const loaded = loadFlowFile(path.join(dir, 'f.vipflow.json'));
    assert.deepEqual(
      loaded.diagnostics.map((x) => x.rule),
      ['step.request'],
    );
    assert.match(loaded.diagnostics[0].message, /nested more than 128 levels deep/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
