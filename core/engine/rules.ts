// Rules the JSON Schemas cannot express: what the VIP service checks against its own state
// (supported versions, the clock) and hints about field usage. Each names its reason code.
import { adapterSettingsBlocks, getReasonCode, type OperationInfo, versions } from '../data/catalog';
import { isPlainObject } from '../schema/document';
import type { EngineContext, Issue, JsonPath } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
const VERSION_PATTERN = new RegExp(versions.pattern);
const OTP_FIELDS = ['OTP', 'OTP1', 'OTP2'];
// Same shape as the ajv date-time format: the rule only runs on values the schema accepts.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;

// The checks run in a fixed order, so the issues come out in the same order as they always have.
export function requestRules(op: OperationInfo, key: string, body: unknown, settings: EngineContext): Issue[] {
  if (!isPlainObject(body)) return [];
  const at = (field: string): JsonPath => [key, field];
  return [
    ...versionIssues(body, at, settings),
    ...expirationIssues(op, body, at, settings),
    ...otpIssues(op, body, at),
    ...adapterSettingsIssues(op, key, body),
    ...requestIdIssues(body, at),
  ];
}

type RequestBody = Record<string, unknown>;
type FieldPath = (field: string) => JsonPath;

/** A well-formed Version the service does not support (4e04). */
function versionIssues(body: RequestBody, at: FieldPath, settings: EngineContext): Issue[] {
  const version = body.Version;
  if (typeof version !== 'string' || !VERSION_PATTERN.test(version) || settings.supportedVersions.includes(version)) {
    return [];
  }
  const rc = getReasonCode('4e04');
  return [
    {
      path: at('Version'),
      severity: 'error',
      code: '4e04',
      rule: 'version.unsupported',
      message: `Version ${JSON.stringify(version)} is not supported: the service would answer 4e04 (${rc?.message}). Supported: ${settings.supportedVersions.join(', ')}.`,
      data: { supported: [...settings.supportedVersions] },
    },
  ];
}

/** An ExpirationDate in the past or beyond the operation's limit (4953), judged against the context's clock. */
function expirationIssues(op: OperationInfo, body: RequestBody, at: FieldPath, settings: EngineContext): Issue[] {
  if (!op.expirationMaxDays || typeof body.ExpirationDate !== 'string' || !DATE_TIME.test(body.ExpirationDate)) {
    return [];
  }
  const when = Date.parse(body.ExpirationDate);
  if (Number.isNaN(when)) return [];
  const now = settings.now.getTime();
  const max = op.expirationMaxDays;
  if (when <= now) {
    return [
      {
        path: at('ExpirationDate'),
        severity: 'error',
        code: '4953',
        rule: 'expiration.past',
        message: `ExpirationDate must be later than now (${new Date(now).toISOString()}): the service would answer 4953.`,
        data: { maxDays: max },
      },
    ];
  }
  if (when > now + max * DAY_MS) {
    return [
      {
        path: at('ExpirationDate'),
        severity: 'error',
        code: '4953',
        rule: 'expiration.tooFar',
        message: `ExpirationDate is more than ${max} days ahead: ${op.name} allows at most ${max} days (until ${new Date(now + max * DAY_MS).toISOString()}); the service would answer 4953.`,
        data: { maxDays: max },
      },
    ];
  }
  return [];
}

/** OTPs that are valid but not the usual 6 digits, and a Synchronize that sends the same code twice. */
function otpIssues(op: OperationInfo, body: RequestBody, at: FieldPath): Issue[] {
  const issues: Issue[] = [];
  for (const field of OTP_FIELDS) {
    const v = body[field];
    if (typeof v === 'string' && /^[a-zA-Z0-9]{6,10}$/.test(v) && !/^\d{6}$/.test(v)) {
      issues.push({
        path: at(field),
        severity: 'warning',
        rule: 'otp.notSixDigits',
        message: `${field} ${JSON.stringify(v)} is valid but unusual: standard VIP credentials show 6 digits.`,
      });
    }
  }
  if (op.name === 'Synchronize' && typeof body.OTP1 === 'string' && body.OTP1 === body.OTP2) {
    issues.push({
      path: at('OTP2'),
      severity: 'error',
      rule: 'otp.sameTwice',
      message: 'OTP2 must be the next consecutive code after OTP1, not the same code.',
    });
  }
  return issues;
}

/** `Id` is the XML name of `RequestId`: a hint when used alone, a warning when both are set. */
function requestIdIssues(body: RequestBody, at: FieldPath): Issue[] {
  if (!('Id' in body)) return [];
  if ('RequestId' in body) {
    return [
      {
        path: at('Id'),
        onKey: true,
        severity: 'warning',
        rule: 'requestId.both',
        message: 'Both `Id` and `RequestId` are set: they are the same field (XML attribute `Id`). Keep `RequestId`.',
      },
    ];
  }
  return [
    {
      path: at('Id'),
      onKey: true,
      severity: 'hint',
      rule: 'requestId.alias',
      message: '`Id` is the XML name of `RequestId`; it is accepted, but `RequestId` is the JSON name.',
    },
  ];
}

export function responseRules(key: string, body: unknown): Issue[] {
  if (!isPlainObject(body) || !isPlainObject(body.Status)) return [];
  const code = body.Status.ReasonCode;
  if (typeof code === 'string' && /^[0-9a-fA-F]{4}$/.test(code) && !getReasonCode(code)) {
    return [
      {
        path: [key, 'Status', 'ReasonCode'],
        severity: 'warning',
        rule: 'reasonCode.unknown',
        message: `Reason code ${code} is not in the VIP reason-code catalog; check the StatusMessage and Broadcom's documentation.`,
      },
    ];
  }
  return [];
}

// Get/SetAdapterConfiguration: each adapter is configured by one settings block (schemas/operations.json
// `adapterSettingsBlocks`); the simulator refuses a block of another adapter with 4e00 (our assumption).
const ADAPTER_SETTINGS_BLOCKS = new Set(Object.values(adapterSettingsBlocks));

function adapterSettingsIssues(op: OperationInfo, key: string, body: Record<string, unknown>): Issue[] {
  if (op.name !== 'SetAdapterConfiguration' || typeof body.Adapter !== 'string') return [];
  const expected = adapterSettingsBlocks[body.Adapter];
  if (!expected) return [];
  const issues: Issue[] = [];
  for (const field of Object.keys(body)) {
    if (!ADAPTER_SETTINGS_BLOCKS.has(field) || field === expected) continue;
    issues.push({
      path: [key, field],
      onKey: true,
      severity: 'error',
      code: '4e00',
      rule: 'adapter.wrongSettingsBlock',
      message: `${field} does not configure ${body.Adapter}: send its settings in ${expected}.`,
      data: { expected },
    });
  }
  return issues;
}
