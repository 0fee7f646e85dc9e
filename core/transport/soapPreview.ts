// What a request looks like on the SOAP wire, for any environment (pure: no vscode). Used by
// `VIP: Show SOAP envelope`, `vip-api soap` and `vip-api send --transport`.
import type { Environment } from './environment';
import { buildRequest, type BuildOptions, type PreparedRequest } from './request';

export type Transport = 'rest' | 'soap';

/**
 * The SOAP URL template of an environment. A SOAP environment's URL is used as it is (exactly
 * what Send uses). A REST template has no SOAP form, so the part before `{operation}` becomes the
 * base that `/<mgmt|val|prov>/soap` is appended to; `derived` says so.
 */
export function soapUrlTemplate(env: Environment): { template: string; derived: boolean } {
  if ((env.transport ?? 'rest') === 'soap' || env.url.includes('{soapPath}'))
    return { template: env.url, derived: false };
  const at = env.url.indexOf('{operation}');
  if (at < 0) return { template: env.url, derived: false };
  const base = env.url.slice(0, at).split('?')[0].replace(/\/+$/, '');
  return { template: base, derived: true };
}

/** The environment sending with `transport`; a REST environment switched to SOAP gets its SOAP URL. */
export function withTransport(env: Environment, transport: Transport): Environment {
  if (transport === 'soap') return { ...env, url: soapUrlTemplate(env).template, transport };
  return { ...env, transport };
}

export interface SoapPreview {
  request: PreparedRequest;
  /** The environment the request was built for (SOAP, URL resolved as above). */
  environment: Environment;
  /** The environment itself sends REST: the URL is derived, not configured. */
  restEnvironment: boolean;
  urlDerived: boolean;
  /** Something about the configuration the user should fix (shown with the envelope). */
  warning?: string;
}

/** The request file `text` as Send would post it over SOAP for `env`. Throws TransportError like buildRequest. */
export function soapPreview(text: string, env: Environment, options: BuildOptions = {}): SoapPreview {
  const restEnvironment = (env.transport ?? 'rest') === 'rest';
  const { derived } = soapUrlTemplate(env);
  const environment = withTransport(env, 'soap');
  const warning =
    !restEnvironment && env.url.includes('{operation}')
      ? `The URL of "${env.name}" contains {operation}, which SOAP does not use: write the base URL (e.g. https://services-auth.vip.symantec.com) or put {soapPath} where mgmt/val/prov goes.`
      : undefined;
  return {
    request: buildRequest(text, environment, options),
    environment,
    restEnvironment,
    urlDerived: derived,
    warning,
  };
}

/** Text for an XML comment: `--` may not occur in one, and it may not end with `-`. */
function commentSafe(s: string): string {
  return s.replace(/--/g, '- -').replace(/--/g, '- -').replace(/-$/, '- ');
}

/**
 * The envelope as an XML document to read: the exact body Send posts, with a comment after the
 * XML declaration (nothing may precede it) that says where and how it would be posted.
 */
export function envelopeDocumentText(preview: SoapPreview, environmentName: string): string {
  const { request } = preview;
  const lines = [
    `VIP ${request.operation.name} as SOAP 1.1 · environment "${environmentName}" (${preview.restEnvironment ? 'REST' : 'SOAP'})`,
    `POST ${request.url.href}`,
    ...Object.entries(request.headers).map(([k, v]) =>
      /^(content-type|soapaction|accept)$/i.test(k) ? `${k}: ${v}` : `${k}: (set in the environment)`,
    ),
  ];
  if (preview.restEnvironment) {
    lines.push(
      `This environment sends REST. With "transport": "soap"${preview.urlDerived ? ' and the base URL above' : ''} Send would post this envelope.`,
    );
  }
  if (request.requestIdGenerated)
    lines.push(`RequestId ${request.requestId} was generated for this view; Send generates a new one each time.`);
  if (preview.warning) lines.push(`Warning: ${preview.warning}`);
  lines.push('Below this comment: the exact body that is posted (the comment is not part of it).');
  const declaration = /^<\?xml[^>]*\?>\n?/.exec(request.body)?.[0] ?? '';
  const comment = `<!--\n${lines.map((l) => `  ${commentSafe(l)}`).join('\n')}\n-->\n`;
  return (
    declaration +
    (declaration && !declaration.endsWith('\n') ? '\n' : '') +
    comment +
    request.body.slice(declaration.length)
  );
}
