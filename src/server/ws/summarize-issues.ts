import type { z } from 'zod';

const MAX_ISSUES = 5;

/** A one-line account of what failed validation, for BAD_REQUEST messages. */
export function summarizeIssues(error: z.ZodError): string {
  const lines = error.issues
    .slice(0, MAX_ISSUES)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  if (error.issues.length > MAX_ISSUES) lines.push(`and ${error.issues.length - MAX_ISSUES} more`);
  return lines.join('; ');
}
