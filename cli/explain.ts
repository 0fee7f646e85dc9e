import { getReasonCode, reasonCodeFamilies } from '../core/data/catalog';
import { helpText, parseCommandArgs, usageText, UsageError } from './args';

export const EXPLAIN_HELP = `  vip-api explain <reason code>
      Print what a VIP reason code means and what to do (e.g. vip-api explain 4e04).
`;

/** The one reason code argument, or undefined for --help; a problem is a UsageError. */
function explainArgs(args: string[]): string | undefined {
  const { values, positionals } = parseCommandArgs(args, {});
  if (values.help) return undefined;
  if (positionals.length !== 1) throw new UsageError('name one reason code, e.g. vip-api explain 4e04');
  return positionals[0];
}

export function runExplain(args: string[]): number {
  let arg: string | undefined;
  try {
    arg = explainArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(usageText('explain', e.message, EXPLAIN_HELP));
    return 2;
  }
  if (arg === undefined) {
    process.stdout.write(helpText(EXPLAIN_HELP));
    return 0;
  }
  const code = arg.trim();
  const rc = /^[0-9a-fA-F]{4}$/.test(code) ? getReasonCode(code) : undefined;
  if (!rc) {
    process.stderr.write(
      `vip-api: "${code}" is not a known VIP reason code. Codes are four hex digits, such as 4e04 or 49B5.\n`,
    );
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
