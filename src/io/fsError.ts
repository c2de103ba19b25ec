import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';

/**
 * A file-system failure that is the environment's, not a bug: a read-only `.dingcast/` or `reports/` (EROFS in a
 * container with a read-only root), no permission, a full disk. The CLI prints these as one clear line (exit 2)
 * instead of "internal error".
 */
export function fsUserError(e: unknown): UserError | undefined {
  if (!(e instanceof Error)) return undefined;
  let err = e as NodeJS.ErrnoException;
  // Node's recursive mkdir reports ENOENT when a parent cannot be written (EROFS, EACCES): find the real reason.
  if (err.code === 'ENOENT' && err.syscall === 'mkdir' && err.path) err = writeProbe(err.path) ?? err;
  const path = err.path ?? 'a file';
  switch (err.code) {
    case 'EROFS':
      return new UserError(`cannot write ${path}: the file system is read-only`, 'dingcast keeps its ledger and lock in .dingcast/ and its reports in reports/ inside the project folder; run it where those are writable (in a container, mount a writable volume there).');
    case 'EACCES':
    case 'EPERM':
      return new UserError(`cannot ${err.syscall ?? 'access'} ${path}: permission denied`, 'Give the user that runs dingcast write access to the project folder (.dingcast/ and reports/).');
    case 'ENOSPC':
    case 'EDQUOT':
      return new UserError(`cannot write ${path}: the disk is full${err.code === 'EDQUOT' ? ' (quota exceeded)' : ''}`, 'Free some space and run again; the ledger in .dingcast/ says what was already sent.');
    case 'EISDIR':
      return new UserError(`${path} is a folder where dingcast expects a file`, 'Rename or remove that folder.');
    case 'ENOTDIR':
      return new UserError(`${path}: a part of the path is a file where dingcast expects a folder`, 'Rename or remove that file.');
    case 'ELOOP':
      return new UserError(`${path} is a symbolic link loop`, 'Remove the link or point it at a real file.');
    case 'EMFILE':
    case 'ENFILE':
      return new UserError('too many open files', 'Raise the open-file limit (ulimit -n) and run again.');
    default:
      return undefined;
  }
}

/** Why the nearest existing ancestor of `path` cannot be written, or undefined when it can. */
function writeProbe(path: string): NodeJS.ErrnoException | undefined {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
}
