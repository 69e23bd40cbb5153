// A whole file refused by a reader (not recognised, empty, damaged): nothing from it is loaded, and the
// findings say why. Readers throw it; the loader records the refusal with these findings.
import type { Finding } from './types.ts';

export class FileRejected extends Error {
  findings: Finding[];

  constructor(message: string, findings: Finding[]) {
    super(message);
    this.name = 'FileRejected';
    this.findings = findings;
  }
}
