import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/** For schemas only known at run time (users' variable schemas), with the options our precompiled validators
 * were generated with (scripts/generate-validators.mjs). Only modules that compile such schemas import this
 * file, so commands that check only our own files never load Ajv's compiler. */
export function newAjv(strict: boolean, opts: { validateSchema?: boolean } = {}): Ajv {
  const instance = new Ajv({ allErrors: true, strict, verbose: true, validateSchema: opts.validateSchema ?? true });
  addFormats.default(instance);
  return instance;
}
