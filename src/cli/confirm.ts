import { createInterface } from 'node:readline/promises';
import type { Plan } from '../core/send/types.js';

/**
 * Before a real mass send, someone at a terminal is asked once (design: "Send 3 notifications to 2,013 people in
 * 24 calls? [y/N]"). Cron, CI and pipes have no terminal and are never asked; `--yes` and `--sandbox` skip it.
 */
export function confirmQuestion(plan: Plan): string | undefined {
  const withCalls = plan.notifications.filter((n) => n.calls.length > 0);
  if (withCalls.length === 0) return undefined;
  const people = new Set<string>();
  const departments = new Set<string>();
  let everyone = false;
  let calls = 0;
  for (const n of withCalls) {
    for (const c of n.calls) {
      calls += 1;
      c.recipients.userids?.forEach((u) => people.add(u));
      c.recipients.deptIds?.forEach((d) => departments.add(String(d)));
      if (c.recipients.toAll) everyone = true;
    }
  }
  const audience = [
    everyone ? 'EVERYONE in the organisation' : '',
    people.size > 0 ? count(people.size, 'person', 'people') : '',
    departments.size > 0 ? count(departments.size, 'department', 'departments') : '',
  ].filter(Boolean);
  return `Send ${count(withCalls.length, 'notification', 'notifications')} to ${audience.join(' and ')} in ${count(calls, 'call', 'calls')}? [y/N] `;
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Whether to ask at all: only with a person at both ends. */
export function canAsk(term: Terminal): boolean {
  return term.input.isTTY === true && term.output.isTTY === true;
}

/** y or yes (any case) says yes; anything else, an empty line or a closed input says no. */
export async function askYesNo(question: string, term: Terminal): Promise<boolean> {
  const rl = createInterface({ input: term.input, output: term.output });
  try {
    const answer = await Promise.race([rl.question(question), new Promise<string>((resolve) => rl.once('close', () => resolve('')))]);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
