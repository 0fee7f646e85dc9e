// Quick fixes for findings: each a list of text edits (jsonc-parser `modify`, so insertions are
// formatted and commas kept right), with `isPreferred` when one fix is the obvious one.
import {
  applyEdits,
  createScanner,
  modify,
  parse,
  ParseErrorCode,
  SyntaxKind,
  type Edit,
  type FormattingOptions,
  type ParseError,
} from 'jsonc-parser';
import { getSchema, operationForKey, operations, secretFields } from '../data/catalog';
import type { VipDocument } from '../schema/document';
import { propertiesOf, resolve, schemaAt } from '../schema/schemaWalk';
import { operationSkeleton, requiredFieldsInOrder } from './skeleton';
import { closest, editDistance } from '../schema/suggest';
import type { EngineContext, JsonPath, RuleId } from './types';
import { analyze } from './validate';
import { expirationChoices, newRequestId, placeholderValue, preferredVersion } from './values';

export interface QuickFix {
  title: string;
  edits: Edit[];
  isPreferred?: boolean;
}

/**
 * The part of a finding a quick fix needs. It comes back from the client (an LSP diagnostic's
 * `data`), so its payload is read defensively, not trusted to match its rule.
 */
export interface FixableFinding {
  rule: RuleId;
  path?: JsonPath;
  code?: string;
  data?: unknown;
  offset?: number;
}

/** Fixes whose outcome depends on the value are checked by re-analysing; skipped for huge documents. */
const VERIFY_LIMIT = 200_000;

export function quickFixes(doc: VipDocument, finding: FixableFinding, ctx: EngineContext): QuickFix[] {
  try {
    return candidateFixes(doc, finding, ctx).filter((fix) => fix.edits.length > 0);
  } catch {
    // jsonc-parser's modify can refuse text it cannot edit safely (e.g. an unterminated comment
    // right after the insertion point: "Overlapping edit"). No fix is better than a wrong one.
    return [];
  }
}

/** A finding about a node that is still in the text, with what the fixes read of it. */
interface Target {
  finding: FixableFinding;
  path: JsonPath;
  field: string | number;
  value: unknown;
  data: Record<string, unknown>;
}

function candidateFixes(doc: VipDocument, finding: FixableFinding, ctx: EngineContext): QuickFix[] {
  if (finding.rule === 'syntax') return typeof finding.offset === 'number' ? syntaxFixes(doc.text, finding.offset) : [];
  const f = new Fixer(doc, ctx);
  if (finding.rule === 'document.empty') return f.skeletonFixes();
  const t = targetOf(doc, finding);
  if (!t) return [];
  const path = t.path;
  switch (finding.rule) {
    case 'version.unsupported':
      return versionFixes(f, t, ctx);
    case 'expiration.past':
    case 'expiration.tooFar':
      return f.expirationFixes(path, finding.rule === 'expiration.past' ? 0 : 1);
    case 'schema.required':
    case 'schema.dependency':
      return missingFieldFixes(f, t, finding.rule);
    case 'schema.unknownField':
      return unknownFieldFixes(f, t);
    case 'document.unknownOperation':
      return operationKeyFixes(f, t);
    case 'requestId.alias':
      return [{ title: 'Rename "Id" to "RequestId"', edits: f.renameKey(path, 'RequestId'), isPreferred: true }];
    case 'requestId.both':
      return [{ title: 'Remove "Id" (keep "RequestId")', edits: f.remove(path), isPreferred: true }];
    case 'schema.enum':
      return enumFixes(f, t);
    case 'schema.type':
    case 'schema.pattern':
    case 'schema.minLength':
    case 'schema.maxLength':
    case 'schema.format':
    case 'schema.minItems':
    case 'schema.maxItems':
    case 'schema.other':
      return valueFixes(f, t);
    case 'document.tooLarge':
    case 'document.notObject':
    case 'document.manyKeys':
    case 'otp.notSixDigits':
    case 'otp.sameTwice':
    case 'reasonCode.unknown':
    case 'adapter.wrongSettingsBlock':
      return [];
    default:
      return unhandled(finding.rule);
  }
}

