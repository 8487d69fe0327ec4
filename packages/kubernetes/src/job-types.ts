/**
 * @module job-types
 * The parts of Kubernetes' `batch/v1` Job (and its pod template) that the launcher writes and
 * reads, typed as the API defines them. Fields the launcher never sets are left out.
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  command: string[];
  env: EnvVar[];
  resources: ResourceRequirements;
}

export interface PodSpec {
  restartPolicy: 'Never';
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  imagePullSecrets?: Array<{ name: string }>;
  terminationGracePeriodSeconds: number;
  containers: Container[];
}

export interface JobManifest {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: ObjectMeta & { name: string; namespace: string };
  spec: {
    /** Always 0: Weir retries a step (its retry policy), not Kubernetes. */
    backoffLimit: 0;
    ttlSecondsAfterFinished: number;
    activeDeadlineSeconds?: number;
    template: {
      metadata: ObjectMeta;
      spec: PodSpec;
    };
  };
}

/** A Job condition as the API server reports it (`Complete`, `Failed`, `SuccessCriteriaMet`, …). */
export interface JobCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** What the launcher reads back of a Job. */
export interface JobStatusView {
  metadata?: ObjectMeta;
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    conditions?: JobCondition[];
  };
}
