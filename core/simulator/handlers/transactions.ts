// Transaction verification: a code per transaction, kept in memory only, delivered and verified.
import { randomInt } from 'node:crypto';
import type { OperationInfo } from '../../data/catalog';
import { fail } from '../fault';
import { type Fields, type Req } from '../fields';
import type { CallContext, Ledger, OperationHandler } from '../handlerTypes';
import { randomDigits } from '../otp';

/** Transactions kept at most; the oldest go first. */
const MAX_TXNS = 1000;

function newTxn(ledger: Ledger, to: string, otp: string | undefined, ctx: CallContext): { txnId: string; otp: string } {
  if (ledger.txns.size >= MAX_TXNS) {
    for (const [id, txn] of ledger.txns) if (txn.expires <= ctx.now.getTime()) ledger.txns.delete(id);
    if (ledger.txns.size >= MAX_TXNS) ledger.txns.delete(ledger.txns.keys().next().value!);
  }
  const txnId = `TXN${randomInt(10 ** 9, 10 ** 10)}`;
  const code = otp ?? randomDigits(6);
  ledger.txns.set(txnId, {
    otp: code,
    to,
    expires: ctx.now.getTime() + ledger.settings.phoneOtpValiditySeconds * 1000,
  });
  return { txnId, otp: code };
}

function submitTxnVerification(ledger: Ledger, req: Req, _op: OperationInfo, ctx: CallContext): Fields {
  ledger.authorize(req);
  const to = req.PhoneNumber as string;
  const { txnId, otp } = newTxn(ledger, to, req.TxnOTP as string | undefined, ctx);
  ledger.deliver({ operation: 'SubmitTxnVerification', channel: 'Voice', to, kind: 'TxnOTP', code: otp }, ctx);
  return { TxnId: txnId, TxnOTP: otp };
}

function findTxn(ledger: Ledger, req: Req): { otp: string; to: string; expires: number } {
  const txn = typeof req.TxnId === 'string' ? ledger.txns.get(req.TxnId) : undefined;
  return txn ?? fail('4845', `Unknown TxnId ${JSON.stringify(req.TxnId ?? null)}.`);
}

function pollTxnVerification(ledger: Ledger, req: Req): Fields {
  ledger.authorize(req);
  return { TxnOTP: findTxn(ledger, req).otp };
}

function deliverTxnOtp(ledger: Ledger, req: Req, _op: OperationInfo, ctx: CallContext): Fields {
  ledger.authorize(req);
  const destination = req.Destination as { value: string; type: string };
  const { txnId, otp } = newTxn(ledger, destination.value, req.TxnOTP as string | undefined, ctx);
  ledger.deliver(
    {
      operation: 'DeliverTxnOTP',
      channel: destination.type === 'Voice' ? 'Voice' : 'SMS',
      to: destination.value,
      kind: 'TxnOTP',
      code: otp,
    },
    ctx,
  );
  return { TxnId: txnId, GatewayResponse: 'SIMULATED: delivered' };
}

function verifyTxnOtp(ledger: Ledger, req: Req, _op: OperationInfo, ctx: CallContext): Fields {
  ledger.authorize(req);
  const txn = findTxn(ledger, req);
  if (txn.expires <= ctx.now.getTime()) {
    ledger.txns.delete(req.TxnId as string);
    fail('4e3f', 'The transaction code expired.');
  }
  if (txn.otp !== req.TxnOTP) fail('4e3a', 'TxnOTP does not match the code sent for this transaction.');
  ledger.txns.delete(req.TxnId as string);
  return {};
}

export const transactions: Record<string, OperationHandler> = {
  SubmitTxnVerification: submitTxnVerification,
  PollTxnVerification: pollTxnVerification,
  DeliverTxnOTP: deliverTxnOtp,
  VerifyTxnOTP: verifyTxnOtp,
};
