/** A problem found in a project file. Validation returns these as data; only the CLI prints them. */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable code, e.g. `schema/additional-property`, `msg/too-large`; scripts and tests key on it. */
  code: string;
  /** Path relative to the project root, with forward slashes. */
  file: string;
  /** 1-based; 0 when the problem has no position in the file (e.g. a missing file). */
  line: number;
  column: number;
  message: string;
  /** How to fix it. */
  hint?: string;
}

export interface ValidationResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}
