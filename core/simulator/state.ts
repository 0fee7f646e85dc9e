// The simulator's state: an account, its credentials and the validation settings. Loaded from a
// JSON file (checked against STATE_SCHEMA, so a bad file gets a clear message), written back atomically.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { precompiledValidator } from '../schema/validators';
import { checkAdapterSettings } from './adapterSettings';
import demoStateFile from '../../schemas/simulator-demo-state.json';

export type SimTokenState = 'NEW' | 'ENABLED' | 'DISABLED' | 'LOCKED' | 'INACTIVE';

/** A temporary security code, kept as a SHA-256 so a state dump never shows it. */
export interface StoredCode {
  sha256: string;
  expires: string;
  oneTimeUse?: boolean;
}

export interface SimToken {
  /** TokenId: a credential ID (`SYMC12345678`) or, for SMS/Voice credentials, the phone number. */
  id: string;
  adapter: string;
  kind?: 'SOFTWARE' | 'HARDWARE';
  state: SimTokenState;
  /** OATH / OCRA shared secret in hex. */
  secret?: string;
  /** HOTP: the next counter value the credential will show. */
  counter?: number;
  /** TOTP: drift in steps learned by synchronization. */
  driftSteps?: number;
  /** TOTP: the last accepted time step (codes are single-use and forward-only). */
  lastStep?: number;
  failedAttempts?: number;
  /** Account that issued the credential; defaults to the state's account. */
  owner?: string;
  revoked?: boolean;
  expirationDate?: string;
  lastUpdate?: string;
  reportedReason?: string;
  tokenGroupId?: string;
  category?: {
    CategoryId: number;
    FormFactor: string;
    MovingFactor: 'NONE' | 'TIME' | 'EVENT';
    OtpGeneratedBy: 'HARDWARE' | 'SOFTWARE' | 'SERVER';
  };
  tempPassword?: StoredCode;
  /** SMS/Voice: the code last sent to the phone. */
  phoneOtp?: StoredCode;
  attributes?: { name: string; value?: string }[];
}

export interface SimSettings {
  timeStepSeconds: number;
  digits: number;
  /** TOTP: steps either side of the server time that validate. */
  validationWindow: number;
  /** HOTP: counter values ahead of the expected one that validate. */
  lookAheadWindow: number;
  /** Steps (TOTP, either side) or counters (HOTP, ahead) where a second code resynchronizes (4923). */
  syncWindow: number;
  maxFailedAttempts: number;
  phoneOtpValiditySeconds: number;
  temporaryPasswordDefaultHours: number;
}

export interface SimulatorState {
  /** The account the caller's VIP certificate belongs to. */
  account: string;
  /** Accounts the caller may name in AuthorizerAccountId (besides its own). */
  memberAccounts?: string[];
  settings?: Partial<SimSettings>;
  tokens: SimToken[];
  /** Credential IDs revoked by VIP: 4e11. */
  revokedTokenIds?: string[];
  /** Get/SetAdapterConfiguration: per adapter, the fields of its settings block (./adapterSettings). */
  adapterSettings?: Record<string, Record<string, unknown>>;
}

export const DEFAULT_SETTINGS: SimSettings = {
  timeStepSeconds: 30,
  digits: 6,
  validationWindow: 10,
  lookAheadWindow: 10,
  syncWindow: 100,
  maxFailedAttempts: 5,
  phoneOtpValiditySeconds: 300,
  temporaryPasswordDefaultHours: 24,
};

const STATES = ['NEW', 'ENABLED', 'DISABLED', 'LOCKED', 'INACTIVE'];
const ADAPTERS = [
  'OATH_EVENT_BASIC',
  'OATH_EVENT_ADVANCED_1',
  'OATH_EVENT_ADVANCED_2',
  'VASCO_TIME',
  'SERVER_OTP',
  'OATH_TIME',
  'SMS_OTP',
  'VOICE_OTP',
  'SECURID',
  'OCRA',
];
const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum });
const storedCode = {
  type: 'object',
  required: ['sha256', 'expires'],
  additionalProperties: false,
  properties: {
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    expires: { type: 'string', format: 'date-time' },
    oneTimeUse: { type: 'boolean' },
  },
};

/** Set to true by esbuild (esbuild.mjs) in bundles built with their precompiled validators. */
declare const __VIP_VALIDATORS_BUILT_WITH_BUNDLE__: boolean | undefined;

/** Key of the state validator among the precompiled ones (scripts/generateValidators.ts). */
export const STATE_VALIDATOR_KEY = 'simulator/state';
/** ajv options for STATE_SCHEMA, the same at build time and from the sources. */
export const STATE_AJV_OPTIONS = { allErrors: true, strict: false } as const;

