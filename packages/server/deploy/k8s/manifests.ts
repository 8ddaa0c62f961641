/**
 * Kubernetes manifests of Puolesta, as typed TypeScript objects (kubernetes-models: each resource
 * class carries the Kubernetes API's JSON schema and validates against it). `npm run k8s:render`
 * writes them as YAML to deploy/k8s/rendered/<value set>/ (decision 0020).
 *
 * One image, three processes: the API (`dist/main.js`, any number, autoscaled), the outbox worker
 * (`dist/worker-main.js`, any number) and the migration Job (`dist/cli.js migrate`, once per
 * release, before the Deployments roll); an hourly CronJob signs a usage-log checkpoint.
 */
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';

export interface Values {
  /** Namespace the resources go to. */
  namespace: string;
  /** Image built from the Dockerfile, by digest or tag. */
  image: string;
  /** The release's version: names the migration Job (a Job is immutable: one per release). */
  version: string;
  /** Origin browsers use (PUOLESTA_PUBLIC_URL); the OIDC redirect URLs are derived from it. */
  publicUrl: string;
  /** Suomi.fi e-Identification (OIDC) issuer and this service's client id; the secret is in the Secret. */
  oidc: { issuer: string; clientId: string; acr?: string };
  /** PostgreSQL schema of the tables. */
  dbSchema: string;
  api: {
    minReplicas: number;
    maxReplicas: number;
    /** Average CPU use (percent of the request) the autoscaler keeps the API at. */
    targetCpuPercent: number;
    cpu: { request: string; limit?: string };
    memory: { request: string; limit: string };
    /** V8 old-space limit (MB): the authorization index lives in the heap (decision 0019); below the memory limit. */
    heapMb: number;
    /** Pods that may be down at once in a voluntary disruption (drain, upgrade). */
    maxUnavailable: number;
  };
  worker: { replicas: number; cpu: { request: string; limit?: string }; memory: { request: string; limit: string } };
  /** OpenTelemetry traces to an OTLP collector; off: none (costs nothing). */
  otel: { enabled: false } | { enabled: true; endpoint: string; sampleRatio: number };
  /** Where the hourly signed usage-log checkpoints go: the CronJob prints them (log shipping keeps them away from the database). */
  auditCheckpointSchedule: string | null;
  logLevel: 'info' | 'warn';
}

/** The OpenTelemetry preload (packages/server/src/telemetry/otel.ts), relative to the image's /app, given to `node --import` when traces are on. */
export const OTEL_PRELOAD = './packages/server/dist/telemetry/otel.js';
/** The Secret every process reads its secrets from (created by the operator, never rendered here). */
export const SECRET = 'puolesta-secrets';
/** Keys of that Secret and the variable each becomes. Optional keys may be absent. */
export const SECRET_KEYS = {
  DATABASE_URL: { key: 'database-url', optional: false },
  PUOLESTA_OIDC_CLIENT_SECRET: { key: 'oidc-client-secret', optional: false },
  PUOLESTA_API_CLIENTS: { key: 'api-clients', optional: false },
  PUOLESTA_METRICS_TOKEN: { key: 'metrics-token', optional: false },
  PUOLESTA_STAFF_OIDC_CLIENT_SECRET: { key: 'staff-oidc-client-secret', optional: true },
  PUOLESTA_SMTP_URL: { key: 'smtp-url', optional: true },
  PUOLESTA_SUOMIFI_MESSAGES_PASSWORD: { key: 'suomifi-messages-password', optional: true },
  PUOLESTA_SMS_TOKEN: { key: 'sms-token', optional: true },
  PUOLESTA_PRINT_TOKEN: { key: 'print-token', optional: true },
} as const;
/** The audit signing key lives in a Secret of its own: only the checkpoint CronJob mounts it (keep it from the database's administrators). */
export const AUDIT_SECRET = 'puolesta-audit-signing-key';

const PORT = 3000;
const APP = 'puolesta';

function labels(component: string) {
  return { 'app.kubernetes.io/name': APP, 'app.kubernetes.io/component': component, 'app.kubernetes.io/part-of': APP };
}

function secretEnv(names: readonly (keyof typeof SECRET_KEYS)[]): IEnvVar[] {
  return names.map((name) => ({ name, valueFrom: { secretKeyRef: { name: SECRET, key: SECRET_KEYS[name].key, ...(SECRET_KEYS[name].optional ? { optional: true } : {}) } } }));
}

/** Non-root, read-only root file system, no privileges: what a restricted Pod Security Standard asks. */
const containerSecurity: IContainer['securityContext'] = {
  runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
};

function podSpec(v: Values, containers: IContainer[], extra: Partial<IPodSpec> = {}): IPodSpec {
  return {
    serviceAccountName: APP,
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    // The process writes nothing but temporary files (pdfkit, uploads in flight).
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
    containers: containers.map((c) => ({ ...c, volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }], securityContext: containerSecurity })),
    ...extra,
  };
}

