// Engine findings (offsets) → LSP types (positions).
import { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity, Span } from '../../core/engine';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(doc: TextDocument, span: Span): Range {
  return Range.create(doc.positionAt(span.offset), doc.positionAt(span.offset + span.length));
}

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const d = Diagnostic.create(toRange(doc, f), f.message, SEVERITY[f.severity], f.code, 'vip');
  d.data = { rule: f.rule, path: f.path, ...f.data };
  return d;
}
