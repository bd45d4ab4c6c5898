// The wire shapes of the Kubernetes objects the model reads, as plain JSON (times are RFC 3339
// strings, exactly as the API server sends them). Only the fields the model uses are named; the
// objects carry more. These are deliberately not client-node's V1* classes: those turn times into
// Date objects, and observations must stay serialisable so that they can be recorded and replayed.

export interface ObjectMetaJson {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string | null;
  readonly deletionTimestamp?: string | null;
  readonly deletionGracePeriodSeconds?: number | null;
  readonly labels?: Readonly<Record<string, string>> | null;
  readonly annotations?: Readonly<Record<string, string>> | null;
  readonly ownerReferences?: readonly OwnerReferenceJson[] | null;
  readonly generateName?: string;
}

export interface OwnerReferenceJson {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly controller?: boolean;
}

export interface ProbeJson {
  readonly exec?: { readonly command?: readonly string[] } | null;
  readonly httpGet?: { readonly path?: string; readonly port?: number | string; readonly host?: string; readonly scheme?: string } | null;
  readonly tcpSocket?: { readonly port?: number | string; readonly host?: string } | null;
  readonly grpc?: { readonly port?: number; readonly service?: string } | null;
  readonly initialDelaySeconds?: number;
  readonly timeoutSeconds?: number;
  readonly periodSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
  readonly terminationGracePeriodSeconds?: number | null;
}

export interface LifecycleHandlerJson {
  readonly exec?: { readonly command?: readonly string[] } | null;
  readonly httpGet?: { readonly path?: string; readonly port?: number | string; readonly host?: string; readonly scheme?: string } | null;
  readonly tcpSocket?: { readonly port?: number | string } | null;
  readonly sleep?: { readonly seconds?: number } | null;
}

export interface ResourceListJson {
  readonly cpu?: string;
  readonly memory?: string;
  readonly [name: string]: string | undefined;
}

export interface ContainerJson {
  readonly name: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly restartPolicy?: string; // "Always" on an init container = sidecar (1.28+)
  readonly resources?: { readonly limits?: ResourceListJson | null; readonly requests?: ResourceListJson | null } | null;
  readonly livenessProbe?: ProbeJson | null;
  readonly readinessProbe?: ProbeJson | null;
  readonly startupProbe?: ProbeJson | null;
  readonly lifecycle?: { readonly postStart?: LifecycleHandlerJson | null; readonly preStop?: LifecycleHandlerJson | null } | null;
  readonly terminationMessagePath?: string;
  readonly imagePullPolicy?: string;
  readonly targetContainerName?: string; // ephemeral containers
}

export interface PodSpecJson {
  readonly nodeName?: string;
  readonly restartPolicy?: string;
  readonly initContainers?: readonly ContainerJson[] | null;
  readonly containers?: readonly ContainerJson[] | null;
  readonly ephemeralContainers?: readonly ContainerJson[] | null;
  readonly terminationGracePeriodSeconds?: number | null;
  readonly activeDeadlineSeconds?: number | null;
  readonly readinessGates?: readonly { readonly conditionType: string }[] | null;
  readonly schedulingGates?: readonly { readonly name: string }[] | null;
  readonly priorityClassName?: string;
}

export interface ContainerStateJson {
  readonly waiting?: { readonly reason?: string; readonly message?: string } | null;
  readonly running?: { readonly startedAt?: string | null } | null;
  readonly terminated?: {
    readonly exitCode?: number;
    readonly signal?: number;
    readonly reason?: string;
    readonly message?: string;
    readonly startedAt?: string | null;
    readonly finishedAt?: string | null;
    readonly containerID?: string;
  } | null;
}

export interface ContainerStatusJson {
  readonly name: string;
  readonly state?: ContainerStateJson | null;
  readonly lastState?: ContainerStateJson | null;
  readonly ready?: boolean;
  readonly started?: boolean | null;
  readonly restartCount?: number;
  readonly image?: string;
  readonly imageID?: string;
  readonly containerID?: string;
  readonly allocatedResources?: ResourceListJson | null;
}

export interface PodConditionJson {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string | null;
  readonly lastProbeTime?: string | null;
}

export interface PodStatusJson {
  readonly phase?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly nominatedNodeName?: string;
  readonly hostIP?: string;
  readonly podIP?: string;
  readonly podIPs?: readonly { readonly ip: string }[] | null;
  readonly startTime?: string | null;
  readonly qosClass?: string;
  readonly conditions?: readonly PodConditionJson[] | null;
  readonly initContainerStatuses?: readonly ContainerStatusJson[] | null;
  readonly containerStatuses?: readonly ContainerStatusJson[] | null;
  readonly ephemeralContainerStatuses?: readonly ContainerStatusJson[] | null;
}

export interface PodJson {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMetaJson;
  readonly spec?: PodSpecJson;
  readonly status?: PodStatusJson;
}

/** core/v1 Event. events.k8s.io/v1 Events are converted to this shape by the sources. */
export interface EventJson {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMetaJson;
  readonly involvedObject?: {
    readonly kind?: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly uid?: string;
    readonly fieldPath?: string;
    readonly apiVersion?: string;
  };
  readonly reason?: string;
  readonly message?: string;
  readonly type?: string; // Normal | Warning
  readonly count?: number;
  readonly firstTimestamp?: string | null;
  readonly lastTimestamp?: string | null;
  readonly eventTime?: string | null;
  readonly series?: { readonly count?: number; readonly lastObservedTime?: string | null } | null;
  readonly source?: { readonly component?: string; readonly host?: string } | null;
  readonly reportingComponent?: string;
  readonly reportingInstance?: string;
  readonly action?: string;
}
