// Polling a step (`retry`), and its refusal on operations that check security codes: a blind retry
// there uses codes up or locks the credential. What each operation costs is in
// schemas/operations.json (`codeCheck`).
import type { OperationInfo } from '../data/catalog';

/** Why `retry` is refused for this request body, or undefined when polling it is harmless. */
export function retryRefusal(operation: OperationInfo, body: Record<string, unknown>): string | undefined {
  const check = operation.codeCheck;
  if (!check) return undefined;
  const present = check.fields.filter((f) => body[f] !== undefined && body[f] !== null && body[f] !== '');
  if (present.length === 0) return undefined;
  const costs = [
    check.consumesCode ? `each attempt uses up the security code in ${present.join(' and ')}` : undefined,
    check.countsTowardsLockout ? 'each wrong code counts towards lockout' : undefined,
  ].filter((c): c is string => c !== undefined);
  const harm = check.countsTowardsLockout
    ? check.consumesCode
      ? 'burns codes or locks the credential'
      : 'can lock the credential'
    : 'burns codes';
  return `"retry" is refused on ${operation.name}: ${costs.join(', and ')}, so a blind retry ${harm}. Poll with an operation that checks no code (e.g. GetTokenInformation), or remove "retry".`;
}
