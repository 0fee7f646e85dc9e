// Validation scheduling: debounced per document, with a stale-result guard, served both as
// pushed diagnostics (publishDiagnostics) and pulled ones (textDocument/diagnostic).
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import { DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Finding, VipDocument } from '../../../core/engine';
import { Cancelled, type AnalysisWorker } from '../analysisWorker';
import { toDiagnostic, toFlowDiagnostic } from '../convert';
import type { SettingsStore } from '../settings';
import { isFlowDocument, type DocumentCache } from '../documentCache';

/** Documents larger than this are analysed on the worker thread. */
const WORKER_THRESHOLD = 1024 * 1024;

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, { version: number; diagnostics: Diagnostic[] }>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly cache: DocumentCache,
    private readonly settings: SettingsStore,
    private readonly push: () => boolean,
    private readonly worker?: AnalysisWorker,
  ) {}

  /** Called on open/change: validate after the debounce, then publish if still current. */
  schedule(uri: string, immediate = false): void {
    if (!this.push()) return;
    clearTimeout(this.timers.get(uri));
    void this.settings.get().then((s) => {
      clearTimeout(this.timers.get(uri));
      this.timers.set(
        uri,
        setTimeout(() => void this.publish(uri), immediate ? 0 : s.debounceMs),
      );
    });
  }

  private async publish(uri: string): Promise<void> {
    this.timers.delete(uri);
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = await this.compute(doc);
    } catch (e) {
      if (e instanceof Cancelled) return; // a newer version is on its way
      throw e;
    }
    // Stale-result guard: a newer edit (or a close) supersedes this result.
    const now = this.documents.get(uri);
    if (!now || now.version !== version) return;
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  async compute(doc: TextDocument): Promise<Diagnostic[]> {
    // The document object is updated in place by later edits: remember which version is analysed.
    const version = doc.version;
    const cached = this.results.get(doc.uri);
    if (cached && cached.version === version) return cached.diagnostics;
    const settings = await this.settings.get();
    if (doc.version !== version) throw new Cancelled('stale');
    if (isFlowDocument(doc)) {
      const flowDiagnostics = this.cache
        .flow(doc, settings.supportedVersions)
        .findings.map((f) => toFlowDiagnostic(doc, f));
      this.results.set(doc.uri, { version, diagnostics: flowDiagnostics });
      return flowDiagnostics;
    }
    const engineSettings = { supportedVersions: settings.supportedVersions };
    let findings: Finding[];
    if (this.worker && doc.getText().length > WORKER_THRESHOLD) {
      findings = await this.worker.analyze(doc.uri, doc.getText(), engineSettings);
      if (this.documents.get(doc.uri)?.version !== version || doc.version !== version) throw new Cancelled('stale');
    } else {
      const vip: VipDocument = this.cache.get(doc);
      findings = analyze(vip, engineSettings);
    }
    const diagnostics = findings.sort((a, b) => a.offset - b.offset).map((f) => toDiagnostic(doc, f));
    this.results.set(doc.uri, { version, diagnostics });
    return diagnostics;
  }

  /** textDocument/diagnostic (pull). */
  async pull(uri: string) {
    const doc = this.documents.get(uri);
    let items: Diagnostic[];
    try {
      items = doc ? await this.compute(doc) : [];
    } catch (e) {
      // Superseded by a newer version: the client asks again rather than showing nothing.
      if (e instanceof Cancelled)
        throw new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed during validation.', {
          retriggerRequest: true,
        });
      throw e;
    }
    return { kind: DocumentDiagnosticReportKind.Full, items } as const;
  }

  close(uri: string): void {
    this.worker?.cancel(uri);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.results.delete(uri);
    if (this.push()) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Flow documents again (their request files changed on disk); other documents keep their results. */
  revalidateFlows(): void {
    for (const doc of this.documents.all()) {
      if (!isFlowDocument(doc)) continue;
      this.results.delete(doc.uri);
      this.schedule(doc.uri, true);
    }
    if (!this.push()) void this.connection.languages.diagnostics.refresh().catch(() => undefined);
  }

  revalidateAll(): void {
    this.results.clear();
    for (const doc of this.documents.all()) this.schedule(doc.uri, true);
    if (!this.push()) void this.connection.languages.diagnostics.refresh().catch(() => undefined);
  }
}
