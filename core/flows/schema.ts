// The JSON Schema of *.vipflow.json files (schemas/flow.schema.json) and its validator: precompiled
// at build time in the bundles (scripts/generateValidators.ts), compiled with ajv from the sources.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { precompiledValidator } from '../schema/validators';
import flowSchemaFile from '../../schemas/flow.schema.json';

/** Key of the flow validator among the precompiled ones. */
export const FLOW_VALIDATOR_KEY = 'flows/flow';
/** ajv options for the flow schema, the same at build time and from the sources. */
export const FLOW_AJV_OPTIONS = { allErrors: true, strict: false } as const;
export const FLOW_SCHEMA: Record<string, unknown> = flowSchemaFile;

/** Set to true by esbuild (esbuild.mjs) in bundles built with their precompiled validators. */
declare const __VIP_VALIDATORS_BUILT_WITH_BUNDLE__: boolean | undefined;

let validateFlow: ValidateFunction | undefined;

function flowValidator(): ValidateFunction {
  // Written out so that esbuild drops ajv from the bundles: they carry the validator precompiled.
  if (typeof __VIP_VALIDATORS_BUILT_WITH_BUNDLE__ !== 'undefined' && __VIP_VALIDATORS_BUILT_WITH_BUNDLE__) {
    const validate = precompiledValidator(FLOW_VALIDATOR_KEY);
    if (!validate) throw new Error('No precompiled validator for flow files in this bundle.');
    return validate;
  } else {
    // From the sources: compiled here, so an edit of the schema counts at once.
    const Ajv = (require('ajv') as typeof import('ajv')).default;
    const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
    const ajv = new Ajv(FLOW_AJV_OPTIONS);
    addFormats(ajv, ['date-time']);
    return ajv.compile(FLOW_SCHEMA);
  }
}

/** The schema errors of a parsed flow value (empty when it is valid). */
export function flowSchemaErrors(value: unknown): ErrorObject[] {
  validateFlow ??= flowValidator();
  return validateFlow(value) ? [] : [...(validateFlow.errors ?? [])];
}
