/**
 * The Dockerfile, checked structurally (no Docker engine runs here; decision 0020): parsed with
 * dockerfile-ast (the parser of the Docker language server), it is multi-stage, the runtime stage
 * installs production dependencies only, runs as a non-root user the compiled entry points, holds
 * no secret, and every file it copies from the context exists and is not ignored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DockerfileParser, type Copy, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

/** The instructions of each stage, by the stage's name. */
const stages = new Map<string, Instruction[]>();
for (let i = 0; i < froms.length; i++) {
  const start = froms[i]!.getRange().start.line;
  const end = froms[i + 1]?.getRange().start.line ?? Infinity;
  stages.set(froms[i]!.getBuildStage() ?? `#${i}`, instructions.filter((x) => x.getRange().start.line >= start && x.getRange().start.line < end));
}
const runtime = [...stages.values()].at(-1)!;
const of = (list: Instruction[], keyword: string) => list.filter((x) => x.getKeyword() === keyword);
const args = (x: Instruction) => x.getArguments().map((a) => a.getValue());
/** The stage a COPY takes from (`--from=`), or null for the build context. */
const copyFrom = (x: Instruction) => (x as Copy).getFromFlag()?.getValue() ?? null;

describe('the Dockerfile', () => {
  it('is multi-stage: a build stage and a runtime stage that copies only the compiled output from it', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect([...stages.keys()]).toEqual(['build', 'runtime']);
    expect(of(stages.get('build')!, 'RUN').map((r) => r.getArgumentsContent())).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b/), 'npm run build']));
    const fromBuild = of(runtime, 'COPY').filter((c) => copyFrom(c) === 'build');
    expect(fromBuild.map((c) => args(c).at(-2))).toEqual(['/app/packages/domain/dist/', '/app/packages/server/dist/', '/app/packages/web/dist/']);
  });

  it('installs production dependencies only in the runtime stage', () => {
    const installs = of(runtime, 'RUN').map((r) => r.getArgumentsContent() ?? '').filter((c) => /\bnpm (ci|install)\b/.test(c));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/--omit=dev/);
  });

  it('runs as a non-root user', () => {
    const users = of(runtime, 'USER');
    expect(users).toHaveLength(1);
    const user = args(users[0]!)[0]!.split(':')[0]!;
    expect(['root', '0', '']).not.toContain(user);
    // Nothing runs after USER as root again.
    expect(instructions.indexOf(users[0]!)).toBeGreaterThan(instructions.indexOf(of(runtime, 'RUN').at(-1)!));
  });

  it('starts the compiled API by default, with the export condition that picks dist/', () => {
    const entry = dockerfile.getENTRYPOINTs().at(-1)!;
    const cmd = dockerfile.getCMDs().at(-1)!;
    expect(JSON.parse(entry.getArgumentsContent()!)).toEqual(['node']);
    expect(JSON.parse(cmd.getArgumentsContent()!)).toEqual(['--min-semi-space-size=16', 'packages/server/dist/main.js']);
    const env = new Map(of(runtime, 'ENV').flatMap((e) => (e as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties().map((p) => [p.getName(), p.getValue()] as const)));
    expect(env.get('NODE_OPTIONS')).toBe('--conditions=puolesta-compiled');
    expect(env.get('PUOLESTA_MODE')).toBe('production');
    expect(env.get('HOST')).toBe('0.0.0.0');
    expect(dockerfile.getHEALTHCHECKs()).toHaveLength(1);
  });

  it('holds no secret: no ENV or ARG named like one, no key or .env copied', () => {
    for (const x of [...dockerfile.getENVs(), ...dockerfile.getARGs()]) {
      for (const p of (x as unknown as { getProperties(): { getName(): string }[] }).getProperties()) {
        expect(p.getName()).not.toMatch(/SECRET|PASSWORD|TOKEN|KEY|DATABASE_URL|API_CLIENTS/i);
      }
    }
    for (const c of of(instructions, 'COPY')) for (const a of args(c)) expect(a).not.toMatch(/(^|\/)\.env|\.pem$|\.key$/);
    for (const p of ['.env', '.env.*', '*.pem', '*.key', '.git', '**/node_modules', '**/dist', 'data']) expect(ignore).toContain(p);
  });

  it('copies from the context only files that exist and .dockerignore lets through', () => {
    const sources = of(instructions, 'COPY').filter((c) => copyFrom(c) === null).flatMap((c) => args(c).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) {
      expect(existsSync(join(ROOT, s)), s).toBe(true);
      const top = s.replace(/\/$/, '');
      expect(ignore.filter((p) => p === top || top.startsWith(`${p}/`)), `${s} is ignored`).toEqual([]);
    }
  });
});
