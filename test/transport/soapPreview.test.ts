// The pure side of "VIP: Show SOAP envelope" and the transport switch: SOAP URLs for any
// environment, the envelope document shown, the transport label, and the settings snippet.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { transportLabel } from '../../client/src/send/environments';
import { envelopeDocumentText, soapPreview, soapUrlTemplate, withTransport } from '../../core/transport/soapPreview';
import { operations, soap } from '../../core/data/catalog';
import { buildRequestEnvelope } from '../../core/soap';
import { TransportError, validateEnvironment, type Environment } from '../../core/transport';

const DEACTIVATE =
  '{\n  // lost\n  "DeactivateTokenRequest": {"Version": "3.1", "RequestId": "P1", "TokenId": {"value": "16505551212", "type": "SMS"}, "Reason": "a < b & \\"c\\" é"}\n}';
const BODY = {
  Version: '3.1',
  RequestId: 'P1',
  TokenId: { value: '16505551212', type: 'SMS' },
  Reason: 'a < b & "c" é',
};
const rest = (url: string): Environment => ({ name: 'Local', url });
const soapEnv = (url: string): Environment => ({ name: 'Prod', url, transport: 'soap' });

/** Well-formedness as a real XML parser sees it (any error or warning fails). */
function parseStrict(xml: string) {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (_level: string, msg: string) => void problems.push(msg) }).parseFromString(
    xml,
    'text/xml',
  );
  assert.deepEqual(problems, []);
  return doc;
}

describe('SOAP URL of an environment', () => {
  test('a SOAP environment keeps its URL; {soapPath} is kept in any environment', () => {
    assert.deepEqual(soapUrlTemplate(soapEnv('https://services-auth.vip.symantec.com')), {
      template: 'https://services-auth.vip.symantec.com',
      derived: false,
    });
    assert.deepEqual(soapUrlTemplate(rest('https://gw.example.com/{soapPath}/soap')), {
      template: 'https://gw.example.com/{soapPath}/soap',
      derived: false,
    });
  });
  test('a REST template: the part before {operation} is the base (query dropped); without a placeholder the URL is the base', () => {
    assert.deepEqual(soapUrlTemplate(rest('http://127.0.0.1:4000/{operation}')), {
      template: 'http://127.0.0.1:4000',
      derived: true,
    });
    assert.deepEqual(soapUrlTemplate(rest('https://vip.example.com/rest/{operation}')), {
      template: 'https://vip.example.com/rest',
      derived: true,
    });
    assert.deepEqual(soapUrlTemplate(rest('https://vip.example.com/api?op={operation}')), {
      template: 'https://vip.example.com/api',
      derived: true,
    });
    assert.deepEqual(soapUrlTemplate(rest('https://vip.example.com/base')), {
      template: 'https://vip.example.com/base',
      derived: false,
    });
  });
  test('withTransport switches both ways and keeps the TLS material', () => {
    const env: Environment = { ...rest('https://h/{operation}'), pfx: '/c.p12', ca: '/ca.pem' };
    assert.deepEqual(withTransport(env, 'soap'), { ...env, url: 'https://h', transport: 'soap' });
    assert.deepEqual(withTransport(soapEnv('https://h'), 'rest'), { ...soapEnv('https://h'), transport: 'rest' });
  });
  test('transport labels', () => {
    assert.equal(transportLabel(rest('https://h')), 'REST');
    assert.equal(transportLabel({ ...rest('https://h'), transport: 'rest' }), 'REST');
    assert.equal(transportLabel(soapEnv('https://h')), 'SOAP');
  });
});

describe('SOAP preview', () => {
  test('a REST environment shows what it would post as SOAP: the envelope of buildRequestEnvelope to <base>/<path>/soap', () => {
    const p = soapPreview(DEACTIVATE, rest('http://127.0.0.1:4000/{operation}'));
    assert.equal(p.request.url.href, 'http://127.0.0.1:4000/mgmt/soap');
    assert.equal(p.request.body, buildRequestEnvelope('DeactivateToken', BODY));
    assert.equal(p.request.headers['Content-Type'], soap.contentType);
    assert.equal(p.request.headers.SOAPAction, soap.soapAction);
    assert.equal(p.restEnvironment, true);
    assert.equal(p.urlDerived, true);
    assert.equal(p.warning, undefined);
  });
  test('a SOAP environment: the production URL per operation', () => {
    for (const [file, path] of [
      [DEACTIVATE, 'mgmt'],
      ['{"ValidateRequest": {"Version": "3.1", "TokenId": "V", "OTP": "123456"}}', 'val'],
      ['{"GetServerTimeRequest": {"Version": "3.1"}}', 'prov'],
    ] as const) {
      const p = soapPreview(file, soapEnv('https://services-auth.vip.symantec.com'));
      assert.equal(p.request.url.href, soap.endpoints[path]);
      assert.equal(p.restEnvironment, false);
    }
  });
  test('a SOAP environment whose URL has {operation} gets a warning that says what to write', () => {
    const p = soapPreview(DEACTIVATE, soapEnv('https://h/rest/{operation}'));
    assert.match(p.warning ?? '', /contains \{operation\}, which SOAP does not use/);
  });
  test('requests that cannot be written as SOAP fail like Send does', () => {
    assert.throws(
      () => soapPreview('{"DeactivateTokenResponse": {}}', rest('https://h')),
      (e: unknown) => e instanceof TransportError && /is a response/.test(e.message),
    );
    assert.throws(
      () =>
        soapPreview('{"EnableTokenRequest": {"Version": "3.1", "TokenId": "V", "Colour": "red"}}', rest('https://h')),
      (e: unknown) => e instanceof TransportError && /Colour/.test(e.message),
    );
    // An envelope attribute is text: an object there is refused, not written as "[object Object]".
    assert.throws(
      () =>
        soapPreview(
          '{"EnableTokenRequest": {"Version": "3.1", "RequestId": {"n": 1}, "TokenId": "V"}}',
          rest('https://h'),
        ),
      (e: unknown) =>
        e instanceof TransportError &&
        /EnableTokenRequest\.RequestId must be a string, number or boolean to go into XML, not object/.test(e.message),
    );
  });
});