export const STATE_SCHEMA = {
  type: 'object',
  required: ['account', 'tokens'],
  additionalProperties: false,
  properties: {
    $comment: { type: 'string' },
    account: { type: 'string', pattern: '^[a-zA-Z0-9]{1,32}$' },
    memberAccounts: { type: 'array', items: { type: 'string', pattern: '^[a-zA-Z0-9]{1,32}$' } },
    revokedTokenIds: { type: 'array', items: { type: 'string' } },
    adapterSettings: { type: 'object', propertyNames: { enum: ADAPTERS }, additionalProperties: { type: 'object' } },
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeStepSeconds: int(1, 3600),
        digits: int(6, 8),
        validationWindow: int(0, 400),
        lookAheadWindow: int(1, 1024),
        syncWindow: int(1, 4096),
        maxFailedAttempts: int(2, 64),
        phoneOtpValiditySeconds: int(10, 86400),
        temporaryPasswordDefaultHours: int(1, 720),
      },
    },
    tokens: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'adapter', 'state'],
        additionalProperties: false,
        properties: {
          $comment: { type: 'string' },
          id: { type: 'string', minLength: 1, maxLength: 40 },
          adapter: { enum: ADAPTERS },
          kind: { enum: ['SOFTWARE', 'HARDWARE'] },
          state: { enum: STATES },
          secret: { type: 'string', pattern: '^([0-9a-fA-F]{2})+$' },
          counter: { type: 'integer', minimum: 0 },
          driftSteps: { type: 'integer' },
          lastStep: { type: 'integer' },
          failedAttempts: { type: 'integer', minimum: 0 },
          owner: { type: 'string' },
          revoked: { type: 'boolean' },
          expirationDate: { type: 'string', format: 'date-time' },
          lastUpdate: { type: 'string', format: 'date-time' },
          reportedReason: { type: 'string' },
          tokenGroupId: { type: 'string' },
          category: {
            type: 'object',
            required: ['CategoryId', 'FormFactor', 'MovingFactor', 'OtpGeneratedBy'],
            additionalProperties: false,
            properties: {
              CategoryId: { type: 'integer' },
              FormFactor: { type: 'string' },
              MovingFactor: { enum: ['NONE', 'TIME', 'EVENT'] },
              OtpGeneratedBy: { enum: ['HARDWARE', 'SOFTWARE', 'SERVER'] },
            },
          },
          tempPassword: storedCode,
          phoneOtp: storedCode,
          attributes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name'],
              additionalProperties: false,
              properties: { name: { type: 'string' }, value: { type: 'string' } },
            },
          },
        },
      },
    },
  },
};

let validateState: ValidateFunction | undefined;

function stateValidator(): ValidateFunction {
  // Written out so that esbuild drops ajv from the bundles: they carry the validator precompiled.
  if (typeof __VIP_VALIDATORS_BUILT_WITH_BUNDLE__ !== 'undefined' && __VIP_VALIDATORS_BUILT_WITH_BUNDLE__) {
    const validate = precompiledValidator(STATE_VALIDATOR_KEY);
    if (!validate) throw new Error('No precompiled validator for the simulator state in this bundle.');
    return validate;
  } else {
    // From the sources: compiled here, so an edit of STATE_SCHEMA counts at once.
    const Ajv = (require('ajv') as typeof import('ajv')).default;
    const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
    const ajv = new Ajv(STATE_AJV_OPTIONS);
    addFormats(ajv, ['date-time']);
    return ajv.compile(STATE_SCHEMA);
  }
}

/** Checks a state object; throws an Error naming the file and the first problems. */
export function checkState(value: unknown, source: string): SimulatorState {
  validateState ??= stateValidator();
  if (!validateState(value)) {
    const problems = (validateState.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}`);
    throw new Error(`${source}: not a valid simulator state: ${problems.join('; ')}`);
  }
  const state = value as SimulatorState;
  const seen = new Set<string>();
  for (const token of state.tokens) {
    if (seen.has(token.id)) throw new Error(`${source}: token ${token.id} is listed twice`);
    seen.add(token.id);
    if (needsSecret(token.adapter) && !token.secret)
      throw new Error(`${source}: token ${token.id} (${token.adapter}) needs a hex "secret"`);
  }
  checkAdapterSettings(state, source);
  return state;
}

export function needsSecret(adapter: string): boolean {
  return !['SMS_OTP', 'VOICE_OTP', 'SERVER_OTP'].includes(adapter);
}

export function settingsOf(state: SimulatorState): SimSettings {
  return { ...DEFAULT_SETTINGS, ...state.settings };
}

/** The built-in demo state (schemas/simulator-demo-state.json), as a fresh copy. */
export function demoState(): SimulatorState {
  return checkState(structuredClone(demoStateFile), 'built-in demo state');
}

export function loadStateFile(file: string): SimulatorState {
  let text: string | undefined;
  try {
    // A FIFO would block for ever, a device such as /dev/zero never end.
    if (fs.statSync(file).isFile()) text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read state file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { cause: e });
  }
  if (text === undefined) throw new Error(`state file ${file} is not a regular file (a FIFO, socket or device)`);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(`state file ${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return checkState(value, `state file ${file}`);
}

/** Writes the state to a temporary file beside `file`, flushes it, then renames it over `file`:
 *  a reader sees the old or the new state, never a half-written one. */
export function saveStateFile(file: string, state: SimulatorState): void {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(state, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
