// A request step's document before it is sent: the request file or inline document with `with`
// applied, and retry refused where it would burn codes. Kept apart from the transport
// (./requestStep), so that the checks (./check) and the language server do not carry it.
import * as fs from 'node:fs';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { operationForKey, type OperationInfo } from '../data/catalog';
import { MAX_NESTING, MAX_REQUEST_FILE_BYTES } from '../engine/limits';
import { FlowError } from './errors';
import { nestedBeyond } from './parse';
import { setPath } from './paths';
import { retryRefusal } from './retry';
import type { StepSpec } from './types';

export interface RequestDocument {
  key: string;
  operation: OperationInfo;
  document: Record<string, Record<string, unknown>>;
}

/** Request files read and parsed, by path, while their modification time and size stay the same. */
const parsedFiles = new Map<string, { mtimeMs: number; size: number; value: unknown }>();
const MAX_PARSED_FILES = 256;

/** Reads a request file as a JSON (with comments) value (a copy: callers change it); a FlowError says what is wrong. */
export function readRequestFile(file: string): unknown {
  let text: string;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    if (!stat.isFile()) throw new FlowError(`the request file ${file} is not a regular file.`);
    // The editor reads request files too: a huge one is refused before it is read.
    if (stat.size > MAX_REQUEST_FILE_BYTES)
      throw new FlowError(
        `the request file ${file} is larger than ${MAX_REQUEST_FILE_BYTES} bytes: not a VIP request.`,
      );
    const known = parsedFiles.get(file);
    // The editor checks a flow on every keystroke: an unchanged file is not read and parsed again.
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return structuredClone(known.value);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof FlowError) throw e;
    throw new FlowError(`cannot read the request file ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  if (nestedBeyond(text, MAX_NESTING) !== undefined)
    throw new FlowError(`the request file ${file} is nested more than ${MAX_NESTING} levels deep: not a VIP request.`);
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length) throw new FlowError(`the request file ${file} is not valid JSON: run vip-api check on it.`);
  if (parsedFiles.size >= MAX_PARSED_FILES) parsedFiles.clear();
  parsedFiles.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, value });
  return structuredClone(value);
}

/** The step's request document before substitution: `{"<Op>Request": {…}}` with `with` applied. */
export function requestDocument(step: StepSpec): RequestDocument {
  const raw = step.send !== undefined ? structuredClone(step.send) : readRequestFile(step.request!);
  const keys = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? Object.keys(raw) : [];
  const key = keys[0];
  const found = keys.length === 1 ? operationForKey(key) : undefined;
  if (!found || found.kind !== 'request') {
    throw new FlowError(
      `${step.request ? `the request file ${step.request}` : '"send"'} must be one object with one key such as "ValidateRequest".`,
    );
  }
  const document = raw as Record<string, Record<string, unknown>>;
  if (typeof document[key] !== 'object' || document[key] === null || Array.isArray(document[key]))
    throw new FlowError(`the value of "${key}" must be an object with the request fields.`);
  for (const [dotPath, value] of Object.entries(step.with ?? {})) setPath(document[key], dotPath, value);
  if (step.retry) {
    const refusal = retryRefusal(found.operation, document[key]);
    if (refusal) throw new FlowError(refusal, 'retry');
  }
  return { key, operation: found.operation, document };
}
