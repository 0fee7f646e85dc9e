// The certificate passphrase of an environment, kept in VS Code SecretStorage (never in settings
// or logs): what Send and the flows' environment runs use.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Environment } from '../../../core/transport';
import { needsPassphrase, passphraseKey } from './environments';

/** The environment's certificate passphrase from SecretStorage, asked for (and stored) when `ask` and not there yet. */
export async function passphraseFor(
  secrets: vscode.SecretStorage,
  env: Environment,
  ask: boolean,
): Promise<string | undefined> {
  if (!needsPassphrase(env, (f) => readSafe(f))) return undefined;
  const stored = await secrets.get(passphraseKey(env.name));
  if (stored !== undefined || !ask) return stored;
  const entered = await vscode.window.showInputBox({
    title: vscode.l10n.t('Passphrase for the certificate of "{0}"', env.name),
    prompt: vscode.l10n.t(
      'Stored in VS Code SecretStorage (never in settings or logs). Leave empty if the file has no passphrase.',
    ),
    password: true,
    ignoreFocusOut: true,
  });
  if (entered === undefined) return undefined;
  await secrets.store(passphraseKey(env.name), entered);
  return entered;
}

/** The file's text, or undefined when it cannot be read (the send then says why). */
export function readSafe(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}
