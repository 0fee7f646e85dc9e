// Process-group guard. Started by codeServer.ts as the leader of a new session/process group; it
// runs the given command in that group, and ends the WHOLE group (code-server, its extension
// hosts, language servers, file watchers) when:
//   - its stdin closes: the runner that started it is gone, even if it was SIGKILLed;
//   - the command exits: stragglers it left behind are killed.
// The runner's own teardown also signals the group; SIGTERM here only waits for the command.
'use strict';
const { spawn } = require('node:child_process');
const { rmSync } = require('node:fs');

const [cmd, ...args] = process.argv.slice(2);
const killGroup = (signal) => {
  try {
    process.kill(0, signal);
  } catch {
    /* group already gone */
  }
};
let runnerGone = false;
// The runner removes the temp folder after a normal stop; when it is gone, the guard does.
const removeTemp = () => {
  if (runnerGone && process.env.VIP_GUARD_TEMP_DIR)
    rmSync(process.env.VIP_GUARD_TEMP_DIR, { recursive: true, force: true });
};

process.on('SIGTERM', () => {
  /* the group got it too: wait for the command to exit */
});
process.on('SIGINT', () => {});

const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (err) => {
  console.error(`guard: cannot start ${cmd}: ${err.message}`);
  killGroup('SIGKILL');
});
child.on('exit', () => {
  removeTemp();
  killGroup('SIGKILL');
});

process.stdin.on('data', () => {});
process.stdin.on('close', () => {
  console.error('guard: runner went away, ending the process group');
  runnerGone = true;
  killGroup('SIGTERM');
  setTimeout(() => {
    removeTemp();
    killGroup('SIGKILL');
  }, 3000);
});
