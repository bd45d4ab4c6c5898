// One error type for everything the user must be told in one line. `hint` says how to fix it.
// run.ts prints `podlife: <message>` (+ hint) and exits with `exitCode`; never a stack trace.

export class UserError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, hint?: string, exitCode = 1) {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
