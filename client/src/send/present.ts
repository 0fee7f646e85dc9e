// What the user sees after a send (pure: no vscode): the status line, the response file name,
// the explanation, and the GetTokenInformation follow-up for token-state errors.
import * as path from 'node:path';
import { getReasonCode, type ReasonCodeInfo } from '../../../core/data/catalog';
import type { SendResult } from '../../../core/transport';

/** "0000 Success · 182 ms", or "4e04 Unsupported service protocol version — Correct the version… · 12 ms". */
export function statusLine(
  r: Pick<SendResult, 'reasonCode' | 'statusMessage' | 'reason' | 'success' | 'timings'>,
): string {
  const message = r.reason?.message ?? r.statusMessage;
  const fix = !r.success && r.reason?.solution ? ` — ${firstSentence(r.reason.solution)}` : '';
  return `${r.reasonCode} ${message}${fix} · ${Math.round(r.timings.total)} ms`;
}

function firstSentence(s: string): string {
  const m = /^(.*?[.!?])(\s|$)/s.exec(s.trim());
  return (m ? m[1] : s).replace(/\s+/g, ' ');
}

/** Reason codes that report the token's state (4993–4996): offer "Check token state". */
export function isTokenStateError(code: string): boolean {
  return Boolean(getReasonCode(code)?.state);
}

/** The response file's name: after the request, and after the time unless the tab is reused. */
export function responseFileName(requestName: string, reuse: boolean, when: Date = new Date()): string {
  const base = path.basename(requestName).replace(/(\.vip)?\.jsonc?$/i, '') || 'request';
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '_');
  if (reuse) return `${safe}.response.vip.json`;
  const t = when.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return `${safe}.${t}.response.vip.json`;
}

/** The explanation of a reason code as plain text (for a modal message's detail). */
export function explainText(code: string, statusMessage = ''): string {
  const rc: ReasonCodeInfo | undefined = getReasonCode(code);
  if (!rc)
    return `Reason code ${code} is not in the catalog.${statusMessage ? ` The service said: ${statusMessage}` : ''}`;
  const lines = [`${rc.code} — ${rc.message}`, '', `Cause / solution: ${rc.solution}`];
  if (rc.note) lines.push('', rc.note);
  if (rc.fields?.length) lines.push('', `Fields: ${rc.fields.join(', ')}`);
  if (rc.state) lines.push(`Token state: ${rc.state}`);
  if (statusMessage && statusMessage !== rc.message) lines.push('', `The service said: ${statusMessage}`);
  return lines.join('\n');
}

/** A ready GetTokenInformation request for the TokenId of the request that was sent. */
export function tokenInformationRequest(sent: unknown): string | undefined {
  if (typeof sent !== 'object' || sent === null) return undefined;
  const body = Object.values(sent)[0] as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const tokenId =
    typeof body.TokenId === 'string'
      ? body.TokenId
      : Array.isArray(body.TokenId) && typeof body.TokenId[0] === 'string'
        ? body.TokenId[0]
        : undefined;
  if (!tokenId) return undefined;
  const version = typeof body.Version === 'string' ? body.Version : '3.1';
  return JSON.stringify({ GetTokenInformationRequest: { Version: version, TokenId: tokenId } }, null, 2) + '\n';
}
