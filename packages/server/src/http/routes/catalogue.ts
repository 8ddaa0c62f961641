import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Lang, Text3 } from '@puolesta/domain';
import type { Context } from '../../services/context.js';
import {
  compareCatalogueVersions, getMunicipalService, removeMunicipalService, saveBundle, saveIssue, saveMunicipalService, listCatalogueVersions, listMunicipalServices, listServiceClasses, PARTIES, RECOMMENDED, saveServiceClass,
  setMunicipalPolicy, SUBJECTS,
} from '../../services/catalogue.service.js';
import { staffActorOf } from '../access-hook.js';
import { problems } from '../schemas.js';

const LANGS: readonly Lang[] = ['fi', 'sv', 'en'];

/** The first of fi / sv / en the client accepts (by q-value), Finnish by default. */
export function negotiateLanguage(header: string | undefined): Lang {
  if (!header) return 'fi';
  const ranked = header.split(',').map((part) => {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { lang: (tag ?? '').split('-')[0] as Lang, q: q ? Number(q.slice(2)) : 1 };
  }).filter((x) => LANGS.includes(x.lang) && x.q > 0).sort((a, b) => b.q - a.q);
  return ranked[0]?.lang ?? 'fi';
}

/** Public, cacheable answers: ETag over the body, 304 when the client has it. */
function cached(req: FastifyRequest, reply: FastifyReply, lang: Lang, body: unknown) {
  const json = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
  reply.header('etag', etag).header('cache-control', 'public, max-age=60').header('vary', 'Accept-Language').header('content-language', lang);
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(json);
}

const Name3 = Type.Object({ fi: Type.String(), sv: Type.String(), en: Type.String() });
const Policy = Type.Object({
  kind: Type.String({ enum: ['no-need', 'alone', 'mandate', 'multi-signature'] }),
  alternative: Type.Optional(Type.String({ enum: ['attest', 'notify', 'confirm'] })),
}, { additionalProperties: false, examples: [{ kind: 'alone', alternative: 'confirm' }] });
const MunicipalityParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{3}$' }) });
const ServiceParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{3}$' }), serviceCode: Type.String({ minLength: 1, maxLength: 100 }) });
const withTitle = <T extends { name: Text3 }>(x: T, lang: Lang) => ({ ...x, title: x.name[lang] });