function resources(r: { cpu: { request: string; limit?: string }; memory: { request: string; limit: string } }): IContainer['resources'] {
  return {
    requests: { cpu: r.cpu.request, memory: r.memory.request },
    limits: { memory: r.memory.limit, ...(r.cpu.limit ? { cpu: r.cpu.limit } : {}) },
  };
}

export function manifests(v: Values) {
  const ns = v.namespace;
  const config = new ConfigMap({
    metadata: { name: `${APP}-config`, namespace: ns, labels: labels('config') },
    data: {
      PUOLESTA_MODE: 'production',
      HOST: '0.0.0.0',
      PORT: String(PORT),
      PUOLESTA_PUBLIC_URL: v.publicUrl,
      PUOLESTA_DB_SCHEMA: v.dbSchema,
      // The Job migrates; API and worker wait until it has.
      PUOLESTA_MIGRATE: 'off',
      PUOLESTA_WORKER: 'off',
      PUOLESTA_OIDC_ISSUER: v.oidc.issuer,
      PUOLESTA_OIDC_CLIENT_ID: v.oidc.clientId,
      PUOLESTA_OIDC_REDIRECT_URL: `${v.publicUrl}/api/v1/auth/callback`,
      ...(v.oidc.acr ? { PUOLESTA_OIDC_ACR: v.oidc.acr } : {}),
      LOG_LEVEL: v.logLevel,
      ...(v.otel.enabled ? {
        PUOLESTA_OTEL_ENABLED: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: v.otel.endpoint,
        OTEL_SERVICE_NAME: APP,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: String(v.otel.sampleRatio),
      } : {}),
    },
  });
  const fromConfig = [{ configMapRef: { name: config.metadata!.name! } }];
  const serviceAccount = new ServiceAccount({ metadata: { name: APP, namespace: ns, labels: labels('service-account') }, automountServiceAccountToken: false });

  const apiLabels = labels('api');
  const api = new Deployment({
    metadata: { name: `${APP}-api`, namespace: ns, labels: apiLabels },
    spec: {
      // The autoscaler owns the count; this is the start.
      replicas: v.api.minReplicas,
      selector: { matchLabels: apiLabels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: apiLabels },
        spec: podSpec(v, [{
          name: 'api',
          image: v.image,
          // The young generation at its full size from the start (decision 0018, third round; V8 refuses it in NODE_OPTIONS).
          args: ['--min-semi-space-size=16', 'packages/server/dist/main.js'],
          ports: [{ name: 'http', containerPort: PORT }],
          envFrom: fromConfig,
          env: [
            // Traces on: the OpenTelemetry preload starts the SDK before the app (decision 0018); off, it is not loaded.
            { name: 'NODE_OPTIONS', value: `--conditions=puolesta-compiled --max-old-space-size=${v.api.heapMb}${v.otel.enabled ? ` --import ${OTEL_PRELOAD}` : ''}` },
            ...secretEnv(['DATABASE_URL', 'PUOLESTA_OIDC_CLIENT_SECRET', 'PUOLESTA_API_CLIENTS', 'PUOLESTA_METRICS_TOKEN', 'PUOLESTA_STAFF_OIDC_CLIENT_SECRET']),
          ],
          resources: resources(v.api),
          // Alive: the process answers (no database). Waiting for the migration Job counts as starting.
          startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5, failureThreshold: 120 },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
          // Ready: database reachable, migrations current; the index may still load (checks read the database meanwhile).
          readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
        }], { terminationGracePeriodSeconds: 30 }),
      },
    },
  });
  const service = new Service({
    metadata: { name: `${APP}-api`, namespace: ns, labels: apiLabels },
    spec: { type: 'ClusterIP', selector: apiLabels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  const hpa = new HorizontalPodAutoscaler({
    metadata: { name: `${APP}-api`, namespace: ns, labels: apiLabels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: api.metadata!.name! },
      minReplicas: v.api.minReplicas,
      maxReplicas: v.api.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: v.api.targetCpuPercent } } }],
      // A new process answers at once but loads its index for up to a minute: scale down slowly.
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    },
  });
  const apiPdb = new PodDisruptionBudget({
    metadata: { name: `${APP}-api`, namespace: ns, labels: apiLabels },
    spec: { maxUnavailable: v.api.maxUnavailable, selector: { matchLabels: apiLabels } },
  });

  const workerLabels = labels('worker');
  const worker = new Deployment({
    metadata: { name: `${APP}-worker`, namespace: ns, labels: workerLabels },
    spec: {
      replicas: v.worker.replicas,
      selector: { matchLabels: workerLabels },
      template: {
        metadata: { labels: workerLabels },
        spec: podSpec(v, [{
          name: 'worker',
          image: v.image,
          args: ['packages/server/dist/worker-main.js'],
          envFrom: fromConfig,
          env: [
            { name: 'NODE_OPTIONS', value: '--conditions=puolesta-compiled' },
            ...secretEnv(['DATABASE_URL', 'PUOLESTA_SMTP_URL', 'PUOLESTA_SUOMIFI_MESSAGES_PASSWORD', 'PUOLESTA_SMS_TOKEN', 'PUOLESTA_PRINT_TOKEN']),
          ],
          resources: resources(v.worker),
        }], { terminationGracePeriodSeconds: 60 }), // SIGTERM: the batch in hand is finished first
      },
    },
  });
  const workerPdb = new PodDisruptionBudget({
    metadata: { name: `${APP}-worker`, namespace: ns, labels: workerLabels },
    spec: { maxUnavailable: 1, selector: { matchLabels: workerLabels } },
  });

  const migrateLabels = labels('migrate');
  const migrate = new Job({
    metadata: { name: `${APP}-migrate-${v.version.replace(/[^a-z0-9-]/g, '-')}`, namespace: ns, labels: migrateLabels },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 1800,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: migrateLabels },
        spec: podSpec(v, [{
          name: 'migrate',
          image: v.image,
          args: ['packages/server/dist/cli.js', 'migrate'],
          envFrom: fromConfig,
          env: [{ name: 'NODE_OPTIONS', value: '--conditions=puolesta-compiled' }, ...secretEnv(['DATABASE_URL'])],
          resources: resources({ cpu: { request: '100m' }, memory: { request: '256Mi', limit: '512Mi' } }),
        }], { restartPolicy: 'Never' }),
      },
    },
  });

  const out: Array<ConfigMap | ServiceAccount | Deployment | Service | HorizontalPodAutoscaler | PodDisruptionBudget | Job | CronJob> = [
    serviceAccount, config, migrate, api, service, hpa, apiPdb, worker, workerPdb,
  ];
  if (v.auditCheckpointSchedule) {
    const auditLabels = labels('audit-checkpoint');
    out.push(new CronJob({
      metadata: { name: `${APP}-audit-checkpoint`, namespace: ns, labels: auditLabels },
      spec: {
        schedule: v.auditCheckpointSchedule,
        concurrencyPolicy: 'Forbid',
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              metadata: { labels: auditLabels },
              spec: podSpec(v, [{
                name: 'audit-checkpoint',
                image: v.image,
                args: ['packages/server/dist/cli.js', 'audit-checkpoint'],
                envFrom: fromConfig,
                env: [
                  { name: 'NODE_OPTIONS', value: '--conditions=puolesta-compiled' },
                  ...secretEnv(['DATABASE_URL']),
                  { name: 'PUOLESTA_AUDIT_SIGNING_KEY', valueFrom: { secretKeyRef: { name: AUDIT_SECRET, key: 'private-key.pem' } } },
                ],
                resources: resources({ cpu: { request: '100m' }, memory: { request: '256Mi', limit: '1Gi' } }),
              }], { restartPolicy: 'Never' }),
            },
          },
        },
      },
    }));
  }
  return out;
}

