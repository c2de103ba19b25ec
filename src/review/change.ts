// The vocabulary of a diff, shared by the notification and the template diffs.

export type ChangeStatus = 'added' | 'removed' | 'changed';

/** An old → new pair; a side is undefined where the thing does not exist. */
export interface Change<T> {
  old: T | undefined;
  new: T | undefined;
}

export interface ListChange<T> {
  added: T[];
  removed: T[];
}

export interface DiffLabels {
  old: string;
  new: string;
}