describe('the envelope document', () => {
  test('the exact body after a comment with URL and headers; well-formed XML; the comment is the only addition', () => {
    const p = soapPreview(DEACTIVATE, soapEnv('https://services-auth.vip.symantec.com'));
    const text = envelopeDocumentText(p, 'VIP production (SOAP)');
    assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!--\n'));
    assert.match(text, /POST https:\/\/services-auth\.vip\.symantec\.com\/mgmt\/soap\n/);
    assert.match(text, /Content-Type: text\/xml; charset=utf-8\n/);
    assert.match(text, /SOAPAction: ""\n/);
    assert.match(text, /environment "VIP production \(SOAP\)" \(SOAP\)/);
    assert.doesNotMatch(text, /sends REST/);
    assert.equal(text.replace(/<!--[\s\S]*?-->\n/, ''), p.request.body);
    const doc = parseStrict(text);
    assert.equal(doc.documentElement?.localName, 'Envelope');
  });
  test('REST environment, generated RequestId, "--" in names and secret header values', () => {
    const env: Environment = {
      ...rest('http://127.0.0.1:4000/{operation}'),
      name: 'a--b-',
      headers: { Authorization: 'Bearer s3cr3t' },
    };
    const p = soapPreview('{"GetServerTimeRequest": {"Version": "3.1"}}', env);
    const text = envelopeDocumentText(p, env.name);
    assert.match(
      text,
      /This environment sends REST\. With "transport": "soap" and the base URL above Send would post this envelope\./,
    );
    assert.match(text, new RegExp(`RequestId ${p.request.requestId} was generated`));
    assert.match(text, /Authorization: \(set in the environment\)/);
    assert.ok(!text.includes('s3cr3t'));
    const comment = /<!--([\s\S]*?)-->/.exec(text)![1];
    assert.ok(!comment.includes('--') && !comment.endsWith('-'), comment);
    parseStrict(text);
  });
});

describe('settings contributed in package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  const envs = pkg.contributes.configuration.properties['vipApi.environments'];
  // Shown strings are %keys% of package.nls.json (localisation).
  const nls = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.nls.json'), 'utf8')) as Record<
    string,
    string
  >;
  const text = (s: string): string => s.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? s);
  test('"transport" is an enum rest|soap with a description per value', () => {
    const t = envs.items.properties.transport;
    assert.deepEqual(t.enum, ['rest', 'soap']);
    assert.equal(t.markdownEnumDescriptions.length, 2);
  });
  test('the "VIP production (SOAP)" snippet and example are valid environments for the production SOAP endpoints', () => {
    const snippet = envs.items.defaultSnippets.find(
      (s: { label: string }) => text(s.label) === 'VIP production (SOAP)',
    );
    const body = JSON.parse(JSON.stringify(snippet.body).replace(/\$\{\d+:([^}]*)\}/g, '$1'));
    for (const candidate of [body, envs.examples[0][0]]) {
      const env = validateEnvironment(candidate);
      assert.equal(env.transport, 'soap');
      assert.ok(env.pfx && !env.cert);
      const p = soapPreview('{"GetServerTimeRequest": {"Version": "3.1"}}', env);
      assert.equal(p.request.url.href, soap.endpoints.prov);
      for (const key of Object.keys(candidate)) assert.ok(key in envs.items.properties, key);
    }
  });
  test('VIP: Show SOAP envelope is contributed and offered for VIP files', () => {
    assert.ok(
      pkg.contributes.commands.some(
        (c: { command: string; title: string }) =>
          c.command === 'vipApi.showSoapEnvelope' && text(c.title) === 'Show SOAP envelope',
      ),
    );
    assert.ok(
      pkg.contributes.menus.commandPalette.some(
        (m: { command: string; when: string }) =>
          m.command === 'vipApi.showSoapEnvelope' && m.when === 'editorLangId == vip-json',
      ),
    );
  });
});

describe('docs/soap.md', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/soap.md'), 'utf8');
  test('the path table lists every operation under its SOAP path, the unconfirmed ones marked *', () => {
    const listed = new Map<string, { path: string; unconfirmed: boolean }>();
    for (const m of doc.matchAll(/^\| `\/(mgmt|val|prov)\/soap` \| (.+) \|$/gm)) {
      for (const item of m[2].split(',').map((x) => x.trim()))
        listed.set(item.replace(/\\?\*$/, ''), { path: m[1], unconfirmed: /\*$/.test(item) });
    }
    assert.deepEqual([...listed.keys()].sort(), operations.map((op) => op.name).sort());
    for (const op of operations)
      assert.deepEqual(
        listed.get(op.name),
        { path: op.soapPath, unconfirmed: op.soapPathConfirmed === false },
        op.name,
      );
  });
});
