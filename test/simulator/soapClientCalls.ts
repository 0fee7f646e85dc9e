// Arguments for every operation, in the form the npm `soap` client takes them (XML attributes under
// `attributes`, an element with text and attributes as `{attributes, $value}`), against the demo
// state: each call is expected to succeed (0000) when made in this order on a fresh simulator.
import { ocra, proofOfPossession, secretFromHex, type RunningSimulator } from '../../core/simulator';

const SECRET = secretFromHex('3132333435363738393031323334353637383930');

export type SoapArgs = Record<string, unknown>;

/** [operation, arguments without the Version attribute]; later calls may use what earlier ones left. */
export const SOAP_CLIENT_CALLS: [operation: string, args: (sim: RunningSimulator) => SoapArgs][] = [
  ['GetServerTime', () => ({})],
  ['GetTokenInformation', () => ({ TokenId: 'SYMC10000001' })],
  ['Validate', (s) => ({ TokenId: 'SYMC10000001', OTP: s.otp('SYMC10000001') })],
  [
    'ValidateMultiple',
    (s) => ({ TokenIds: ['SYMC10000001', 'VSMT10000002'], OTP: s.otp('VSMT10000002'), SendSuccessfulTokenId: true }),
  ],
  [
    'Synchronize',
    (s) => ({ TokenId: 'VSMT10000002', OTP1: s.otp('VSMT10000002', 20), OTP2: s.otp('VSMT10000002', 21) }),
  ],
  ['CheckOTP', (s) => ({ TokenId: 'SYMC10000001', OTP1: s.otp('SYMC10000001') })],
  ['ActivateToken', () => ({ TokenId: 'SYMC10000005' })],
  ['DisableToken', () => ({ TokenId: 'SYMC10000005', Reason: 'Lost' })],
  ['EnableToken', () => ({ TokenId: 'SYMC10000005' })],
  ['DeactivateToken', () => ({ TokenId: 'SYMC10000005', Reason: 'Stolen' })],
  ['UnlockToken', () => ({ TokenId: 'SYMC10000004' })],
  [
    'SetTemporaryPassword',
    (s) => ({
      TokenId: 'SYMC10000003',
      TemporaryPassword: '246810',
      ExpirationDate: new Date(s.now().getTime() + 3 * 86_400_000).toISOString(),
      OneTimeUseOnly: true,
    }),
  ],
  ['GetTemporaryPwdExpiration', () => ({ TokenId: 'SYMC10000003' })],
  [
    'SetTemporaryPwdExpiration',
    (s) => ({ TokenId: 'SYMC10000003', ExpirationDate: new Date(s.now().getTime() + 5 * 86_400_000).toISOString() }),
  ],
  [
    'GenerateTemporaryPassword',
    (s) => ({ TokenId: 'SYMC10000001', ExpirationDate: new Date(s.now().getTime() + 86_400_000).toISOString() }),
  ],
  ['SendTemporaryPassword', () => ({ TokenId: '15555550100', PhoneNumber: '15555550100' })],
  ['Register', () => ({ TokenId: { attributes: { type: 'Voice' }, $value: '15555550199' }, DeliverOTP: false })],
  ['SendOTP', () => ({ TokenId: '15555550100' })],
  [
    'DeliverSMS',
    () => ({ TokenId: '15555550100', SMSDeliveryInfo: { Message: 'Your parcel <is> on its way & more' } }),
  ],
  ['GetActivationCode', () => ({ ACProfile: 'MOBILEPHONE' })],
  ['GetAdminCode', () => ({ TokenId: 'VSMT10000002', RequestCode: 'A1B2C3' })],
  [
    'ValidateCR',
    () => ({
      TokenIds: ['VSOC10000007'],
      NumericChallenge: '11111111',
      Response: ocra(SECRET, '11111111'),
      CheckOnly: false,
    }),
  ],
  [
    'SetTokenAttributes',
    () => ({
      TokenId: 'SYMC10000001',
      ProofOfPossession: {
        attributes: { algorithm: 'HMAC-SHA256' },
        $value: proofOfPossession(SECRET, 'SYMC10000001', 'HMAC-SHA256'),
      },
      Attribute: [{ attributes: { name: 'device' }, $value: 'laptop' }],
    }),
  ],
  ['GetAdapterConfiguration', () => ({ Adapter: 'OATH_TIME' })],
  [
    'SetAdapterConfiguration',
    () => ({
      Adapter: 'SMS_OTP',
      AdapterInfoSMSOTP: { ValidityPeriod: 120, Message: [{ attributes: { type: 'SERVICE' }, $value: 'Code _OTP_' }] },
    }),
  ],
  ['SubmitTxnVerification', () => ({ PhoneNumber: '15555550102', VoiceTemplateName: 'payment' })],
  ['PollTxnVerification', (s) => ({ TxnId: lastTxnId(s) })],
  ['DeliverTxnOTP', () => ({ Destination: { attributes: { type: 'SMS' }, $value: '15555550100' } })],
  ['VerifyTxnOTP', (s) => ({ TxnId: lastTxnId(s), TxnOTP: s.deliveries().at(-1)?.code })],
];

/** The transaction the simulator created last (the service keeps them in insertion order). */
function lastTxnId(sim: RunningSimulator): string | undefined {
  return [...sim.service.ledger.txns.keys()].at(-1);
}
