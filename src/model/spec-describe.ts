// Describes container specs for people: probes ("httpGet /healthz :8080"), hooks, limits.

import type { ContainerJson, LifecycleHandlerJson, ProbeJson } from './kube-json.ts';
import type { ContainerSpecView, HookView, ProbeView } from './view.ts';

function handlerText(h: LifecycleHandlerJson | ProbeJson): string {
  if (h.exec) return `exec ${(h.exec.command ?? []).join(' ')}`.trim();
  if (h.httpGet) return `httpGet ${h.httpGet.path ?? '/'} :${h.httpGet.port ?? '?'}`;
  if (h.tcpSocket) return `tcpSocket :${h.tcpSocket.port ?? '?'}`;
  if ('grpc' in h && h.grpc) return `grpc :${h.grpc.port ?? '?'}${h.grpc.service ? ` ${h.grpc.service}` : ''}`;
  if ('sleep' in h && h.sleep) return `sleep ${h.sleep.seconds ?? 0}s`;
  return 'unknown handler';
}

function probeView(kind: ProbeView['kind'], p: ProbeJson | null | undefined): ProbeView | undefined {
  if (!p) return undefined;
  // API defaults (pkg/apis/core/v1/defaults.go): period 10, timeout 1, failureThreshold 3.
  return {
    kind,
    handler: handlerText(p),
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    periodSeconds: p.periodSeconds ?? 10,
    timeoutSeconds: p.timeoutSeconds ?? 1,
    failureThreshold: p.failureThreshold ?? 3,
  };
}

export function describeProbe(p: ProbeView): string {
  return `${p.kind} ${p.handler} every ${p.periodSeconds}s, timeout ${p.timeoutSeconds}s, ${p.failureThreshold} failures (${p.periodSeconds * p.failureThreshold}s) to fail${p.initialDelaySeconds ? `, after ${p.initialDelaySeconds}s` : ''}`;
}

export function containerSpecView(c: ContainerJson | undefined): ContainerSpecView {
  const probes = [
    probeView('startup', c?.startupProbe),
    probeView('liveness', c?.livenessProbe),
    probeView('readiness', c?.readinessProbe),
  ].filter((p): p is ProbeView => p !== undefined);
  const hooks: HookView[] = [];
  if (c?.lifecycle?.postStart) hooks.push({ kind: 'postStart', handler: handlerText(c.lifecycle.postStart) });
  if (c?.lifecycle?.preStop) hooks.push({ kind: 'preStop', handler: handlerText(c.lifecycle.preStop) });
  const cmd = [...(c?.command ?? []), ...(c?.args ?? [])];
  return {
    command: cmd.length > 0 ? cmd : undefined,
    limits: { cpu: c?.resources?.limits?.cpu, memory: c?.resources?.limits?.memory },
    requests: { cpu: c?.resources?.requests?.cpu, memory: c?.resources?.requests?.memory },
    probes,
    hooks,
  };
}
