// Engine findings (offsets) → LSP types (positions).
import { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, JsonPath, RuleId, Severity, Span } from '../../core/engine';
import type { FlowFinding } from '../../core/flows/checkText';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a VIP diagnostic carries in `data`, for its quick fixes. */
export interface DiagnosticData {
  rule: RuleId;
  path?: JsonPath;
  data?: Finding['data'];
}

export function toRange(doc: TextDocument, span: Span): Range {
  return Range.create(doc.positionAt(span.offset), doc.positionAt(span.offset + span.length));
}

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const d = Diagnostic.create(toRange(doc, f), f.message, SEVERITY[f.severity], f.code, 'vip');
  // The rule's payload nested, so that its keys cannot collide with rule and path.
  const data: DiagnosticData = { rule: f.rule, path: f.path, data: f.data };
  d.data = data;
  return d;
}

/**
 * A flow finding: an inline request's engine finding as in a *.vip.json file (its quick fixes come
 * with it); the flow's own findings carry their rule as the code, as `vip-api check` prints them.
 */
export function toFlowDiagnostic(doc: TextDocument, f: FlowFinding): Diagnostic {
  if (f.finding) return toDiagnostic(doc, f.finding);
  return Diagnostic.create(toRange(doc, f), f.message, SEVERITY[f.severity], f.code ?? f.rule, 'vip');
}