const common = {
  namespace: 'puolesta',
  image: 'registry.example.fi/puolesta:0.1.0',
  version: '0.1.0',
  dbSchema: 'public',
  auditCheckpointSchedule: '17 * * * *',
  logLevel: 'info' as const,
};

/** The value sets CI renders and validates: a small municipality, the national service, and the national one with traces. */
export const VALUE_SETS: Record<string, Values> = {
  'small-municipality': {
    ...common,
    publicUrl: 'https://puolesta.kerava.example.fi',
    oidc: { issuer: 'https://tunnistus.suomi.fi/oidc', clientId: 'puolesta-kerava' },
    api: { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 70, cpu: { request: '250m' }, memory: { request: '512Mi', limit: '768Mi' }, heapMb: 512, maxUnavailable: 1 },
    worker: { replicas: 1, cpu: { request: '100m' }, memory: { request: '256Mi', limit: '512Mi' } },
    otel: { enabled: false },
  },
  national: {
    ...common,
    publicUrl: 'https://puolesta.suomi.example.fi',
    oidc: { issuer: 'https://tunnistus.suomi.fi/oidc', clientId: 'puolesta', acr: 'http://ftn.ficora.fi/2017/loa3' },
    // The whole country's index: ≤ 2 GB of heap (decision 0019), with room for requests.
    api: { minReplicas: 3, maxReplicas: 20, targetCpuPercent: 65, cpu: { request: '1', limit: '2' }, memory: { request: '3Gi', limit: '3584Mi' }, heapMb: 2816, maxUnavailable: 1 },
    worker: { replicas: 2, cpu: { request: '250m' }, memory: { request: '384Mi', limit: '768Mi' } },
    otel: { enabled: false },
    logLevel: 'warn',
  },
  'national-otel': {
    ...common,
    publicUrl: 'https://puolesta.suomi.example.fi',
    oidc: { issuer: 'https://tunnistus.suomi.fi/oidc', clientId: 'puolesta', acr: 'http://ftn.ficora.fi/2017/loa3' },
    api: { minReplicas: 3, maxReplicas: 20, targetCpuPercent: 65, cpu: { request: '1', limit: '2' }, memory: { request: '3Gi', limit: '3584Mi' }, heapMb: 2816, maxUnavailable: 1 },
    worker: { replicas: 2, cpu: { request: '250m' }, memory: { request: '384Mi', limit: '768Mi' } },
    otel: { enabled: true, endpoint: 'http://otel-collector.observability:4318', sampleRatio: 0.05 },
    logLevel: 'warn',
  },
};
