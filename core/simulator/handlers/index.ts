// Every operation the simulator implements, by topic: one line per handler module.
import type { OperationHandler } from '../handlerTypes';
import { adapterConfiguration } from './adapterConfiguration';
import { credentialLifecycle } from './credentialLifecycle';
import { otpValidation } from './otpValidation';
import { phonesAndDelivery } from './phonesAndDelivery';
import { temporaryPasswords } from './temporaryPasswords';
import { transactions } from './transactions';

export const HANDLERS: Readonly<Record<string, OperationHandler>> = {
  ...credentialLifecycle,
  ...otpValidation,
  ...temporaryPasswords,
  ...phonesAndDelivery,
  ...transactions,
  ...adapterConfiguration,
};
