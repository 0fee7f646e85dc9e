// Generated VIP documents for the benchmarks: a typical request, and GetTokenInformation-style
// responses of 10 KB, 1 MB and 10 MB, each clean or with many errors.

export interface BenchDoc {
  name: string;
  text: string;
  /** Expected to produce findings. */
  withErrors: boolean;
}

export function request(withErrors: boolean): BenchDoc {
  const body = {
    Version: withErrors ? '5.0' : '3.1',
    RequestId: 'SYMC87654321',
    TokenId: 'VSST12345678',
    TemporaryPassword: withErrors ? '12345' : '123456',
    ExpirationDate: withErrors ? '2099-01-01T00:00:00Z' : new Date(Date.now() + 86400000).toISOString(),
    OneTimeUseOnly: true,
  };
  return { name: `request ${withErrors ? '(4 errors)' : '(clean)'}`, text: JSON.stringify({ SetTemporaryPasswordRequest: body }, null, 2), withErrors };
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
    : { type: ['NEW', 'ENABLED', 'DISABLED', 'LOCKED', 'INACTIVE'][i % 5], Total: i, Reason: [{ type: 'Lost', value: 1 }] };
}

/**
 * A GetTokenInformationResponse of about `bytes`. Clean: the bulk is a `History` list of token
 * information, a field newer than the schema, which the open response schema accepts (both
 * validators still parse all of it). With errors: the bulk is NetworkIntelligence.TokenState,
 * which the schema covers (at most 5 items), with every 50th item invalid — thousands of findings.
 */
export function tokenInformationResponse(bytes: number, withErrors: boolean): BenchDoc {
  const bulk: unknown[] = [];
  const body: Record<string, unknown> = {
    Version: '3.1',
    RequestId: 'SYMC87654321',
    Status: { ReasonCode: '0000', StatusMessage: 'Success' },
    TokenInformation: tokenInformation(0),
    NetworkIntelligence: { NumberOfParties: 3, TokenState: withErrors ? bulk : [tokenState(1, false)], GlobalFailureCount: 0 },
    TokenCategoryDetails: { CategoryId: 70, FormFactor: 'MOBILE', MovingFactor: 'TIME', OtpGeneratedBy: 'SOFTWARE' },
    ...(withErrors ? {} : { History: bulk }),
  };
  const make = (i: number) => (withErrors ? tokenState(i, i % 50 === 0) : tokenInformation(i));
  const itemSize = JSON.stringify(make(1)).length + 1;
  const count = Math.max(1, Math.floor((bytes - 700) / itemSize));
  for (let i = 0; i < count; i++) bulk.push(make(i));
  return { name: '', text: JSON.stringify({ GetTokenInformationResponse: body }, null, 1), withErrors };
}