/** The finding's node as it is in the text now, or undefined when the finding is stale. */
function targetOf(doc: VipDocument, finding: FixableFinding): Target | undefined {
  const path = finding.path;
  // A stale finding (the text changed since) names a node that is gone: no fix rather than a wrong one.
  // (For a missing field the path is that of its object, which exists.)
  const node = path && doc.nodeAt(path);
  if (!path || !node) return undefined;
  const data =
    typeof finding.data === 'object' && finding.data !== null ? (finding.data as Record<string, unknown>) : {};
  return { finding, path, field: path[path.length - 1], value: node.value, data };
}

/** One fix per supported version (from the finding, else the context), the preferred version marked. */
function versionFixes(f: Fixer, t: Target, ctx: EngineContext): QuickFix[] {
  const supported = stringList(t.data.supported) ?? [...ctx.supportedVersions];
  const best = preferredVersion(supported);
  return supported.map((v) => ({ title: `Set Version to "${v}"`, edits: f.set(t.path, v), isPreferred: v === best }));
}

/** One fix per allowed value; the closest to the current value (or the only one) is preferred. */
function enumFixes(f: Fixer, t: Target): QuickFix[] {
  const allowed = stringList(t.data.allowed) ?? [];
  const best = typeof t.value === 'string' ? closest(t.value, allowed)[0] : undefined;
  return allowed.map((a) => ({
    title: `Set ${String(t.field)} to "${a}"`,
    edits: f.set(t.path, a),
    isPreferred: allowed.length === 1 || a === best,
  }));
}

/** The compiler proves every rule id has its case above. */
function unhandled(rule: never): never {
  throw new Error(`No quick fixes defined for rule ${String(rule)}`);
}

function missingFieldFixes(f: Fixer, t: Target, rule: 'schema.required' | 'schema.dependency'): QuickFix[] {
  const missing = String(t.data.missing);
  const objectPath = rule === 'schema.required' ? t.path : t.path.slice(0, -1);
  const fixes = [
    {
      title: `Add ${rule === 'schema.required' ? 'required field' : 'field'} "${missing}"`,
      edits: f.addFields(objectPath, [missing]),
      isPreferred: true,
    },
  ];
  const allMissing = rule === 'schema.required' ? f.missingRequired(objectPath) : [];
  if (allMissing.length > 1)
    fixes.push({
      title: `Add all missing required fields (${allMissing.join(', ')})`,
      edits: f.addFields(objectPath, allMissing),
      isPreferred: false,
    });
  return fixes;
}

function unknownFieldFixes(f: Fixer, t: Target): QuickFix[] {
  const name = typeof t.data.field === 'string' ? t.data.field : String(t.field);
  const present = f.keysOf(t.path.slice(0, -1));
  const suggestions = (stringList(t.data.suggestions) ?? []).filter((s) => !present.has(s));
  const distances = suggestions.map((s) => editDistance(name, s));
  const clearWinner = suggestions.length === 1 || (suggestions.length > 1 && distances[0] < distances[1]);
  return [
    ...suggestions.map((s, i) => ({
      title: `Rename "${name}" to "${s}"`,
      edits: f.renameKey(t.path, s),
      isPreferred: i === 0 && clearWinner,
    })),
    { title: `Remove "${name}" (not a field of this operation)`, edits: f.remove(t.path) },
  ];
}

/** Best first: the operation under which the body has the fewest errors, then the closest name. */
function operationKeyFixes(f: Fixer, t: Target): QuickFix[] {
  const ranked = (stringList(t.data.suggestions) ?? [])
    .map((s) => ({ s, edits: f.renameKey(t.path, s), distance: editDistance(String(t.field), s) }))
    .map((r) => ({ ...r, errors: f.errorsAfter(r.edits) }))
    .sort((a, b) => a.errors - b.errors || a.distance - b.distance);
  const [best, next] = ranked;
  const clearWinner = !!best && (!next || best.errors < next.errors || best.distance < next.distance);
  return ranked.map((r) => ({
    title: `Rename "${String(t.field)}" to "${r.s}"`,
    edits: r.edits,
    isPreferred: clearWinner && r === best,
  }));
}

