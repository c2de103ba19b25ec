import type { Diagnostic } from '../diagnostics.js';
import { parseYamlValue } from './yamlSource.js';

/**
 * A data file's value. A `.json` file is parsed with JSON.parse (28× faster than the YAML parser on a large
 * file); only when that fails, or the text repeats a key (JSON.parse would silently keep the last one), does
 * the YAML parser read it, for the error's line and column. Every other file is YAML (JSON is YAML too).
 */
export function parseDataValue(file: string, text: string): { ok: true; value: unknown } | { ok: false; diagnostics: Diagnostic[] } {
  if (file.toLowerCase().endsWith('.json')) {
    try {
      const value: unknown = JSON.parse(text);
      if (!repeatsAKey(text)) return { ok: true, value };
    } catch {
      // the YAML parser below says where
    }
  }
  return parseYamlValue(file, text);
}

/** Whether any object in this (valid) JSON text has the same key twice. One pass over the text. */
function repeatsAKey(text: string): boolean {
  const stack: (Set<string> | null)[] = []; // a Set per open object, null per open array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const keys = stack.at(-1);
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return true;
        keys.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectKey = stack.at(-1) instanceof Set;
    }
  }
  return false;
}
