// Analysis of one document: syntax, the document's shape (one operation key), its schema, then
// the rules that predict the VIP service's reason code.
import { allDocumentKeys, getOperation, operationForKey, versions } from '../data/catalog';
import { isPlainObject, VipDocument } from '../schema/document';
import { requestRules, responseRules } from './rules';
import { schemaIssues } from '../schema/schemaIssues';
import { closest } from '../schema/suggest';
import { pathKey } from '../schema/locate';
import type { EngineContext, Finding, Issue } from './types';

/** Documents over this many characters are not analysed beyond syntax. */
const MAX_DOCUMENT_LENGTH = 50_000_000;

const MAX_SYNTAX_FINDINGS = 100;

/** Findings for a document; the context defaults to the catalog's supported versions and the current time. */
export function analyze(input: string | VipDocument, context: Partial<EngineContext> = {}): Finding[] {
  const ctx: EngineContext = { supportedVersions: versions.supported, ...context, now: context.now ?? new Date() };
  const doc = typeof input === 'string' ? new VipDocument(input) : input;
  const findings: Finding[] = [];

  for (const e of doc.syntaxErrors.slice(0, MAX_SYNTAX_FINDINGS)) {
    findings.push({ offset: e.offset, length: e.length, severity: 'error', message: e.message, rule: 'syntax' });
  }
  if (doc.syntaxErrors.length > MAX_SYNTAX_FINDINGS) {
    findings.push({
      ...doc.startSpan(),
      severity: 'error',
      rule: 'syntax',
      message: `${doc.syntaxErrors.length - MAX_SYNTAX_FINDINGS} more syntax errors not shown: is this a JSON file?`,
    });
  }
  if (doc.text.length > MAX_DOCUMENT_LENGTH) {
    findings.push({
      ...doc.startSpan(),
      severity: 'information',
      rule: 'document.tooLarge',
      message: `The document is larger than ${MAX_DOCUMENT_LENGTH} characters: only its syntax was checked.`,
    });
    return findings;
  }
  if (doc.value === undefined) return findings; // empty or unreadable: syntax findings say why

  const issues: Issue[] = shapeIssues(doc);
  const { operation, kind, key, body } = doc.root;
  if (operation && kind && key) {
    issues.push(...schemaIssues(doc.value, operation.name, kind));
    issues.push(...(kind === 'request' ? requestRules(operation, key, body, ctx) : responseRules(key, body)));
  }
  return findings.concat(locateIssues(doc, issues));
}

/** Positions for every issue, found in one pass over the text. */
function locateIssues(doc: VipDocument, issues: Issue[]): Finding[] {
  // The root itself is never the span: it would cover the whole document.
  const located = doc.locateAll(issues.filter((i) => i.path.length > 0).map((i) => i.path));
  return issues.map((issue) => {
    const { path } = issue;
    const at = path.length > 0 ? located.get(pathKey(path)) : undefined;
    const span = (issue.onKey ? at?.key : undefined) ?? at?.value ?? doc.startSpan();
    // Built field by field (an object spread of issues of varying shapes is slow on a hot path);
    // optional fields only when the issue has them, as a spread would. The rule and its payload
    // come from the same issue, so they match.
    const finding = {
      offset: span.offset,
      length: span.length,
      severity: issue.severity,
      message: issue.message,
      rule: issue.rule,
      path,
    } as Finding;
    if ('code' in issue) finding.code = issue.code;
    if ('data' in issue) finding.data = issue.data;
    return finding;
  });
}

/** The document must be one object with exactly one known `<Operation>Request|Response` key. */
function shapeIssues(doc: VipDocument): Issue[] {
  const value = doc.value;
  if (!isPlainObject(value)) {
    return [
      {
        path: [],
        severity: 'error',
        rule: 'document.notObject',
        message:
          'A VIP document is one JSON object with one key such as "DeactivateTokenRequest" or "DeactivateTokenResponse".',
      },
    ];
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    return [
      {
        path: [],
        severity: 'error',
        rule: 'document.empty',
        message: 'Empty document: add one operation key such as "DeactivateTokenRequest".',
      },
    ];
  }
  return [...extraKeyIssues(keys), ...unknownOperationIssues(keys[0])];
}

/** Every top-level key after the first: a VIP document holds one operation. */
function extraKeyIssues(keys: string[]): Issue[] {
  return keys.slice(1).map((extra) => ({
    path: [extra],
    onKey: true,
    severity: 'error',
    rule: 'document.manyKeys',
    message: `A VIP document has exactly one top-level key; this one has ${keys.length} (${keys.join(', ')}). Put each operation in its own file.`,
  }));
}

/** The first key when it names no known operation, with the keys it was probably meant to be. */
function unknownOperationIssues(first: string): Issue[] {
  if (operationForKey(first)) return [];
  const bare = getOperation(first);
  const suggestions = bare ? [`${first}Request`] : suggestOperationKeys(first);
  const hint = bare
    ? ` JSON files name the operation with a suffix: "${first}Request" (or "${first}Response").`
    : suggestions.length
      ? ` Did you mean ${suggestions.map((x) => `"${x}"`).join(' or ')}?`
      : ' Known operations: ' +
        allDocumentKeys()
          .filter((k) => k.endsWith('Request'))
          .map((k) => k.slice(0, -7))
          .join(', ') +
        '.';
  return [
    {
      path: [first],
      onKey: true,
      severity: 'error',
      rule: 'document.unknownOperation',
      message: `Unknown operation "${first}".${hint}`,
      data: { suggestions },
    },
  ];
}

/** Closest `<Operation>Request|Response` keys, also when the suffix itself is missing or misspelt. */
function suggestOperationKeys(key: string): string[] {
  const keys = allDocumentKeys();
  const direct = closest(key, keys);
  if (direct.length) return direct;
  const stem = key.replace(/(Req\w*|Res\w*)$/i, '');
  const kind = /Res\w*$/i.test(key) ? 'Response' : 'Request';
  return closest(
    stem,
    keys.filter((k) => k.endsWith('Request')).map((k) => k.slice(0, -7)),
  ).map((name) => name + kind);
}
