// Section 1 and 8: validation time, ours vs vscode-json-languageservice (what VS Code's own JSON
// support does with a jsonValidation schema), and JSON.parse as the floor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getLanguageService, type LanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { documentKey, schemaFile } from '../core/data/catalog';
import { analyze } from '../core/engine';
import { operationForKey } from '../core/data/catalog';
import { BULK_UNKNOWN, MANY_ERRORS, type BenchDoc, request, tokenInformationResponse, typicalResponse } from './docs';
import { median, paired, timeRuns } from './stats';

const SCHEMAS = path.resolve(__dirname, '..', 'schemas');

export interface ValidationRow {
  name: string;
  bytes: number;
  ours: number;
  reference: number;
  parse: number;
  ourFindings: number;
  refFindings: number;
  /** Reference diagnostics whose start is also the start of one of ours. */
  samePositions: number;
}

function referenceService(): LanguageService {
  const ls = getLanguageService({
    schemaRequestService: async (uri) => fs.readFileSync(new URL(uri), 'utf8'),
    workspaceContext: { resolveRelativePath: (rel, base) => new URL(rel, base).toString() },
  });
  const schemas = [];
  for (const kind of ['request', 'response'] as const) {
    for (const file of fs.readdirSync(path.join(SCHEMAS, `${kind}s`))) {
      const op = file.replace(/\.json$/, '');
      schemas.push({
        uri: pathToFileURL(path.join(SCHEMAS, schemaFile(op, kind))).toString(),
        fileMatch: [`*.${documentKey(op, kind)}.json`],
      });
    }
  }
  ls.configure({ validate: true, allowComments: true, schemas });
  return ls;
}

async function referenceValidate(ls: LanguageService, doc: TextDocument) {
  const json = ls.parseJSONDocument(doc);
  return ls.doValidation(doc, json, { comments: 'ignore', trailingCommas: 'ignore' });
}

export function documents(): BenchDoc[] {
  const out: BenchDoc[] = [request(false), request(true), typicalResponse()];
  for (const [label, size] of [
    ['10 KB', 10_240],
    ['1 MB', 1 << 20],
    ['10 MB', 10 << 20],
  ] as const) {
    for (const withErrors of [false, true]) {
      const d = tokenInformationResponse(size, withErrors);
      d.name = `${label} GetTokenInformation response ${withErrors ? MANY_ERRORS : BULK_UNKNOWN}`;
      out.push(d);
    }
  }
  return out;
}

/** A row's name states its number of errors: the document must have exactly that many. */
function checkErrorCount(d: BenchDoc, findings: ReturnType<typeof analyze>): void {
  if (d.expectedErrors === undefined) return;
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length !== d.expectedErrors) {
    throw new Error(
      `${d.name}: ${errors.length} errors, not ${d.expectedErrors}: ${errors.map((f) => f.code ?? f.rule).join(', ')}`,
    );
  }
}

export async function measureValidation(
  docs: BenchDoc[] = documents(),
  log: (s: string) => void = () => undefined,
): Promise<ValidationRow[]> {
  const ls = referenceService();
  const rows: ValidationRow[] = [];
  for (const d of docs) {
    const key = Object.keys(JSON.parse(d.text))[0];
    const op = operationForKey(key)!;
    const uri = `file:///bench/doc.${documentKey(op.operation.name, op.kind)}.json`;
    const textDoc = TextDocument.create(uri, 'json', 1, d.text);
    const big = d.text.length > 2_000_000;
    const t = await paired(
      () => analyze(d.text),
      () => referenceValidate(ls, textDoc),
      { minRuns: big ? 3 : 7, maxRuns: big ? 5 : 40, budgetMs: big ? 2000 : 3000 },
    );
    const parse = median(await timeRuns(() => JSON.parse(d.text), big ? 5 : 15));
    const ours = analyze(d.text);
    checkErrorCount(d, ours);
    const theirs = await referenceValidate(ls, textDoc);
    const starts = new Set(ours.map((f) => f.offset));
    const row: ValidationRow = {
      name: d.name,
      bytes: Buffer.byteLength(d.text),
      ours: median(t.a),
      reference: median(t.b),
      parse,
      ourFindings: ours.length,
      refFindings: theirs.length,
      samePositions: theirs.filter((x) => starts.has(textDoc.offsetAt(x.range.start))).length,
    };
    rows.push(row);
    log(
      `  ${d.name}: ours ${row.ours.toFixed(2)} ms, reference ${row.reference.toFixed(2)} ms, JSON.parse ${row.parse.toFixed(2)} ms; findings ${row.ourFindings} vs ${row.refFindings}`,
    );
  }
  return rows;
}

if (require.main === module) void measureValidation(undefined, console.log);
