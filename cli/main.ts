// `vip-api`: the command-line adapter over the engine (check, explain), the transport (send, soap)
// and the simulator.
import { productVersion } from '../core/version';
import { CHECK_HELP, runCheck } from './check';
import { EXPLAIN_HELP, runExplain } from './explain';
import { SEND_HELP, runSend } from './send';
import { SOAP_HELP, runSoap } from './soap';
import { SIMULATOR_HELP, runSimulator } from './simulator';

const HELP = `vip-api — check, explain and send VIP Credential Management API requests

Usage:
${CHECK_HELP}${EXPLAIN_HELP}${SEND_HELP}${SOAP_HELP}${SIMULATOR_HELP}  vip-api <command> --help | vip-api --help | --version
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest);
    case 'explain':
      return runExplain(rest);
    case 'send':
      return runSend(rest);
    case 'soap':
      return runSoap(rest);
    case 'simulator':
      return runSimulator(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    case '--version':
      process.stdout.write(`${productVersion()}\n`);
      return 0;
    default:
      process.stderr.write(`vip-api: unknown command "${command}". Run vip-api --help.\n`);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`vip-api: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
