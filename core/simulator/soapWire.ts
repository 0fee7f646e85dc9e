// The simulator's SOAP wire: POST /mgmt|val|prov/soap with a SOAP 1.1 envelope, answered by the
// same VipService as the REST wire, in the XML the production service uses. An operation posted
// to another path than its own gets 4e10, as on the real service. Strict by default
// (soapStrictness.ts); lenient takes what it can read.
import type { Document } from '@xmldom/xmldom';
import { documentKey, getOperation } from '../data/catalog';
import {
  buildErrorResponseEnvelope,
  buildFaultEnvelope,
  buildResponseEnvelope,
  parseRequestEnvelope,
  parseXml,
  SoapError,
} from '../soap';
import type { CallContext, ServiceResult, VipService } from './service';
import { bodyProblem, envelopeFault, upperCaseReasonCode } from './soapStrictness';

/** `/mgmt/soap` → `mgmt`. */
export const SOAP_ROUTE = /^\/(mgmt|val|prov)\/soap$/;

const XML_TYPES = new Set(['text/xml', 'application/soap+xml', 'application/xml']);
/** The start of a SOAP envelope (any prefix or none), after an optional XML declaration. */
const ENVELOPE_START = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[A-Za-z_][\w.-]*:)?Envelope[\s>/]/;

/** A request that looks like SOAP: an XML media type, or a body that starts like an envelope. */
export function looksLikeSoap(contentType: string, body: Buffer): boolean {
  return (
    XML_TYPES.has(contentType) ||
    contentType.endsWith('+xml') ||
    ENVELOPE_START.test(body.subarray(0, 1024).toString('latin1'))
  );
}

export interface SoapAnswer {
  status: number;
  xml: string;
  operation?: string;
  tokenId?: string;
  /** The VIP reason code, or the faultcode of a SOAP Fault. */
  code: string;
  changed: boolean;
}

function fault(faultcode: string, faultstring: string, status = 500): SoapAnswer {
  return { status, xml: buildFaultEnvelope(faultcode, faultstring), code: faultcode, changed: false };
}

/** The request as a DOM for the strict rules; undefined when it does not parse (answered later). */
function strictDocument(text: string): Document | undefined {
  try {
    return parseXml(text);
  } catch (e) {
    if (e instanceof SoapError) return undefined;
    throw e;
  }
}

/** One SOAP exchange. `text` is the request body, already decoded as UTF-8. */
export function soapExchange(
  service: VipService,
  soapPath: string,
  contentType: string,
  text: string,
  ctx: CallContext,
  strict: boolean,
): SoapAnswer {
  const doc = strict ? strictDocument(text) : undefined;
  const envelope = doc && envelopeFault(doc);
  if (envelope) return fault(envelope.faultcode, envelope.faultstring);
  let request: { operation: string; body: Record<string, unknown> };
  try {
    request = parseRequestEnvelope(text);
  } catch (e) {
    // Not a VIP envelope at all: a SOAP stack answers with a Client fault, not a reason code.
    if (e instanceof SoapError) return fault('soapenv:Client', e.message);
    throw e;
  }
  const op = getOperation(request.operation)!;
  const key = documentKey(op.name, 'response');
  const answer = (r: ServiceResult): SoapAnswer => {
    const body = (r.response[key] as Record<string, unknown> | undefined) ?? {};
    try {
      return {
        status: 200,
        xml: buildResponseEnvelope(op.name, strict ? upperCaseReasonCode(body) : body),
        operation: op.name,
        tokenId: r.tokenId,
        code: r.reasonCode,
        changed: r.changed,
      };
    } catch (e) {
      return fault(
        'soapenv:Server',
        `The simulator could not write its ${op.name} answer as XML: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  const type = contentType.split(';')[0].trim().toLowerCase();
  const reply = (code: string, detail: string): SoapAnswer =>
    answer({
      response: service.reply(op.name, request.body, code, {}, detail),
      reasonCode: code,
      operation: op.name,
      changed: false,
    });
  if (!XML_TYPES.has(type)) return reply('4e00', `Content-Type must be text/xml for SOAP, not ${type || 'nothing'}.`);
  if (op.soapPath !== soapPath)
    return reply('4e10', `${op.name} is served at /${op.soapPath}/soap, not /${soapPath}/soap.`);
  const problem = doc && bodyProblem(doc, op);
  if (problem) return reply('4e00', problem);
  return answer(service.handle(op.name, { [documentKey(op.name, 'request')]: request.body }, ctx));
}

/**
 * A SOAP request on a path that serves no SOAP (`/prov/soap/`, `/soap`, a REST path): 4e10 that names
 * the operation's SOAP path, or a Client fault when the envelope names no VIP operation.
 */
export function misroutedSoap(service: VipService, path: string, text: string, strict: boolean): SoapAnswer {
  const paths = '/mgmt/soap, /val/soap and /prov/soap';
  let request: { operation: string; body: Record<string, unknown> };
  try {
    request = parseRequestEnvelope(text);
  } catch (e) {
    if (e instanceof SoapError)
      return fault('soapenv:Client', `No SOAP service is at ${path}; VIP SOAP is served at ${paths}. ${e.message}`);
    throw e;
  }
  const op = getOperation(request.operation)!;
  const detail = `No SOAP service is at ${path}: ${op.name} is served at /${op.soapPath}/soap.`;
  const body = service.reply(op.name, request.body, '4e10', {}, detail)[documentKey(op.name, 'response')] as Record<
    string,
    unknown
  >;
  return {
    status: 200,
    xml: buildResponseEnvelope(op.name, strict ? upperCaseReasonCode(body) : body),
    operation: op.name,
    code: '4e10',
    changed: false,
  };
}

/**
 * A VIP response document of the shared service (`{"<Op>Response": …}` or `{"ErrorResponse": …}`,
 * e.g. 4e02 before the body was read) as the SOAP answer.
 */
export function soapDocument(document: unknown, strict: boolean): string {
  const [key, body] = Object.entries((document ?? {}) as Record<string, Record<string, unknown>>)[0] ?? [];
  const written = body && strict ? upperCaseReasonCode(body) : body;
  try {
    if (key === 'ErrorResponse') return buildErrorResponseEnvelope(written);
    if (key?.endsWith('Response')) return buildResponseEnvelope(key.slice(0, -'Response'.length), written);
  } catch (e) {
    return buildFaultEnvelope(
      'soapenv:Server',
      `The simulator could not write its answer as XML: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return buildFaultEnvelope('soapenv:Server', 'The simulator has no answer to write.');
}
