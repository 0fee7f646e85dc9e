// GET /mgmt|val|prov/soap?wsdl and ?xsd=vip: the simulator's own WSDL and XSD for that path,
// generated from schemas/ (core/soap/wsdl.ts). The WSDL's address is the URL the request came to.
import { isIPv6 } from 'node:net';
import { buildWsdl, buildXsd, XSD_NAME, type SoapPath } from '../soap/wsdl';

export interface DescriptionAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** A Host header we repeat in the WSDL: a name or address and an optional port, nothing else. */
const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

const isSoapPath = (p: string): p is SoapPath => p === 'mgmt' || p === 'val' || p === 'prov';

const xsdCache = new Map<SoapPath, string>();

/** True when the query asks for the WSDL or the XSD. */
export function isDescriptionRequest(query: URLSearchParams): boolean {
  return query.has('wsdl') || query.has('WSDL') || query.has('xsd');
}

/**
 * The answer to a description request on `soapPath`. `origin` describes where the request came:
 * its scheme, its Host header, and the socket's local address for when that header is missing or malformed.
 */
export function describeService(
  soapPath: string,
  query: URLSearchParams,
  origin: { https: boolean; hostHeader?: string; localAddress?: string; localPort?: number },
): DescriptionAnswer {
  if (!isSoapPath(soapPath))
    return { status: 404, contentType: 'text/plain; charset=utf-8', text: 'No SOAP service here.\n' };
  const xsdName = query.get('xsd');
  if (xsdName !== null) {
    if (xsdName !== XSD_NAME)
      return {
        status: 404,
        contentType: 'text/plain; charset=utf-8',
        text: `No schema "${xsdName.slice(0, 40)}" here: the WSDL imports ?xsd=${XSD_NAME}.\n`,
      };
    let xsd = xsdCache.get(soapPath);
    if (!xsd) xsdCache.set(soapPath, (xsd = buildXsd(soapPath)));
    return { status: 200, contentType: 'text/xml; charset=utf-8', text: xsd };
  }
  const local = origin.localAddress ?? '127.0.0.1';
  const host =
    origin.hostHeader && HOST.test(origin.hostHeader)
      ? origin.hostHeader
      : `${isIPv6(local) ? `[${local}]` : local}:${origin.localPort ?? 80}`;
  const address = `${origin.https ? 'https' : 'http'}://${host}/${soapPath}/soap`;
  return {
    status: 200,
    contentType: 'text/xml; charset=utf-8',
    text: buildWsdl(soapPath, address, `${address}?xsd=${XSD_NAME}`),
  };
}