/** Value fixes for schema findings, kept only if the result validates (checked by re-analysis). */
function valueFixes(f: Fixer, t: Target): QuickFix[] {
  const { path, field, value, finding } = t;
  const fixes: QuickFix[] = [];
  if (typeof value === 'number' || typeof value === 'boolean') {
    fixes.push({
      title: `Write ${String(field)} as the string "${String(value)}"`,
      edits: f.set(path, String(value)),
      isPreferred: true,
    });
  } else if (typeof value === 'string' && value.trim() !== value) {
    fixes.push({
      title: `Remove the spaces around ${String(field)}`,
      edits: f.set(path, value.trim()),
      isPreferred: true,
    });
  }
  const fieldSchema = f.schemaAt(path);
  const max = resolve(fieldSchema)?.maxLength;
  // Cutting a secret (an OTP, a password) would only make another wrong secret.
  if (
    finding.rule === 'schema.maxLength' &&
    typeof value === 'string' &&
    typeof max === 'number' &&
    !secretFields.includes(String(field))
  ) {
    fixes.push({
      title: `Shorten ${String(field)} to ${max} characters`,
      edits: f.set(path, [...value].slice(0, max).join('')),
    });
  }
  if (finding.rule === 'schema.format' && resolve(fieldSchema)?.format === 'date-time') {
    fixes.push(...f.expirationFixes(path, -1));
  }
  if (field === 'RequestId' || field === 'Id')
    fixes.push({ title: 'Replace with a new request id', edits: f.set(path, newRequestId()) });
  const verified = fixes.filter((fix) => f.clears(fix, finding));
  // 4952: the temporary password can always be cleared (an empty value is valid); never invent one.
  if (finding.code === '4952')
    verified.push({ title: `Clear the temporary password (set ${String(field)} to "")`, edits: f.set(path, '') });
  return verified;
}

class Fixer {
  private readonly formatting: FormattingOptions;

  constructor(
    private readonly doc: VipDocument,
    private readonly ctx: EngineContext,
  ) {
    this.formatting = ctx.formatting ?? guessFormatting(doc.text);
  }

  private get indent(): string {
    return this.formatting.insertSpaces ? ' '.repeat(this.formatting.tabSize ?? 2) : '\t';
  }

  private get values(): EngineContext {
    const key = this.doc.root.key;
    return { ...this.ctx, operation: key ? operationForKey(key)?.operation : undefined };
  }

  schemaAt(path: JsonPath) {
    const found = typeof path[0] === 'string' ? operationForKey(path[0]) : undefined;
    return found ? schemaAt(getSchema(found.operation.name, found.kind), path) : undefined;
  }

  set(path: JsonPath, value: unknown): Edit[] {
    return modify(this.doc.text, path, value, { formattingOptions: this.formatting });
  }

  remove(path: JsonPath): Edit[] {
    return modify(this.doc.text, path, undefined, { formattingOptions: this.formatting });
  }

  renameKey(path: JsonPath, name: string): Edit[] {
    const span = this.doc.spanOf(path, true);
    return span ? [{ offset: span.offset, length: span.length, content: JSON.stringify(name) }] : [];
  }

  keysOf(objectPath: JsonPath): Set<string> {
    const node = this.doc.nodeAt(objectPath);
    return new Set((node?.type === 'object' ? (node.children ?? []) : []).map((p) => String(p.children?.[0]?.value)));
  }

  missingRequired(objectPath: JsonPath): string[] {
    const present = this.keysOf(objectPath);
    return requiredFieldsInOrder(this.schemaAt(objectPath)).filter((name) => !present.has(name));
  }

  /** Inserts fields with placeholder values, each at its place in schema (XSD sequence) order. */
  addFields(objectPath: JsonPath, names: string[]): Edit[] {
    const objectSchema = this.schemaAt(objectPath);
    const order = Object.keys(propertiesOf(objectSchema));
    let text = this.doc.text;
    const taken = this.doc.nodeAt(objectPath)?.children?.map((p): unknown => p.children?.[1]?.value) ?? [];
    for (const name of names) {
      const value = placeholderValue(name, propertiesOf(objectSchema)[name], this.values, taken);
      taken.push(value);
      const rank = order.indexOf(name);
      const getInsertionIndex = (existing: string[]) => {
        let index = 0;
        existing.forEach((key, i) => {
          const r = order.indexOf(key);
          if (r >= 0 && r < rank) index = i + 1;
        });
        return index;
      };
      text = applyEdits(
        text,
        modify(text, [...objectPath, name], value, { formattingOptions: this.formatting, getInsertionIndex }),
      );
    }
    return [diffEdit(this.doc.text, text)];
  }

