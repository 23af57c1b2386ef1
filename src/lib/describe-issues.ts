import type { $ZodError } from 'zod/v4/core';

/** Up to three zod issues as "path: message", for one-line error messages. */
export function describeIssues(error: $ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    return `${path}: ${plainIssue(issue.message)}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** zod's message without its "Invalid input: " / "Invalid option: " prefix, as a rule to meet. */
export function plainIssue(message: string): string {
  return message
    .replace(/^Invalid (input|option): /, '')
    .replace(/^expected one of/, 'must be one of');
}
