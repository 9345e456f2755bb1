/** Collects validation issues. */
import type { Severity, ValidationIssue } from './types';

export class IssueList {
  readonly items: ValidationIssue[] = [];

  error(code: string, path: string, message: string): void {
    this.add('error', code, path, message);
  }

  warning(code: string, path: string, message: string): void {
    this.add('warning', code, path, message);
  }

  private add(severity: Severity, code: string, path: string, message: string): void {
    this.items.push({ code, severity, path, message });
  }
}

/** A JSON pointer from path segments (escaping `~` and `/`). */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
