// Phone credentials and what is "sent" to phones: Register, SendOTP, DeliverSMS (recorded as deliveries, never sent).
import type { OperationInfo } from '../../data/catalog';
import { fail } from '../fault';
import { bool, tokenIdOf, type Fields, type Req } from '../fields';
import type { CallContext, Ledger, OperationHandler } from '../handlerTypes';

function register(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const { id, type } = tokenIdOf(req.TokenId);
  ledger.authorize(req);
  if (ledger.state.revokedTokenIds?.includes(id)) fail('4e11', `Credential ${id} has been revoked.`);
  let token = ledger.state.tokens.find((t) => t.id === id);
  if (token) {
    token = ledger.findToken(req.TokenId, req);
    ledger.gate(token, op);
    if (token.state !== 'NEW') fail('4e1b', `Phone number ${id} is already registered (${token.state}); use SendOTP.`);
  } else {
    if (!/^[0-9]{5,20}$/.test(id))
      fail('4e00', 'Register takes a phone number with country code, digits only, as TokenId.');
    token = {
      id,
      adapter: type === 'Voice' ? 'VOICE_OTP' : 'SMS_OTP',
      kind: 'SOFTWARE',
      state: 'NEW',
      lastUpdate: ctx.now.toISOString(),
    };
    ledger.state.tokens.push(token);
  }
  const code = ledger.issuePhoneOtp(token, ctx);
  if (bool(req.DeliverOTP) === false) return { OTP: code }; // the caller delivers it
  ledger.deliver(
    {
      operation: op.name,
      tokenId: id,
      channel: token.adapter === 'VOICE_OTP' ? 'Voice' : 'SMS',
      to: id,
      kind: 'OTP',
      code,
    },
    ctx,
  );
  return {};
}

function sendOtp(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req, true);
  ledger.gate(token, op);
  const code = ledger.issuePhoneOtp(token, ctx);
  ledger.deliver(
    {
      operation: op.name,
      tokenId: token.id,
      channel: token.adapter === 'VOICE_OTP' ? 'Voice' : 'SMS',
      to: token.id,
      kind: 'OTP',
      code,
    },
    ctx,
  );
  return { GatewayResponse: 'SIMULATED: delivered' };
}

function deliverSms(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req, true);
  ledger.gate(token, op);
  const info = req.SMSDeliveryInfo as Req;
  ledger.deliver(
    {
      operation: op.name,
      tokenId: token.id,
      channel: 'SMS',
      to: token.id,
      kind: 'Message',
      message: typeof info.Message === 'string' ? info.Message : '',
    },
    ctx,
  );
  return { GatewayResponse: 'SIMULATED: delivered' };
}

export const phonesAndDelivery: Record<string, OperationHandler> = {
  Register: register,
  SendOTP: sendOtp,
  DeliverSMS: deliverSms,
};
