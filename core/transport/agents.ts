// One keep-alive agent per environment, replaced when the environment's TLS material changes.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Environment } from './environment';
import type { TlsMaterial } from './preflight';

/** Checked material is one object while its files are unchanged: hash its bytes once. */
const fingerprints = new WeakMap<TlsMaterial, string>();

function materialFingerprint(material: TlsMaterial): string {
  let fingerprint = fingerprints.get(material);
  if (fingerprint === undefined) {
    const h = createHash('sha256').update(String(material.options.rejectUnauthorized));
    for (const b of [material.options.cert, material.options.key, material.options.pfx, material.options.ca])
      h.update(b ?? '').update('\0');
    h.update(material.options.passphrase ?? '');
    fingerprint = h.digest('hex');
    fingerprints.set(material, fingerprint);
  }
  return fingerprint;
}

/** One keep-alive agent per environment; a new one when its TLS material changes. */
export class AgentPool {
  private readonly agents = new Map<string, { fingerprint: string; agent: http.Agent }>();

  get(env: Environment, protocol: string, material: TlsMaterial): http.Agent {
    const fingerprint = protocol + materialFingerprint(material);
    const found = this.agents.get(env.name);
    if (found?.fingerprint === fingerprint) return found.agent;
    found?.agent.destroy();
    const agent =
      protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 4, ...material.options })
        : new http.Agent({ keepAlive: true, maxSockets: 4 });
    this.agents.set(env.name, { fingerprint, agent });
    return agent;
  }

  /** Closes every connection (on deactivate, or when environments change). */
  destroy(): void {
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
