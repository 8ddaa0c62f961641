/**
 * `npm run k8s:render`: writes every value set's manifests to deploy/k8s/rendered/<set>/, one YAML
 * file per resource, numbered in the order to apply them (the migration Job before the Deployments).
 * The rendered files are committed; a test checks they are what this renders and that each is valid.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { manifests, VALUE_SETS, type Values } from './manifests.js';

export const RENDERED = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../deploy/k8s/rendered');

/** File name → YAML text of one value set (every resource validated against its Kubernetes schema first). */
export function render(values: Values): Map<string, string> {
  const files = new Map<string, string>();
  manifests(values).forEach((m, i) => {
    m.validate();
    const name = `${String(i + 1).padStart(2, '0')}-${m.kind.toLowerCase()}-${m.metadata!.name}.yaml`;
    files.set(name, `# Rendered by npm run k8s:render from packages/server/deploy/k8s/manifests.ts: do not edit.\n${stringify(m.toJSON(), { lineWidth: 0 })}`);
  });
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [set, values] of Object.entries(VALUE_SETS)) {
    const dir = join(RENDERED, set);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of render(values)) writeFileSync(join(dir, name), text);
    console.log(`${set}: ${readdirSync(dir).length} resources in ${dir}`);
  }
}
