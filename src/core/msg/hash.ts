import { hash } from 'node:crypto';

/** The content hash of a msg (the ledger's and report's sha256). One-shot `crypto.hash` (Node ≥ 20.12) is about 3× faster than createHash for a message this small. */
export function sha256OfMsg(msg: unknown): string {
  return hash('sha256', JSON.stringify(msg), 'hex');
}