  /** An empty `{}`: start one of the common requests. */
  skeletonFixes(): QuickFix[] {
    const root = this.doc.tree;
    if (root?.type !== 'object' || root.children?.length) return [];
    return operations
      .filter((op) => op.common)
      .map((op) => ({
        title: `Start a ${op.name} request`,
        edits: [
          {
            offset: root.offset,
            length: root.length,
            content: operationSkeleton(op.name, 'request', this.values, this.indent).trimEnd(),
          },
        ],
      }));
  }

  /** ExpirationDate fixes: now + 1 day and the operation's maximum; `preferred` indexes them (-1: none). */
  expirationFixes(path: JsonPath, preferred: number): QuickFix[] {
    return expirationChoices(this.values).map((c, i) => ({
      title: `Set ${String(path[path.length - 1])} to ${String(c.value)} (${c.detail})`,
      edits: this.set(path, c.value),
      isPreferred: i === preferred,
    }));
  }

  errorsAfter(edits: Edit[]): number {
    if (this.doc.text.length > VERIFY_LIMIT) return 0;
    return analyze(applyEdits(this.doc.text, edits), this.ctx).filter((x) => x.severity === 'error').length;
  }

  /** True when applying `fix` removes `finding` and adds no error. */
  clears(fix: QuickFix, finding: FixableFinding): boolean {
    if (this.doc.text.length > VERIFY_LIMIT) return true;
    const before = analyze(this.doc, this.ctx).filter((x) => x.severity === 'error').length;
    const after = analyze(applyEdits(this.doc.text, fix.edits), this.ctx);
    const same = after.some((x) => x.rule === finding.rule && JSON.stringify(x.path) === JSON.stringify(finding.path));
    return !same && after.filter((x) => x.severity === 'error').length < before;
  }
}

/** Syntax errors with one evident repair: a missing comma, or brackets left open at the end. */
function syntaxFixes(text: string, offset: number): QuickFix[] {
  const errors: ParseError[] = [];
  parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const error = errors.find((e) => e.offset === offset);
  if (error?.error === ParseErrorCode.CommaExpected) {
    let end = offset;
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    return [
      { title: 'Insert the missing comma', edits: [{ offset: end, length: 0, content: ',' }], isPreferred: true },
    ];
  }
  if (error?.error === ParseErrorCode.CloseBraceExpected || error?.error === ParseErrorCode.CloseBracketExpected) {
    const closers = openBrackets(text);
    if (!closers || /\S/.test(text.slice(offset))) return []; // only at the end: elsewhere the intent is unclear
    return [
      {
        title: `Close the open ${closers.length === 1 ? 'bracket' : 'brackets'} (${closers})`,
        edits: [{ offset: text.length, length: 0, content: closers }],
        isPreferred: true,
      },
    ];
  }
  return [];
}

/** The closing brackets the text still needs at its end, innermost first; '' when balanced. */
function openBrackets(text: string): string {
  const stack: string[] = [];
  const scanner = createScanner(text, false);
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken) stack.push('}');
    else if (token === SyntaxKind.OpenBracketToken) stack.push(']');
    else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) stack.pop();
  }
  return stack.reverse().join('');
}

/** One edit that turns `before` into `after` (common prefix and suffix left alone). */
function diffEdit(before: string, after: string): Edit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  )
    end++;
  return { offset: start, length: before.length - start - end, content: after.slice(start, after.length - end) };
}

/** Indentation of the document's first indented line; two spaces when there is none. */
function guessFormatting(text: string): FormattingOptions {
  const m = /\n([ \t]+)\S/.exec(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (m?.[1].startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: m ? Math.min(m[1].length, 8) : 2, eol };
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}
