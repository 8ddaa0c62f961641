/**
 * The Kubernetes manifests (issue 12 item 4, decision 0020): every value set renders, each resource
 * validates against the Kubernetes API's JSON schema (kubernetes-models), the committed YAML under
 * deploy/k8s/rendered/ is what `npm run k8s:render` writes now, and the pieces fit together
 * (probes, autoscaler, disruption budgets, secrets only by reference, non-root).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { manifests, OTEL_PRELOAD, SECRET_KEYS, VALUE_SETS } from '../deploy/k8s/manifests.js';
import { render, RENDERED } from '../deploy/k8s/render.js';

/** Each kind this chart uses, by apiVersion/kind, with the class that knows its schema. */
const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap, 'v1/Service': Service, 'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment, 'batch/v1/Job': Job, 'batch/v1/CronJob': CronJob,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler, 'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

type Obj = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string> };

function validateYaml(text: string): Obj {
  const obj = parse(text) as Obj;
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  new Model(obj as never).validate();
  return obj;
}

function podSpecOf(o: Obj) {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
}

describe.each(Object.keys(VALUE_SETS))('value set %s', (set) => {
  const files = render(VALUE_SETS[set]!);
  const dir = join(RENDERED, set);

  it('the committed YAML is what npm run k8s:render writes now', () => {
    expect(existsSync(dir), `run npm run k8s:render and commit ${dir}`).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([...files.keys()].sort());
    for (const [name, text] of files) expect(readFileSync(join(dir, name), 'utf8'), `${name}: run npm run k8s:render`).toBe(text);
  });

  it('every rendered resource validates against its Kubernetes API schema', () => {
    const objs = [...files.values()].map(validateYaml);
    expect(objs.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'CronJob', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'Job', 'PodDisruptionBudget', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
  });

  it('fits together: probes, autoscaler, budgets, service, migration Job, non-root, secrets by reference only', () => {
    const objs = [...files.values()].map((t) => parse(t) as Obj);
    const byName = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name)!;
    const api = byName('Deployment', 'puolesta-api');
    const worker = byName('Deployment', 'puolesta-worker');
    const apiPod = api.spec.template;
    const c = apiPod.spec.containers[0];
    expect(c.args).toEqual(['--min-semi-space-size=16', 'packages/server/dist/main.js']);
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
    expect(worker.spec.template.spec.containers[0].args).toEqual(['packages/server/dist/worker-main.js']);

    const hpa = byName('HorizontalPodAutoscaler', 'puolesta-api');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'puolesta-api' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2); // a budget of one unavailable leaves one answering
    expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
    expect(byName('PodDisruptionBudget', 'puolesta-api').spec.selector.matchLabels).toEqual(apiPod.metadata.labels);
    expect(byName('PodDisruptionBudget', 'puolesta-worker').spec.selector.matchLabels).toEqual(worker.spec.template.metadata.labels);
    expect(byName('Service', 'puolesta-api').spec.selector).toEqual(apiPod.metadata.labels);
    expect(api.spec.selector.matchLabels).toEqual(apiPod.metadata.labels);

    const job = objs.find((o) => o.kind === 'Job')!;
    expect(job.spec.template.spec.containers[0].args).toEqual(['packages/server/dist/cli.js', 'migrate']);
    const config = byName('ConfigMap', 'puolesta-config');
    // The processes do not migrate (the Job does) and the API does not deliver the outbox (the worker does).
    expect(config.data).toMatchObject({ PUOLESTA_MODE: 'production', PUOLESTA_MIGRATE: 'off', PUOLESTA_WORKER: 'off', HOST: '0.0.0.0' });
    expect(config.data!.PUOLESTA_OTEL_ENABLED === 'true').toBe(set === 'national-otel');
    // The API loads the OpenTelemetry preload exactly when traces are on (decision 0018), and the preload is what the build makes.
    const nodeOptions = c.env.find((e: any) => e.name === 'NODE_OPTIONS').value as string;
    expect(nodeOptions.includes(`--import ${OTEL_PRELOAD}`)).toBe(set === 'national-otel');
    expect(existsSync(join(import.meta.dirname, '../../..', OTEL_PRELOAD.replace('/dist/', '/src/').replace(/\.js$/, '.ts')))).toBe(true);

    const secretNames = new Set<string>([...Object.keys(SECRET_KEYS), 'PUOLESTA_AUDIT_SIGNING_KEY']);
    for (const k of Object.keys(config.data!)) expect(secretNames.has(k), `${k} is a secret: not in the ConfigMap`).toBe(false);
    for (const o of objs.filter((x) => ['Deployment', 'Job', 'CronJob'].includes(x.kind))) {
      const pod = podSpecOf(o);
      expect(pod.securityContext.runAsNonRoot, o.metadata.name).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const ct of pod.containers) {
        expect(ct.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(ct.resources.limits.memory, `${o.metadata.name} has a memory limit`).toBeTruthy();
        for (const e of ct.env ?? []) {
          if (secretNames.has(e.name)) expect(e.value, `${e.name} in ${o.metadata.name} comes from a Secret`).toBeUndefined();
          if (secretNames.has(e.name)) expect(e.valueFrom.secretKeyRef.name).toBeTruthy();
        }
      }
    }
    // Only the checkpoint CronJob sees the audit signing key.
    const withKey = objs.filter((o) => ['Deployment', 'Job', 'CronJob'].includes(o.kind) && podSpecOf(o).containers.some((ct: any) => (ct.env ?? []).some((e: any) => e.name === 'PUOLESTA_AUDIT_SIGNING_KEY')));
    expect(withKey.map((o) => o.kind)).toEqual(['CronJob']);
  });
});

describe('the schema check', () => {
  it('refuses a resource the Kubernetes API would refuse', () => {
    const [, , , api] = manifests(VALUE_SETS['small-municipality']!);
    const bad = JSON.parse(JSON.stringify(api!.toJSON()));
    bad.spec.template.spec.containers[0].ports[0].containerPort = '3000';
    expect(() => new Deployment(bad).validate()).toThrow(/containerPort/);
    const noImage = JSON.parse(JSON.stringify(api!.toJSON()));
    delete noImage.spec.template.spec.containers[0].name;
    expect(() => new Deployment(noImage).validate()).toThrow(/name/);
  });
});
