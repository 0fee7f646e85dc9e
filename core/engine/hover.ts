// Hover text: reason codes (message, cause/solution, what they concern), fields (description,
// type, allowed values) and operation keys (what it does, which token states it accepts).
import { getNodePath, type Node } from 'jsonc-parser';
import {
  getReasonCode,
  getSchema,
  operationForKey,
  reasonCodeFamilies,
  schemaFile,
  type DocumentKind,
  type OperationInfo,
  type ReasonCodeInfo,
} from '../data/catalog';
import type { VipDocument } from '../schema/document';
import { constraintsOf, descriptionOf, enumOf, requiredOf, schemaAt, typeLabel } from '../schema/schemaWalk';
import type { JsonPath, Span } from './types';

export interface HoverResult extends Span {
  markdown: string;
}

/** Property names whose string value is a reason or status code. */
const CODE_KEYS = new Set(['ReasonCode', 'reasonCode', 'status', 'detail']);

export function hoverAt(doc: VipDocument, offset: number): HoverResult | undefined {
  const node = doc.nodeAtOffset(offset);
  if (!node) return undefined;
  const property = node.parent?.type === 'property' ? node.parent : undefined;
  const span = { offset: node.offset, length: node.length };
  const root = doc.root;
  const docSchema = root.operation && root.kind ? getSchema(root.operation.name, root.kind) : undefined;

  if (property && property.children?.[0] === node) {
    const keyName = String(node.value);
    const path = propertyPath(property, keyName);
    if (path.length === 1) {
      const found = operationForKey(keyName);
      return found ? { ...span, markdown: operationHover(found.operation, found.kind) } : undefined;
    }
    if (!docSchema) return undefined;
    return fieldHover(docSchema, path, span);
  }

  if (property && property.children?.[1] === node) {
    const keyName = String(property.children[0].value);
    if (CODE_KEYS.has(keyName) && typeof node.value === 'string' && /^[0-9a-fA-F]{4}$/.test(node.value)) {
      return { ...span, markdown: reasonCodeHover(node.value) };
    }
    if (!docSchema || node.type === 'object' || node.type === 'array') return undefined;
    const path = getNodePath(node);
    const schema = schemaAt(docSchema, path);
    const option = enumOf(schema)?.find((o) => o.value === node.value);
    if (option?.description) {
      return {
        ...span,
        markdown: `\`${JSON.stringify(node.value)}\` — ${option.description}\n\n---\n\n${fieldMarkdown(docSchema, path)}`,
      };
    }
    return fieldHover(docSchema, path, span);
  }
  return undefined;
}

function propertyPath(property: Node, keyName: string): JsonPath {
  const value = property.children?.[1];
  if (value) return getNodePath(value);
  return property.parent ? [...getNodePath(property.parent), keyName] : [keyName];
}

function fieldHover(docSchema: Record<string, unknown>, path: JsonPath, span: Span): HoverResult | undefined {
  const markdown = fieldMarkdown(docSchema, path);
  return markdown ? { ...span, markdown } : undefined;
}

/** Markdown about the field at `path` (from the document key) of an operation's request or response. */
export function fieldHoverMarkdown(operation: string, kind: DocumentKind, path: JsonPath): string {
  return fieldMarkdown(getSchema(operation, kind), path);
}

function fieldMarkdown(docSchema: Record<string, unknown>, path: JsonPath): string {
  const schema = schemaAt(docSchema, path);
  if (!schema) return '';
  const name = [...path].reverse().find((s) => typeof s === 'string') as string;
  const parent = schemaAt(docSchema, path.slice(0, -1));
  const required = typeof path[path.length - 1] === 'string' && requiredOf(parent).includes(name);
  const lines = [`**${name}** · ${typeLabel(schema)}${required ? ' · required' : ' · optional'}`];
  const description = descriptionOf(schema);
  if (description) lines.push('', description);
  const values = enumOf(schema);
  if (values) {
    lines.push('', 'Allowed values:');
    for (const v of values) lines.push(`- \`${JSON.stringify(v.value)}\`${v.description ? ' — ' + v.description : ''}`);
  }
  const constraints = constraintsOf(schema);
  if (constraints.length) lines.push('', `Constraints: ${constraints.join('; ')}.`);
  const code = schema['x-vip-reasonCode'];
  if (typeof code === 'string')
    lines.push('', `An invalid value gets reason code **${code}** (${getReasonCode(code)?.message ?? 'unknown'}).`);
  return lines.join('\n');
}

export function operationHover(op: OperationInfo, kind: DocumentKind): string {
  const lines = [`**${op.name}** ${kind}`, '', op.summary, ''];
  lines.push(`- REST: \`POST …/${op.rest}\`${op.restNameConfirmed ? '' : ' (path inferred from the operation name)'}`);
  lines.push(
    `- SOAP: \`/${op.soapPath}/soap\`${op.soapPathConfirmed === false ? ' (not confirmed by public sources)' : ''}`,
  );
  if (op.acceptsStates) {
    lines.push(
      `- Token states accepted: ${op.acceptsStates.join(', ')}${op.resultState ? ` → ${op.resultState}` : ''}`,
    );
  } else if (op.scope === 'none' || op.scope === 'account') {
    lines.push('- Acts on no credential');
  }
  if (op.expirationMaxDays)
    lines.push(`- \`ExpirationDate\`: after now, at most ${op.expirationMaxDays} days ahead (else 4953)`);
  if (op.adapters) lines.push(`- Credential types: ${op.adapters.join(', ')} (others get 4f05)`);
  lines.push(`- Schema: \`schemas/${schemaFile(op.name, kind)}\``);
  return lines.join('\n');
}

function reasonCodeMarkdown(rc: ReasonCodeInfo): string {
  const lines = [`**VIP reason code ${rc.code}** — ${rc.message}`, ''];
  lines.push(`**Cause / solution:** ${rc.solution.replace(/\n/g, '\n\n')}`);
  if (rc.note) lines.push('', rc.note);
  const concerns: string[] = [];
  if (rc.fields?.length) concerns.push(`fields ${rc.fields.map((f) => `\`${f}\``).join(', ')}`);
  if (rc.state) concerns.push(`token state ${rc.state}`);
  if (rc.transport) concerns.push('the connection or URL (client certificate, endpoint)');
  if (concerns.length) lines.push('', `Concerns: ${concerns.join('; ')}.`);
  const origin =
    rc.source === 'troubleshooting-page'
      ? "Broadcom's Credential Management troubleshooting page"
      : 'public VIP sources';
  lines.push(
    '',
    `_${reasonCodeFamilies[rc.family] ?? rc.family} Text from ${origin}${rc.inferred ? '; meaning inferred, not documented' : ''}._`,
  );
  return lines.join('\n');
}

/** Markdown about a reason code: the catalog's message and cause/solution, or that it is not in the catalog. */
export function reasonCodeHover(code: string): string {
  const rc = getReasonCode(code);
  if (!rc)
    return `**Reason code ${code}** is not in the VIP reason-code catalog. Check the \`StatusMessage\` and Broadcom's documentation.`;
  return reasonCodeMarkdown(rc);
}
