// The extension is three bundles (esbuild.mjs): dist/client.js is what VS Code loads to activate
// (commands, CodeLens, status bar: small, so activation is fast); the language client and the
// send machinery (TLS, SOAP, XML) load from their own bundles on first use.
import * as path from 'node:path';
import type * as LanguageBundle from './language';
import type * as SendBundle from './send/actions';

// A computed path: esbuild leaves these requires alone instead of inlining the bundles. Node's
// module cache makes every later call return the same module.
const load = <T>(file: string): T => require(path.join(__dirname, file)) as T;

/** dist/language.js: vscode-languageclient and the features that talk to the server. */
export const languageBundle = (): typeof LanguageBundle => load('language.js');
/** dist/send.js: Send request, cURL, SOAP envelope, history, the simulator host, the flows' Test Explorer. */
export const sendBundle = (): typeof SendBundle => load('send.js');
