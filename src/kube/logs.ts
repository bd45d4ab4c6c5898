// Log tails of one container instance: `previous` for the instance before the current one (the
// kubelet keeps only that one), or the current instance. Failures become a note, never an error:
// logs are evidence, not the main course.

import { ApiError, type KubeClient } from './client.ts';

export interface LogTail {
  readonly lines: readonly string[];
  readonly note: string | undefined;
}

export async function fetchLogTail(
  client: KubeClient,
  namespace: string,
  pod: string,
  container: string,
  opts: { readonly previous: boolean; readonly tailLines: number; readonly signal?: AbortSignal },
): Promise<LogTail> {
  try {
    const text = await client.getText(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`, {
      query: { container, previous: opts.previous ? 'true' : undefined, tailLines: opts.tailLines },
      ...(opts.signal ? { signal: opts.signal } : {}),
      timeoutMs: 15_000,
    });
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return { lines: lines.slice(-opts.tailLines), note: lines.length === 0 ? 'the instance wrote no log lines' : undefined };
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.kind === 'forbidden') return { lines: [], note: 'logs not visible: RBAC forbids get on pods/log' };
      if (e.status === 400 || e.kind === 'not-found') return { lines: [], note: `log not available: ${e.message}` };
      return { lines: [], note: `log not fetched: ${e.message}` };
    }
    return { lines: [], note: `log not fetched: ${String(e)}` };
  }
}
