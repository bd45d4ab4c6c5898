// The container runtime's error messages: long call chains whose useful end says what went wrong,
// e.g. `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc
// create failed: unable to start container process: exec: "/etc/passwd": permission denied: unknown`
// (containerd + runc; docs/lifecycle-facts.md §5).

const START_PREFIX = 'unable to start container process: ';

/** The cause at the end of a runtime's start error ('exec: "/etc/passwd": permission denied'), else the message. */
export function runtimeCause(message: string | undefined): string | undefined {
  const m = message?.trim();
  if (!m) return undefined;
  let cause = m;
  const i = m.lastIndexOf(START_PREFIX);
  if (i >= 0) cause = m.slice(i + START_PREFIX.length);
  else {
    const j = m.lastIndexOf('exec: ');
    if (j >= 0) cause = m.slice(j);
  }
  return cause.replace(/: unknown$/, '').trim() || m;
}

/**
 * How runc says the command does not exist ('exec: "x": executable file not found in $PATH', 'exec:
 * "/x": stat /x: no such file or directory') or exists and cannot be executed ('permission denied',
 * 'exec format error', 'is a directory'). Only an `exec:` cause: other start errors (a mount, the
 * working directory) use the same words about other things.
 */
export function commandProblem(message: string | undefined): 'not-found' | 'not-executable' | undefined {
  const cause = runtimeCause(message);
  if (!cause?.startsWith('exec: ')) return undefined;
  if (/executable file not found|no such file or directory/.test(cause)) return 'not-found';
  if (/permission denied|exec format error|is a directory/.test(cause)) return 'not-executable';
  return undefined;
}

/**
 * A runtime's start error with its call chain elided, the cause kept whole: `Error: … exec:
 * "/etc/passwd": permission denied: unknown`. Other messages are returned as they are.
 */
export function compactRuntimeMessage(message: string): string {
  const i = message.lastIndexOf(START_PREFIX);
  if (i < 0) return message;
  return `${message.startsWith('Error: ') ? 'Error: ' : ''}… ${message.slice(i + START_PREFIX.length)}`;
}