export const catalogueRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/catalogue/issues', {
    config: { access: 'catalogue.read' },
    schema: { tags: ['catalogue'], summary: 'Mandate issues of the common catalogue (names in fi/sv/en; `title` in the language asked for)' },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    return cached(req, reply, lang, { issues: ctx.catalogue.issues.map((i) => withTitle(i, lang)) });
  });

  app.get('/api/v1/catalogue/bundles', {
    config: { access: 'catalogue.read' },
    schema: { tags: ['catalogue'], summary: 'Situation-based bundles of issues' },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    return cached(req, reply, lang, { bundles: ctx.catalogue.bundles.map((b) => withTitle(b, lang)) });
  });

  app.get('/api/v1/municipalities', {
    config: { access: 'catalogue.read' },
    schema: { tags: ['catalogue'], summary: 'Municipalities on Puolesta' },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    return cached(req, reply, lang, { municipalities: [...ctx.catalogue.municipalities.values()].map((m) => withTitle(m, lang)) });
  });

  app.get('/api/v1/catalogue/services', {
    config: { access: 'catalogue.read' },
    schema: { tags: ['catalogue'], summary: 'Service classes of the common catalogue, each with its on-behalf policy' },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    const { version, services } = await listServiceClasses(ctx);
    return cached(req, reply, lang, { version, services: services.map((s) => withTitle(s, lang)) });
  });

  app.get('/api/v1/municipalities/:code/services', {
    config: { access: 'catalogue.read' },
    schema: { tags: ['catalogue'], summary: "A municipality's services with the policy in force there", params: MunicipalityParams, response: { ...problems(400, 404) } },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    const services = await listMunicipalServices(ctx, req.params.code);
    return cached(req, reply, lang, { municipality: req.params.code, services: services.map((s) => withTitle(s, lang)) });
  });

  app.get('/api/v1/municipalities/:code/services/:serviceCode', {
    config: { access: 'catalogue.read' },
    schema: {
      tags: ['catalogue'], summary: 'What acting for someone requires in this service',
      description: 'The effective policy after the municipality\'s override (`policy.kind`, `policy.alternative`), the accepted mandate `issues`, who the `parties` are, the `subject`, the `recommendedMandate`, the `catalogueVersion`, and `guidance` for citizens in fi, sv and en.',
      params: ServiceParams, response: { ...problems(400, 404) },
    },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    return cached(req, reply, lang, withTitle(await getMunicipalService(ctx, req.params.code, req.params.serviceCode), lang));
  });

  app.put('/api/v1/admin/municipalities/:code/services/:serviceCode/policy', {
    config: { access: 'municipal-service.edit' },
    schema: {
      tags: ['admin'], summary: "Set a municipality's policy for a service (stricter than the common one, never looser)",
      security: [{ session: [] }], params: ServiceParams, body: Policy,
      response: { 200: Type.Object({ code: Type.String(), municipality: Type.String(), policy: Policy, commonPolicy: Policy, overridden: Type.Boolean(), guidance: Name3 }), ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    return setMunicipalPolicy(ctx, staff, req.params.code, req.params.serviceCode, req.body);
  });

  app.get('/api/v1/catalogue/versions', {
    config: { access: 'catalogue.read' },
    schema: { tags: ['catalogue'], summary: 'Versions of the common catalogue, newest first' },
  }, async (req, reply) => cached(req, reply, negotiateLanguage(req.headers['accept-language']), { versions: await listCatalogueVersions(ctx) }));

  app.get('/api/v1/catalogue/versions/:from/compare/:to', {
    config: { access: 'catalogue.read' },
    schema: {
      tags: ['catalogue'], summary: 'What changed between two versions of the common catalogue',
      params: Type.Object({ from: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }), to: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) }), response: { ...problems(400, 404) },
    },
  }, async (req, reply) => cached(req, reply, 'en', await compareCatalogueVersions(ctx, Number(req.params.from), Number(req.params.to))));

  app.put('/api/v1/admin/catalogue/services/:serviceCode', {
    config: { access: 'catalogue-class.edit' },
    schema: {
      tags: ['admin'], summary: 'Create or change a common service class (umbrella organisation); `?dryRun=true` shows the impact only',
      description: 'Each saved change is a new catalogue version. `impact` lists, per municipality offering the service, the policy in force before and after; a municipal override that would become looser than the new common policy is dropped.',
      security: [{ session: [] }],
      params: Type.Object({ serviceCode: Type.String({ minLength: 1, maxLength: 100 }) }),
      querystring: Type.Object({ dryRun: Type.Optional(Type.String({ enum: ['true', 'false'] })) }),
      body: Type.Object({
        name: Name3,
        description: Type.Optional(Name3),
        subject: Type.String({ enum: [...SUBJECTS] }),
        issues: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }),
        parties: Type.String({ enum: [...PARTIES] }),
        policy: Policy,
        recommendedMandate: Type.Optional(Type.String({ enum: [...RECOMMENDED] })),
        note: Type.Optional(Type.String({ maxLength: 500 })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          code: Type.String(), saved: Type.Boolean(), version: Type.Integer(),
          diff: Type.Unknown({ description: 'added / removed / changed (field by field) service classes' }),
          impact: Type.Array(Type.Object({ municipality: Type.String(), before: Policy, after: Policy, changes: Type.Boolean(), overrideDropped: Type.Boolean() })),
        }),
        ...problems(400, 401, 403),
      },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    return saveServiceClass(ctx, staff, req.params.serviceCode, req.body, req.query.dryRun === 'true');
  });

  const Text3Partial = Type.Object({ fi: Type.Optional(Type.String({ maxLength: 200 })), sv: Type.Optional(Type.String({ maxLength: 200 })), en: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

  app.put('/api/v1/admin/municipalities/:code/services/:serviceCode', {
    config: { access: 'municipal-service.edit' },
    schema: {
      tags: ['admin'], summary: "Adopt a common service class into the municipality, or set its local name, links and contact details",
      security: [{ session: [] }], params: ServiceParams,
      body: Type.Object({
        localName: Type.Optional(Type.Union([Name3, Type.Null()])),
        links: Type.Optional(Type.Array(Type.Object({ url: Type.String({ minLength: 1, maxLength: 2000 }), title: Type.Optional(Text3Partial) }, { additionalProperties: false }), { maxItems: 20 })),
        contact: Type.Optional(Type.Union([Type.Object({
          phone: Type.Optional(Type.String({ maxLength: 50 })), email: Type.Optional(Type.String({ maxLength: 200 })),
          address: Type.Optional(Type.String({ maxLength: 500 })), hours: Type.Optional(Type.String({ maxLength: 500 })),
        }, { additionalProperties: false }), Type.Null()])),
      }, { additionalProperties: false }),
      response: { 200: Type.Unknown({ description: 'The municipal service as the public read API shows it' }), ...problems(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const staff = staffActorOf(req);
    return reply.send(await saveMunicipalService(ctx, staff, req.params.code, req.params.serviceCode, req.body));
  });

  app.delete('/api/v1/admin/municipalities/:code/services/:serviceCode', {
    config: { access: 'municipal-service.edit' },
    schema: { tags: ['admin'], summary: 'Stop offering a service in the municipality', security: [{ session: [] }], params: ServiceParams, response: { ...problems(401, 403, 404) } },
  }, async (req, reply) => {
    const staff = staffActorOf(req);
    await removeMunicipalService(ctx, staff, req.params.code, req.params.serviceCode);
    return reply.code(204).send();
  });

  const SaveAnswer = Type.Object({ code: Type.String(), saved: Type.Boolean(), version: Type.Integer(), diff: Type.Unknown({ description: 'issues and bundles: added / removed / changed' }) });
  const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }) });

  app.put('/api/v1/admin/catalogue/issues/:code', {
    config: { access: 'issue.edit' },
    schema: {
      tags: ['admin'], summary: 'Create or rename a mandate issue (umbrella organisation); a new catalogue version', security: [{ session: [] }],
      params: CodeParams, body: Type.Object({ name: Name3, note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: SaveAnswer, ...problems(400, 401, 403) },
    },
  }, async (req) => saveIssue(ctx, staffActorOf(req), req.params.code, req.body));

  app.put('/api/v1/admin/catalogue/bundles/:code', {
    config: { access: 'bundle.edit' },
    schema: {
      tags: ['admin'], summary: 'Create or change a situation bundle (umbrella organisation); a new catalogue version', security: [{ session: [] }],
      params: CodeParams,
      body: Type.Object({ name: Name3, issues: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: SaveAnswer, ...problems(400, 401, 403) },
    },
  }, async (req) => saveBundle(ctx, staffActorOf(req), req.params.code, req.body));
};
