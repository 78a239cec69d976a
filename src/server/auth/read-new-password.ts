import { text } from 'node:stream/consumers';

/**
 * The password for a new account: AGENT_DESK_NEW_PASSWORD, else typed at a terminal (not echoed,
 * asked twice), else the first line of piped stdin. Never a command-line flag, which would land
 * in shell history and in `ps` for everyone on the machine.
 */
export async function readNewPassword(
  env: Record<string, string | undefined>,
  stdin: NodeJS.ReadStream = process.stdin,
  prompts: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  const fromEnv = env.AGENT_DESK_NEW_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!stdin.isTTY) return (await text(stdin)).split(/\r?\n/)[0] ?? '';
  const first = await promptHidden('New password: ', stdin, prompts);
  const second = await promptHidden('Repeat it: ', stdin, prompts);
  if (first !== second) throw new Error('The two passwords differ');
  return first;
}

function promptHidden(
  prompt: string,
  stdin: NodeJS.ReadStream,
  prompts: NodeJS.WritableStream,
): Promise<string> {
  prompts.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      prompts.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new Error('Cancelled'));
          return;
        }
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}
