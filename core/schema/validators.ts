// The validators of the VIP schemas: precompiled at build time (ajv standalone code), or compiled
// with ajv from the sources when there is no build or a schema changed since. Which of the two a
// process uses is decided in one place, validatorFor, by the bundle flag.
import type { ValidateFunction } from 'ajv';
import { getSchema, schemaFile, type DocumentKind } from '../data/catalog';

/** Set to true by esbuild (esbuild.mjs) in the server and CLI bundles, built together with their validators. */
declare const __VIP_VALIDATORS_BUILT_WITH_BUNDLE__: boolean | undefined;

interface GeneratedValidators {
  load(file: string): ValidateFunction | undefined;
}

let generated: GeneratedValidators | null | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * The validators precompiled at build time (ajv standalone code, core/schema/validators.generated.js,
 * written by `npm run build`; the bundles require it as dist/validators.js): no schema compiler to
 * load or run. Absent when running from the sources without a build.
 */
function generatedValidators(): GeneratedValidators | null {
  if (generated === undefined) {
    try {
      generated = require('./validators.generated') as GeneratedValidators;
    } catch {
      generated = null;
    }
  }
  return generated;
}

/** What each generated validator was compiled from (see schemaFingerprint); {} without a build. */
function generatedFingerprints(): Record<string, string | undefined> {
  try {
    return require('./validators.generated.json') as Record<string, string | undefined>;
  } catch {
    return {};
  }
}

/**
 * A validator precompiled under `key` by scripts/generateValidators.ts besides the schemas/ files
 * (e.g. the simulator's state file), for bundles built with their validators; undefined otherwise.
 */
export function precompiledValidator(key: string): ValidateFunction | undefined {
  return generatedValidators()?.load(key);
}

export function validatorFor(operation: string, kind: DocumentKind): ValidateFunction {
  const file = schemaFile(operation, kind);
  let validate = validators.get(file);
  if (!validate) {
    // The one check of the bundle flag. Written out (not a constant) so that esbuild drops the
    // other branch, and with it ajv and everything only that branch calls, from the bundles.
    if (typeof __VIP_VALIDATORS_BUILT_WITH_BUNDLE__ !== 'undefined' && __VIP_VALIDATORS_BUILT_WITH_BUNDLE__) {
      validate = bundledValidator(operation, kind, file);
    } else {
      validate = sourcesValidator(operation, kind, file);
    }
    validators.set(file, validate);
  }
  return validate;
}

/** The bundle holds a validator for every schema, generated from the same files: no compiler. */
function bundledValidator(operation: string, kind: DocumentKind, file: string): ValidateFunction {
  const validate = generatedValidators()?.load(file);
  if (validate) return validate;
  getSchema(operation, kind); // throws for an unknown operation, as the compiler would
  throw new Error(`No precompiled validator for ${file}`);
}

/**
 * From the sources: the generated validators only while they match the schemas (one may have been
 * edited since the last build), else ajv compiles the schema here.
 */
function sourcesValidator(operation: string, kind: DocumentKind, file: string): ValidateFunction {
  const compiler = require('./compiler') as typeof import('./compiler');
  const mod = generatedValidators();
  const generated =
    mod && generatedFingerprints()[file] === compiler.schemaFingerprint(operation, kind) ? mod.load(file) : undefined;
  return generated ?? compiler.compile(operation, kind);
}
