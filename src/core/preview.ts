import { hash } from 'node:crypto';
import { chunkRecipients, type CallRecipients } from './chunk.js';
import { largestContributors, msgBytes, MSG_BYTE_LIMIT } from './msg/index.js';
import type { NotificationDef, Project, Recipients, TemplateDef } from './project.js';

/** What `render --dry-run` shows for one message: a value; printers turn it into text, JSON or HTML. */
export interface RenderedItem {
  kind: 'notification' | 'template';
  id: string;
  /** `id@version` of the template. */
  template: string;
  /** For templates: the example name, or `vars` when variables were given on the command line. */
  example?: string;
  msg: Record<string, unknown>;
  bytes: number;
  limit: number;
  sha256: string;
  contributors: { path: string; bytes: number }[];
  recipients: Recipients | undefined;
  calls: CallRecipients[];
}

/** One-shot `crypto.hash` (Node ≥ 20.12) is about 3× faster than createHash for a message this small. */
export function sha256OfMsg(msg: unknown): string {
  return hash('sha256', JSON.stringify(msg), 'hex');
}

export function describeRendered(
  project: Project,
  kind: RenderedItem['kind'],
  id: string,
  template: TemplateDef,
  msg: Record<string, unknown>,
  n: NotificationDef | undefined,
  example?: string,
): RenderedItem {
  const item: RenderedItem = {
    kind,
    id,
    template: `${template.id}@${template.version}`,
    msg,
    bytes: msgBytes(msg),
    limit: MSG_BYTE_LIMIT,
    sha256: sha256OfMsg(msg),
    contributors: largestContributors(msg, 3),
    recipients: n?.to,
    calls: n ? chunkRecipients(n.to, project.config.limits) : [],
  };
  if (example !== undefined) item.example = example;
  return item;
}
