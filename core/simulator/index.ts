// The VIP simulator: a local service that answers like VIP (see docs/simulator.md).
export {
  startSimulator,
  normalizeSerial,
  FAULT_HEADER,
  LATENCY_HEADER,
  type SimulatorOptions,
  type RunningSimulator,
} from './http';
export { VipService, FAULT_CODES, type ServiceResult } from './service';
export type { CallContext, Delivery, Ledger, OperationHandler } from './handlerTypes';
export { SimClock, TokenLedger } from './ledger';
export { codeFor, nextCodeFor, adminRecoveryCode, proofOfPossession } from './codes';
export {
  demoState,
  loadStateFile,
  saveStateFile,
  checkState,
  DEFAULT_SETTINGS,
  type SimulatorState,
  type SimToken,
  type SimSettings,
} from './state';
export { hotp, totp, ocra, timeStep, secretFromHex, OCRA_SUITE } from './otp';
