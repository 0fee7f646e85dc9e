import { getReasonCode, reasonCodeFamilies } from '../core/data/catalog';

export function runExplain(args: string[]): number {
  if (args.length !== 1) {
    process.stderr.write('Usage: vip-api explain <reason code>   (e.g. vip-api explain 4e04)\n');
    return 2;
  }
  const code = args[0].trim();
  const rc = /^[0-9a-fA-F]{4}$/.test(code) ? getReasonCode(code) : undefined;
  if (!rc) {
    process.stderr.write(`vip-api: "${code}" is not a known VIP reason code. Codes are four hex digits, such as 4e04 or 49B5.\n`);
    return 1;
  }
  const lines = [`${rc.code}  ${rc.message}`, '', `Cause / solution: ${rc.solution}`];
  if (rc.note) lines.push('', rc.note);
  if (rc.fields?.length) lines.push('', `Fields: ${rc.fields.join(', ')}`);
  if (rc.state) lines.push(`Token state: ${rc.state}`);
  lines.push('', reasonCodeFamilies[rc.family] ?? rc.family);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
