// Temporary security codes: set, generate, send, and their expiration.
import type { OperationInfo } from '../../data/catalog';
import { hashCode, liveTempPassword } from '../codes';
import { fail } from '../fault';
import { bool, isObject, type Fields, type Req } from '../fields';
import type { CallContext, Ledger, OperationHandler } from '../handlerTypes';
import { randomDigits } from '../otp';
import type { SimToken } from '../state';

// The ExpirationDate is checked before the credential: 4953 is about the request alone.
function setTemporaryPassword(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const value = req.TemporaryPassword as string;
  const expires = value === '' ? undefined : ledger.expiry(req.ExpirationDate, op, ctx);
  const token = ledger.findToken(req.TokenId, req);
  ledger.gate(token, op);
  if (expires === undefined) {
    delete token.tempPassword;
    return {};
  }
  token.tempPassword = {
    sha256: hashCode(token, value),
    expires,
    ...(bool(req.OneTimeUseOnly) ? { oneTimeUse: true } : {}),
  };
  ledger.touch(token, ctx);
  return {};
}

function newTemporaryPassword(
  ledger: Ledger,
  req: Req,
  op: OperationInfo,
  ctx: CallContext,
): { token: SimToken; value: string } {
  const expires = ledger.expiry(req.ExpirationDate, op, ctx);
  const token = ledger.findToken(req.TokenId, req, op.name === 'SendTemporaryPassword');
  ledger.gate(token, op);
  const value = randomDigits(6);
  token.tempPassword = {
    sha256: hashCode(token, value),
    expires,
    ...(bool(req.OneTimeUseOnly) ? { oneTimeUse: true } : {}),
  };
  ledger.touch(token, ctx);
  return { token, value };
}

function generateTemporaryPassword(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  return { TemporaryPassword: newTemporaryPassword(ledger, req, op, ctx).value };
}

function sendTemporaryPassword(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const destination = isObject(req.Destination) ? req.Destination : undefined;
  const to =
    typeof req.PhoneNumber === 'string'
      ? req.PhoneNumber
      : typeof destination?.value === 'string'
        ? destination.value
        : undefined;
  if (!to) fail('4e00', 'SendTemporaryPassword needs PhoneNumber (SMS) or Destination (Voice).');
  const { token, value } = newTemporaryPassword(ledger, req, op, ctx);
  ledger.deliver(
    {
      operation: op.name,
      tokenId: token.id,
      channel: destination?.type === 'Voice' ? 'Voice' : 'SMS',
      to,
      kind: 'TemporaryPassword',
      code: value,
    },
    ctx,
  );
  return {};
}

function setTemporaryPwdExpiration(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const expires = ledger.expiry(req.ExpirationDate, op, ctx);
  const token = ledger.findToken(req.TokenId, req);
  ledger.gate(token, op);
  const current = liveTempPassword(token, ctx.now);
  if (!current) return fail('4990', `Credential ${token.id} has no temporary security code; set one first.`);
  current.expires = expires;
  ledger.touch(token, ctx);
  return {};
}

function getTemporaryPwdExpiration(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req);
  ledger.gate(token, op);
  const current = liveTempPassword(token, ctx.now);
  return current ? { ExpirationDate: current.expires } : {};
}

export const temporaryPasswords: Record<string, OperationHandler> = {
  SetTemporaryPassword: setTemporaryPassword,
  GenerateTemporaryPassword: generateTemporaryPassword,
  SendTemporaryPassword: sendTemporaryPassword,
  SetTemporaryPwdExpiration: setTemporaryPwdExpiration,
  GetTemporaryPwdExpiration: getTemporaryPwdExpiration,
};
