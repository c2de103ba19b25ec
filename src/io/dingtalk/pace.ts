/**
 * DingTalk delivers an app's messages to at most 5000 people a minute [D SEND]; beyond that a send still
 * answers "ok" and reaches nobody. So sends are paced by recipients, not only by calls: a send waits until the
 * people sent to in the last window plus its own fit under the cap. A send larger than the whole cap waits for
 * an empty window and goes alone. Waiting keeps the process alive (a ref'd timer), and only while someone waits.
 */
export interface Pacer {
  take(recipients: number): Promise<void>;
}

export function createPacer(opts: { perWindow: number; windowMs: number; now?: () => number; sleep?: (ms: number) => Promise<void> }): Pacer {
  const now = opts.now ?? (() => performance.now());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const sent: { at: number; n: number }[] = [];
  let inWindow = 0;
  let queue = Promise.resolve();

  const prune = (t: number): void => {
    while (sent.length > 0 && sent[0]!.at <= t - opts.windowMs) inWindow -= sent.shift()!.n;
  };
  const waitFor = async (n: number): Promise<void> => {
    for (;;) {
      const t = now();
      prune(t);
      if (inWindow === 0 || inWindow + n <= opts.perWindow) {
        sent.push({ at: t, n });
        inWindow += n;
        return;
      }
      // Wait until enough of the oldest sends leave the window.
      let free = opts.perWindow - inWindow;
      let until = sent[0]!.at + opts.windowMs;
      for (const s of sent) {
        free += s.n;
        until = s.at + opts.windowMs;
        if (free >= n) break;
      }
      await sleep(Math.max(1, Math.ceil(until - t)));
    }
  };
  return {
    take(recipients) {
      if (opts.perWindow <= 0 || recipients <= 0) return Promise.resolve();
      // One at a time, in order: a large send is not overtaken for ever by small ones.
      const turn = queue.then(() => waitFor(recipients));
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
