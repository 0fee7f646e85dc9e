// The account's adapter settings (Get/SetAdapterConfiguration), kept in the state as
// `adapterSettings: {"<Adapter>": {<fields of its settings block>}}`. Which block configures which
// adapter comes from schemas/operations.json, the fields and their ranges from schemas/common.json.
import { adapterSettingsBlocks } from '../data/catalog';
import { validatorFor } from '../schema/validators';

export type AdapterSettings = Record<string, unknown>;

/** The state's part that this module reads; kept structural so that state.ts can call checkAdapterSettings. */
interface WithAdapterSettings {
  adapterSettings?: Record<string, AdapterSettings>;
}

/** `OATH_TIME` → `AdapterInfoHOTPTimeBased`. */
export function settingsBlockOf(adapter: string): string {
  const block = adapterSettingsBlocks[adapter];
  if (!block) throw new Error(`no settings block for adapter ${adapter} in schemas/operations.json`);
  return block;
}

/** The settings of `adapter`; without any in the state, the lockout count of the state's `settings`. */
export function adapterSettingsOf(
  state: WithAdapterSettings,
  adapter: string,
  defaultMaxFailedAttempts: number,
): AdapterSettings {
  return structuredClone(state.adapterSettings?.[adapter]) ?? { MaxFailedAttempts: defaultMaxFailedAttempts };
}

/** Failed validations in a row that lock a credential of `adapter`. */
export function maxFailedAttemptsOf(
  state: WithAdapterSettings,
  adapter: string,
  defaultMaxFailedAttempts: number,
): number {
  const value = state.adapterSettings?.[adapter]?.MaxFailedAttempts;
  return typeof value === 'number' ? value : defaultMaxFailedAttempts;
}

/** Throws naming the file when a stored settings block breaks the schema of its block. */
export function checkAdapterSettings(state: WithAdapterSettings, source: string): void {
  const validate = validatorFor('GetAdapterConfiguration', 'response');
  for (const [adapter, fields] of Object.entries(state.adapterSettings ?? {})) {
    const block = settingsBlockOf(adapter);
    const document = {
      GetAdapterConfigurationResponse: { Version: '3.1', Status: { ReasonCode: '0000' }, [block]: fields },
    };
    if (!validate(document)) {
      const problems = (validate.errors ?? [])
        .slice(0, 3)
        .map(
          (e) =>
            `${e.instancePath.replace(/^\/GetAdapterConfigurationResponse\/[^/]+/, '') || '(block)'} ${e.message ?? 'is invalid'}`,
        );
      throw new Error(`${source}: adapterSettings.${adapter} is not a valid ${block}: ${problems.join('; ')}`);
    }
  }
}
