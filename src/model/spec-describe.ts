// Describes container specs for people: probes ("httpGet /healthz :8080"), hooks, limits.

import type { ContainerSpecFacts, HandlerFacts, ProbeFacts } from './snapshot.ts';
import type { ContainerSpecView, ProbeView } from './view.ts';

export function handlerText(h: HandlerFacts): string {
  switch (h.kind) {
    case 'exec':
      return `exec ${h.command.join(' ')}`.trim();
    case 'httpGet':
      return `httpGet ${h.path ?? '/'} :${h.port ?? '?'}`;
    case 'tcpSocket':
      return `tcpSocket :${h.port ?? '?'}`;
    case 'grpc':
      return `grpc :${h.port ?? '?'}${h.service ? ` ${h.service}` : ''}`;
    case 'sleep':
      return `sleep ${h.seconds ?? 0}s`;
    case 'unknown':
      return 'unknown handler';
  }
}

function probeView(p: ProbeFacts): ProbeView {
  // API defaults (pkg/apis/core/v1/defaults.go): period 10, timeout 1, failureThreshold 3.
  return {
    kind: p.kind,
    handler: handlerText(p.handler),
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    periodSeconds: p.periodSeconds ?? 10,
    timeoutSeconds: p.timeoutSeconds ?? 1,
    failureThreshold: p.failureThreshold ?? 3,
  };
}

export function describeProbe(p: ProbeView): string {
  return `${p.kind} ${p.handler} every ${p.periodSeconds}s, timeout ${p.timeoutSeconds}s, ${p.failureThreshold} failures (${p.periodSeconds * p.failureThreshold}s) to fail${p.initialDelaySeconds ? `, after ${p.initialDelaySeconds}s` : ''}`;
}

export function containerSpecView(c: ContainerSpecFacts | undefined): ContainerSpecView {
  return {
    command: c && c.command.length > 0 ? c.command : undefined,
    limits: { cpu: c?.limits.cpu, memory: c?.limits.memory },
    requests: { cpu: c?.requests.cpu, memory: c?.requests.memory },
    probes: (c?.probes ?? []).map(probeView),
    hooks: (c?.hooks ?? []).map((h) => ({ kind: h.kind, handler: handlerText(h.handler) })),
  };
}
