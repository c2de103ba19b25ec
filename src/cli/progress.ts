import { createSpinner } from 'nanospinner';

/** A spinner on an interactive terminal; elsewhere a plain line every few seconds, so CI logs stay short. */
export function startProgress(total: number, env: NodeJS.ProcessEnv = process.env): { update(done: number, total: number): void; stop(): void } {
  const interactive = process.stderr.isTTY && env.TERM !== 'dumb' && !('CI' in env);
  if (interactive) {
    const spinner = createSpinner(`sending 0/${total} calls`, { stream: process.stderr }).start();
    let stopped = false;
    return {
      update: (done, all) => spinner.update({ text: `sending ${done}/${all} calls` }),
      stop: () => {
        if (!stopped) spinner.success({ text: `sent ${total} call(s)` });
        stopped = true;
      },
    };
  }
  let last = Date.now();
  return {
    update: (done, all) => {
      if (done === all || Date.now() - last > 5000) {
        process.stderr.write(`sending: ${done}/${all} calls\n`);
        last = Date.now();
      }
    },
    stop: () => undefined,
  };
}
