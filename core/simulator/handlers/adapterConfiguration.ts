// GetAdapterConfiguration and SetAdapterConfiguration: the account's settings of one validation
// adapter. MaxFailedAttempts sets when credentials of that adapter lock; the other settings are
// kept and returned, while validation windows come from the state's `settings` (docs/simulator.md).
import { adapterSettingsBlocks, type OperationInfo } from '../../data/catalog';
import { adapterSettingsOf, settingsBlockOf, type AdapterSettings } from '../adapterSettings';
import { fail } from '../fault';
import { bool, flag, isObject, type Fields, type Req } from '../fields';
import type { Ledger, OperationHandler } from '../handlerTypes';

const BLOCKS = [...new Set(Object.values(adapterSettingsBlocks))];

/** Booleans leave as "true"/"false", like the service's other answers. */
function answered(fields: AdapterSettings): AdapterSettings {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'boolean' ? flag(v) : v]));
}

/** Booleans are kept as JSON booleans in the state, whichever form the request used. */
function stored(fields: Req): AdapterSettings {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, bool(v) ?? v]));
}

function getAdapterConfiguration(ledger: Ledger, req: Req): Fields {
  ledger.authorize(req);
  const adapter = req.Adapter as string;
  return {
    [settingsBlockOf(adapter)]: answered(adapterSettingsOf(ledger.state, adapter, ledger.settings.maxFailedAttempts)),
  };
}

/** Only the settings sent change (none sent: none change); a Message list replaces the whole list. */
function setAdapterConfiguration(ledger: Ledger, req: Req, _op: OperationInfo): Fields {
  ledger.authorize(req);
  const adapter = req.Adapter as string;
  const block = settingsBlockOf(adapter);
  const others = BLOCKS.filter((b) => b !== block && b in req);
  if (others.length)
    fail(
      '4e00',
      `${others.join(', ')} ${others.length === 1 ? 'does' : 'do'} not configure ${adapter}: send its settings in ${block}.`,
    );
  const given = isObject(req[block]) ? req[block] : {};
  const current = adapterSettingsOf(ledger.state, adapter, ledger.settings.maxFailedAttempts);
  ledger.state.adapterSettings = { ...ledger.state.adapterSettings, [adapter]: { ...current, ...stored(given) } };
  return {};
}

export const adapterConfiguration: Record<string, OperationHandler> = {
  GetAdapterConfiguration: getAdapterConfiguration,
  SetAdapterConfiguration: setAdapterConfiguration,
};
