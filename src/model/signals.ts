// Signal numbers and names (Linux). Exit codes above 128 mean "killed by signal code-128".

const NAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  16: 'SIGSTKFLT',
  17: 'SIGCHLD',
  18: 'SIGCONT',
  19: 'SIGSTOP',
  20: 'SIGTSTP',
  21: 'SIGTTIN',
  22: 'SIGTTOU',
  23: 'SIGURG',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  26: 'SIGVTALRM',
  27: 'SIGPROF',
  28: 'SIGWINCH',
  29: 'SIGIO',
  30: 'SIGPWR',
  31: 'SIGSYS',
};

export function signalName(n: number | undefined): string | undefined {
  return n === undefined ? undefined : NAMES[n];
}

/** The signal behind a termination: the explicit `signal` field, else 128+n exit codes. */
export function terminationSignal(exitCode: number | undefined, signal: number | undefined): number | undefined {
  if (signal !== undefined && signal > 0) return signal;
  if (exitCode !== undefined && exitCode > 128 && exitCode < 160) return exitCode - 128;
  return undefined;
}
