// The flow target of the CLI and the tests: each flow on its own simulator in this process.
import { startSimulator } from '../simulator';
import type { FlowTarget } from './runner';

export const LOCAL_SIMULATOR: FlowTarget = {
  kind: 'simulator',
  start: (now) => startSimulator({ host: '127.0.0.1', port: 0, now }),
};
