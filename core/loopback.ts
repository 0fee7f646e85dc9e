// Which hosts are this machine: plain HTTP is allowed only to and on them (transport and simulator).
import * as net from 'node:net';

/** localhost, 127.0.0.0/8, ::1 (also as an IPv4-mapped 127 address); brackets of a URL host are ignored. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}
