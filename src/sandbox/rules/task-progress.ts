export interface TaskTiming {
  createdAt: number;
  recipients: number;
  queueMs: number;
  baseMs: number;
  perRecipientMs: number;
}

export interface Progress {
  /** 0 = not started, 1 = processing, 2 = done [D PROGRESS]. */
  status: 0 | 1 | 2;
  progress_in_percent: number;
  /** How many recipients (in task order) have been processed. */
  processed: number;
}

/** A task waits `queueMs`, then works through its recipients in order; never instant, like DingTalk. */
export function progressAt(t: TaskTiming, now: number): Progress {
  const elapsed = now - t.createdAt - t.queueMs;
  if (elapsed < 0) return { status: 0, progress_in_percent: 0, processed: 0 };
  const total = processingMs(t);
  const fraction = total <= 0 ? 1 : Math.min(1, elapsed / total);
  if (fraction >= 1) return { status: 2, progress_in_percent: 100, processed: t.recipients };
  return { status: 1, progress_in_percent: Math.floor(fraction * 100), processed: Math.floor(fraction * t.recipients) };
}

/** When recipient number `index` (0-based) is processed: the moment a delivered message appears in the inbox. */
export function processedAt(t: TaskTiming, index: number): number {
  const start = t.createdAt + t.queueMs;
  if (t.recipients === 0) return start + processingMs(t);
  return start + Math.ceil((processingMs(t) * (index + 1)) / t.recipients);
}

function processingMs(t: TaskTiming): number {
  return t.baseMs + t.perRecipientMs * t.recipients;
}
