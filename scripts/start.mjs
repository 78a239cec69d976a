// `npm start`: build, then launch Electron. Without a configured gateway the demo gateway runs
// beside it. Where the Electron runtime cannot be obtained, say so and point at `npm run dev:web`.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const run = (cmd, args, opts = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', ...opts });

let electronBinary;
try {
  // The electron package resolves to its binary's path, and throws if the binary is missing.
  electronBinary = require('electron');
} catch (err) {
  console.error(
    [
      '',
      'Agent Desk could not start Electron: its runtime is not installed on this machine',
      `(${String(err.message ?? err).split('\n')[0]}).`,
      '',
      'Use the app in a browser instead, with the same main-process services:',
      '    npm run dev:web',
      '',
      'or run `npm start` on a machine where the Electron runtime can be downloaded.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

if (run('npm', ['run', 'build']).status !== 0) process.exit(1);

// The Electron main process does not load better-sqlite3 yet (the local cache will, and will then
// need a rebuild against Electron's headers here, where Electron exists; see ENVIRONMENT.md).
const env = { ...process.env };
const children = [];
if (!env.AGENT_DESK_GATEWAY_URL) {
  // The demo gateway runs under Node (not inside Electron) so it uses the Node build of SQLite.
  const port = env.AGENT_DESK_GATEWAY_PORT ?? '8787';
  const gateway = spawn(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/server/index.ts', '--demo', '--port', port],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  children.push(gateway);
  env.AGENT_DESK_GATEWAY_URL = `ws://127.0.0.1:${port}/v1/agent`;
  env.AGENT_DESK_DEMO_GATEWAY_URL = env.AGENT_DESK_GATEWAY_URL;
}

const app = spawn(electronBinary, [root], { cwd: root, stdio: 'inherit', env });
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
app.on('exit', (code) => {
  stop();
  process.exit(code ?? 0);
});
process.on('SIGINT', stop);
