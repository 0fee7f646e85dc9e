// Server settings, pulled from the client with workspace/configuration (section `vipApi`).
import type { Connection } from 'vscode-languageserver';
import { versions } from '../../core/data/catalog';

export interface ServerSettings {
  supportedVersions: string[];
  /** Delay between the last edit and validation. */
  debounceMs: number;
}

const defaultServerSettings: ServerSettings = {
  supportedVersions: versions.supported,
  debounceMs: 150,
};

/** Reads and sanitises settings; anything malformed falls back to the default. */
function normalizeSettings(raw: unknown): ServerSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const supported =
    Array.isArray(s.supportedVersions) &&
    s.supportedVersions.every((v) => typeof v === 'string') &&
    s.supportedVersions.length > 0
      ? s.supportedVersions
      : defaultServerSettings.supportedVersions;
  const validation = (s.validation && typeof s.validation === 'object' ? s.validation : {}) as Record<string, unknown>;
  const debounce =
    typeof validation.debounceMs === 'number' && validation.debounceMs >= 0 && validation.debounceMs <= 5000
      ? validation.debounceMs
      : defaultServerSettings.debounceMs;
  return { supportedVersions: supported, debounceMs: debounce };
}

export class SettingsStore {
  private current: ServerSettings = defaultServerSettings;
  private pending?: Promise<ServerSettings>;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
  ) {}

  /** Settings given at initialize (clients without workspace/configuration). */
  setInitial(raw: unknown): void {
    if (raw && typeof raw === 'object' && 'vipApi' in raw)
      this.current = normalizeSettings((raw as Record<string, unknown>).vipApi);
  }

  get(): Promise<ServerSettings> {
    if (!this.canPull()) return Promise.resolve(this.current);
    this.pending ??= this.connection.workspace
      .getConfiguration('vipApi')
      .then((raw) => (this.current = normalizeSettings(raw)))
      .catch(() => this.current);
    return this.pending;
  }

  /** Forget the pulled settings (didChangeConfiguration); pushed settings apply at once. */
  invalidate(pushed?: unknown): void {
    this.pending = undefined;
    if (pushed && typeof pushed === 'object' && 'vipApi' in pushed)
      this.current = normalizeSettings((pushed as Record<string, unknown>).vipApi);
  }
}
