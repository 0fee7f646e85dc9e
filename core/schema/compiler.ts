// The schema compiler: the one ajv configuration, used at build time (scripts/generateValidators.ts
// writes standalone validators with it) and, when running from the sources, to compile a schema that
// has no up-to-date generated validator. The bundles hold precompiled validators and never load this
// module (validators.ts requires it only on its sources branch), nor ajv with it.
import type AjvClass from 'ajv';
import type { ValidateFunction } from 'ajv';
import { common, getSchema, schemaFile, type DocumentKind, type JsonSchema } from '../data/catalog';

/** `$id` base of the compiled schemas (relative `$ref`s such as `../common.json#…` resolve against it). */
export const SCHEMA_BASE = 'https://vip-api-workbench.invalid/schemas/';
/** Annotation keywords our schemas use besides standard JSON Schema. */
const ANNOTATIONS = [
  'markdownDescription',
  'markdownEnumDescriptions',
  'enumDescriptions',
  'deprecationMessage',
  'x-vip-reasonCode',
  'x-vip-xml',
  'defaultSnippets',
];

/**
 * The one ajv configuration (build time: `source: true` for standalone code).
 */
export function createAjv(options: { source?: boolean } = {}): AjvClass {
  const Ajv = (require('ajv') as { default: typeof AjvClass }).default;
  const addFormats = (require('ajv-formats') as { default: (a: AjvClass, f: string[]) => void }).default;
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    allowUnionTypes: true,
    logger: false,
    ...(options.source ? { code: { source: true } } : {}),
  });
  addFormats(ajv, ['date-time']);
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword, schemaType: ['string', 'array', 'object'] });
  ajv.addSchema({ ...common, $id: SCHEMA_BASE + 'common.json' });
  return ajv;
}

/** The schema of `operation`/`kind` as it is compiled: with its `$id`. */
export function compilableSchema(operation: string, kind: DocumentKind): JsonSchema {
  return { ...getSchema(operation, kind), $id: SCHEMA_BASE + schemaFile(operation, kind) };
}

/** Identifies what a validator was compiled from: the schema, common.json and the ajv version. */
export function schemaFingerprint(operation: string, kind: DocumentKind): string {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const text = JSON.stringify([ajvVersion, ANNOTATIONS, common, compilableSchema(operation, kind)]);
  return (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(text).digest('hex');
}

let ajv: AjvClass | undefined;

/** Run-time fallback: compiles with ajv (loaded on first use, not at start-up). */
export function compile(operation: string, kind: DocumentKind): ValidateFunction {
  ajv ??= createAjv();
  const schema = compilableSchema(operation, kind);
  try {
    return ajv.compile(schema);
  } catch (e) {
    ajv.removeSchema(schema.$id as string); // a failed compile must not block the next attempt
    throw e;
  }
}
