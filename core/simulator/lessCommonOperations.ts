// The less common operations (catalog `common: false`): DeliverSMS, GetAdminCode, ValidateCR,
// transaction verification and SetTokenAttributes, with simulator conventions where the public
// documentation is silent (see docs/simulator.md).
import { randomInt } from 'node:crypto';
import type { OperationInfo } from '../data/catalog';
import { adminRecoveryCode, keyOf, proofOfPossession } from './codes';
import { fail } from './fault';
import { bool, type Fields, type Req } from './fields';
import type { OperationHandler } from './operations';
import { ocra, randomDigits } from './otp';
import type { CallContext, VipService } from './service';

/** Transactions kept at most; the oldest go first. */
const MAX_TXNS = 1000;

function deliverSms(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req, true);
  svc.gate(token, op);
  const info = req.SMSDeliveryInfo as Req;
  svc.deliver({ operation: op.name, tokenId: token.id, channel: 'SMS', to: token.id, kind: 'Message', message: typeof info.Message === 'string' ? info.Message : '' }, ctx);
  return { GatewayResponse: 'SIMULATED: delivered' };
}

/** Simulator convention: RecoveryCode = 8-digit HMAC-SHA1 (RFC 4226 truncation) of the RequestCode. */
function getAdminCode(svc: VipService, req: Req, op: OperationInfo): Fields {
  const token = svc.findToken(req.TokenId, req);
  svc.gate(token, op);
  return { RecoveryCode: adminRecoveryCode(keyOf(token), req.RequestCode as string) };
}

function validateCr(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const tokens = (req.TokenIds as unknown[]).map((id) => svc.findToken(id, req));
  for (const token of tokens) {
    if (token.adapter !== 'OCRA') fail('4f05', `ValidateCR needs OCRA credentials; ${token.id} is ${token.adapter}.`);
    svc.gate(token, op);
  }
  if (typeof req.NumericChallenge !== 'string' || req.NumericChallenge.length > 8) {
    fail('4e00', 'The simulator supports the OCRA suite OCRA-1:HOTP-SHA1-6:QN08: send a NumericChallenge of 6 to 8 digits.');
  }
  const checkOnly = bool(req.CheckOnly) === true;
  for (const token of tokens) {
    if (ocra(keyOf(token), req.NumericChallenge as string) === req.Response) {
      if (!checkOnly) svc.resetFailures(token);
      return { SuccessfulTokenId: token.id, ...svc.category(token) };
    }
  }
  if (!checkOnly) for (const token of tokens) svc.recordFailure(token, ctx);
  return fail('49b5');
}

function newTxn(svc: VipService, to: string, otp: string | undefined, ctx: CallContext): { txnId: string; otp: string } {
  if (svc.txns.size >= MAX_TXNS) {
    for (const [id, txn] of svc.txns) if (txn.expires <= ctx.now.getTime()) svc.txns.delete(id);
    if (svc.txns.size >= MAX_TXNS) svc.txns.delete(svc.txns.keys().next().value!);
  }
  const txnId = `TXN${randomInt(10 ** 9, 10 ** 10)}`;
  const code = otp ?? randomDigits(6);
  svc.txns.set(txnId, { otp: code, to, expires: ctx.now.getTime() + svc.settings.phoneOtpValiditySeconds * 1000 });
  return { txnId, otp: code };
}

function submitTxnVerification(svc: VipService, req: Req, _op: OperationInfo, ctx: CallContext): Fields {
  svc.authorize(req);
  const to = req.PhoneNumber as string;
  const { txnId, otp } = newTxn(svc, to, req.TxnOTP as string | undefined, ctx);
  svc.deliver({ operation: 'SubmitTxnVerification', channel: 'Voice', to, kind: 'TxnOTP', code: otp }, ctx);
  return { TxnId: txnId, TxnOTP: otp };
}

function findTxn(svc: VipService, req: Req): { otp: string; to: string; expires: number } {
  const txn = typeof req.TxnId === 'string' ? svc.txns.get(req.TxnId) : undefined;
  return txn ?? fail('4845', `Unknown TxnId ${JSON.stringify(req.TxnId ?? null)}.`);
}

function pollTxnVerification(svc: VipService, req: Req): Fields {
  svc.authorize(req);
  return { TxnOTP: findTxn(svc, req).otp };
}

function deliverTxnOtp(svc: VipService, req: Req, _op: OperationInfo, ctx: CallContext): Fields {
  svc.authorize(req);
  const destination = req.Destination as { value: string; type: string };
  const { txnId, otp } = newTxn(svc, destination.value, req.TxnOTP as string | undefined, ctx);
  svc.deliver({ operation: 'DeliverTxnOTP', channel: destination.type === 'Voice' ? 'Voice' : 'SMS', to: destination.value, kind: 'TxnOTP', code: otp }, ctx);
  return { TxnId: txnId, GatewayResponse: 'SIMULATED: delivered' };
}

function verifyTxnOtp(svc: VipService, req: Req, _op: OperationInfo, ctx: CallContext): Fields {
  svc.authorize(req);
  const txn = findTxn(svc, req);
  if (txn.expires <= ctx.now.getTime()) {
    svc.txns.delete(req.TxnId as string);
    fail('4e3f', 'The transaction code expired.');
  }
  if (txn.otp !== req.TxnOTP) fail('4e3a', 'TxnOTP does not match the code sent for this transaction.');
  svc.txns.delete(req.TxnId as string);
  return {};
}

/** Simulator convention: ProofOfPossession = base64 HMAC(secret, TokenId) with the named algorithm. */
function setTokenAttributes(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req);
  svc.gate(token, op);
  const proof = req.ProofOfPossession as { algorithm: string; value: string };
  if (proof.value.replace(/\s+/g, '') !== proofOfPossession(keyOf(token), token.id, proof.algorithm)) {
    fail('49b5', 'ProofOfPossession is not the HMAC of the TokenId with the credential secret.');
  }
  const attributes = new Map((token.attributes ?? []).map((a) => [a.name, a]));
  for (const a of req.Attribute as { name: string; value?: string }[]) attributes.set(a.name, { ...a });
  token.attributes = [...attributes.values()];
  svc.touch(token, ctx);
  return { Attribute: token.attributes.map((a) => ({ ...a })) };
}

export const lessCommonOperations: Record<string, OperationHandler> = {
  DeliverSMS: deliverSms,
  GetAdminCode: getAdminCode,
  ValidateCR: validateCr,
  SubmitTxnVerification: submitTxnVerification,
  PollTxnVerification: pollTxnVerification,
  DeliverTxnOTP: deliverTxnOtp,
  VerifyTxnOTP: verifyTxnOtp,
  SetTokenAttributes: setTokenAttributes,
};
