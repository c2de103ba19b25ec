// Shared by every browser test (preview, sandbox inbox). Chromium is Debian's package, driven by
// playwright-core; `.ci/run` installs it together with fonts-wqy-microhei so CI never skips.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContextOptions, type Page } from 'playwright-core';
import { describe } from 'vitest';

function findChromium(): string | undefined {
  const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : undefined;
}

export const chromiumPath: string | undefined = findChromium();

let warned = false;

// A skipped suite only shows up as a count; the warning says why and how CI avoids it.
function warnSkippedOnce(): void {
  if (warned) return;
  warned = true;
  console.warn(`browser tests skipped: ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} not found; .ci/run installs it`);
}

const skippedDescribe = describe.skipIf(true);

export const describeBrowser: typeof describe =
  chromiumPath !== undefined
    ? describe
    : (new Proxy(skippedDescribe, {
        apply(target, thisArg, args: unknown[]): unknown {
          warnSkippedOnce();
          return Reflect.apply(target, thisArg, args);
        },
      }) as unknown as typeof describe);

// Background services would make the tests reach the network; QUIC and GPU only add noise here.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Runs `fn` with a page in a fresh browser and context, and always closes the browser. */
export async function withPage<T>(fn: (page: Page) => Promise<T>, contextOptions: BrowserContextOptions = {}): Promise<T> {
  if (chromiumPath === undefined) throw new Error('withPage needs Chromium: set CHROMIUM_PATH or install /usr/bin/chromium');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    return await fn(page);
  } finally {
    await browser.close();
  }
}

const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** `test/artifacts/<name>` (git-ignored), with its directory created. */
export function artifactPath(name: string): string {
  const path = join(ARTIFACTS_DIR, name);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
