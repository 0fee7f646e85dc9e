// Generated VIP documents for the benchmarks: a request, a valid response of the size users edit
// (1–3 KB), and GetTokenInformation-style responses of 10 KB, 1 MB and 10 MB, each valid (bulk in
// a field the schema does not check) or with many errors.

export interface BenchDoc {
  name: string;
  text: string;
  /** Expected to produce findings. */
  withErrors: boolean;
  /** When set, the exact number of error findings the document must produce (the bench checks it). */
  expectedErrors?: number;
}

/** The suffixes of the large documents' names; the scaling section pairs rows by them. */
export const BULK_UNKNOWN = '(valid; bulk in an unknown field)';
export const MANY_ERRORS = '(many errors)';

/** A SetTemporaryPassword request: valid, or with 4e04 (Version), 4952 (TemporaryPassword) and 4953 (ExpirationDate). */
export function request(withErrors: boolean): BenchDoc {
  const body = {
    Version: withErrors ? '5.0' : '3.1',
    RequestId: 'SYMC87654321',
    TokenId: 'VSST12345678',
    TemporaryPassword: withErrors ? '12345' : '123456',
    ExpirationDate: withErrors ? '2099-01-01T00:00:00Z' : new Date(Date.now() + 86400000).toISOString(),
    OneTimeUseOnly: true,
  };
  const expectedErrors = withErrors ? 3 : 0;
  return {
    name: `request (${withErrors ? `${expectedErrors} errors` : 'valid'})`,
    text: JSON.stringify({ SetTemporaryPasswordRequest: body }, null, 2),
    withErrors,
    expectedErrors,
  };
}

function tokenInformation(i: number) {
  return {
    TokenId: `VSST${String(i).padStart(8, '0')}`,
    TokenKind: 'SOFTWARE',
    Adapter: 'OATH_TIME',
    TokenStatus: ['NEW', 'ENABLED', 'DISABLED', 'LOCKED', 'INACTIVE'][i % 5],
    ExpirationDate: '2038-01-01T00:00:00.205Z',
    LastUpdate: '2026-11-01T10:00:00Z',
    Owner: 'true',
  };
}

function tokenState(i: number, bad: boolean) {
  return bad
    ? { type: 'ENABLEDX', Total: 'two', Reason: [{ type: 'Lost', value: 1 }] }
    : {
        type: ['NEW', 'ENABLED', 'DISABLED', 'LOCKED', 'INACTIVE'][i % 5],
        Total: i,
        Reason: [{ type: 'Lost', value: 1 }],
      };
}

function responseBody(tokenStates: unknown[]): Record<string, unknown> {
  return {
    Version: '3.1',
    RequestId: 'SYMC87654321',
    Status: { ReasonCode: '0000', StatusMessage: 'Success' },
    TokenInformation: tokenInformation(0),
    NetworkIntelligence: { NumberOfParties: 3, TokenState: tokenStates, GlobalFailureCount: 0 },
    TokenCategoryDetails: { CategoryId: 70, FormFactor: 'MOBILE', MovingFactor: 'TIME', OtpGeneratedBy: 'SOFTWARE' },
  };
}

/**
 * The document users actually edit: a valid GetTokenInformationResponse of 1–3 KB in which the
 * schema knows every field (TokenState at its maxItems of 5), pretty-printed as a saved response.
 */
export function typicalResponse(): BenchDoc {
  const text = JSON.stringify(
    { GetTokenInformationResponse: responseBody([0, 1, 2, 3, 4].map((i) => tokenState(i, false))) },
    null,
    2,
  );
  if (text.length < 1024 || text.length > 3072)
    throw new Error(`the typical response is ${text.length} bytes, not 1–3 KB`);
  const kb = (Buffer.byteLength(text) / 1024).toFixed(1);
  return {
    name: `${kb} KB GetTokenInformation response (valid; every field known)`,
    text,
    withErrors: false,
    expectedErrors: 0,
  };
}

/**
 * A GetTokenInformationResponse of about `bytes`. Valid: the bulk is a `History` list of token
 * information, a field the schema does not know, which the open response schema accepts: both
 * validators still parse all of it, but neither checks it, so these rows mostly measure
 * `JSON.parse` against the reference building its tree (every array the schema knows has a
 * `maxItems` from the XSD, so a valid VIP document is small). With errors: the bulk is
 * NetworkIntelligence.TokenState, which the schema covers (at most 5 items), with every 50th item
 * invalid — thousands of findings.
 */
export function tokenInformationResponse(bytes: number, withErrors: boolean): BenchDoc {
  const bulk: unknown[] = [];
  const body = responseBody(withErrors ? bulk : [tokenState(1, false)]);
  if (!withErrors) body.History = bulk;
  const make = (i: number) => (withErrors ? tokenState(i, i % 50 === 0) : tokenInformation(i));
  const itemSize = JSON.stringify(make(1)).length + 1;
  const count = Math.max(1, Math.floor((bytes - 700) / itemSize));
  for (let i = 0; i < count; i++) bulk.push(make(i));
  return {
    name: '',
    text: JSON.stringify({ GetTokenInformationResponse: body }, null, 1),
    withErrors,
    ...(withErrors ? {} : { expectedErrors: 0 }),
  };
}
