import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import type { Lang, Text3 } from '@puolesta/domain';
import type { Context } from '../../services/context.js';
import {
  compareCatalogueVersions, getMunicipalService, removeMunicipalService, saveBundle, saveIssue, saveMunicipalService, listCatalogueVersions, listMunicipalServices, listServiceClasses, PARTIES, RECOMMENDED, saveServiceClass,
  setMunicipalPolicy, SUBJECTS,
} from '../../services/catalogue.service.js';
import { staffActorOf } from '../access-hook.js';
import { formOf } from '../../forms/validate.js';
import {
  Bundle, CatalogueVersion, Issue, ListDiff, MunicipalService, MunicipalServiceDetail, MunicipalServiceSaved, MunicipalityParams, MunicipalityView, Name3, Name3Partial, Policy, PUBLIC, SESSION,
  NoContent, ServiceClass, ServiceContact, ServiceParams, problems,
} from '../schemas.js';

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

/** A public read: the answer, or 304 when the client's ETag still holds. */
const readable = <T extends TSchema>(schema: T) => ({ 200: schema, 304: NoContent('Not modified (If-None-Match matched the ETag)') });
const SaveAnswer = Type.Object({ code: Type.String(), saved: Type.Boolean(), version: Type.Integer(), diff: Type.Object({ issues: ListDiff, bundles: ListDiff }) }, {
  examples: [{ code: 'boating', saved: true, version: 7, diff: { issues: { added: ['boating'], removed: [], changed: [] }, bundles: { added: [], removed: [], changed: [] } } }],
});
const withTitle = <T extends { name: Text3 }>(x: T, lang: Lang) => ({ ...x, title: x.name[lang] });

export const catalogueRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/catalogue/issues', {
    config: { access: 'catalogue.read' },
    schema: {
      operationId: 'listIssues', tags: ['catalogue'], summary: 'Mandate issues of the common catalogue (names in fi/sv/en; `title` in the language asked for)', security: PUBLIC,
      response: readable(Type.Object({ issues: Type.Array(Issue) }, { examples: [{ issues: [{ code: 'housing', name: { fi: 'Asuminen', sv: 'Boende', en: 'Housing' }, title: 'Asuminen' }] }] })),
    },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    return cached(req, reply, lang, { issues: ctx.catalogue.issues.map((i) => withTitle(i, lang)) });
  });

  app.get('/api/v1/catalogue/bundles', {
    config: { access: 'catalogue.read' },
    schema: {
      operationId: 'listBundles', tags: ['catalogue'], summary: 'Situation-based bundles of issues', security: PUBLIC,
      response: readable(Type.Object({ bundles: Type.Array(Bundle) }, { examples: [{ bundles: [{ code: 'owning-a-property', name: { fi: 'Kiinteistön omistaminen', sv: 'Att äga en fastighet', en: 'Owning a property' }, issues: ['housing'], title: 'Kiinteistön omistaminen' }] }] })),
    },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    return cached(req, reply, lang, { bundles: ctx.catalogue.bundles.map((b) => withTitle(b, lang)) });
  });

  app.get('/api/v1/municipalities', {
    config: { access: 'catalogue.read' },
    schema: {
      operationId: 'listMunicipalities', tags: ['catalogue'], summary: 'Municipalities on Puolesta', security: PUBLIC,
      response: readable(Type.Object({ municipalities: Type.Array(MunicipalityView) }, { examples: [{ municipalities: [{ code: '245', name: { fi: 'Kerava', sv: 'Kervo', en: 'Kerava' }, languages: ['fi'], title: 'Kerava' }] }] })),
    },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    return cached(req, reply, lang, { municipalities: [...ctx.catalogue.municipalities.values()].map((m) => withTitle(m, lang)) });
  });

  app.get('/api/v1/catalogue/services', {
    config: { access: 'catalogue.read' },
    schema: {
      operationId: 'listServiceClasses', tags: ['catalogue'], summary: 'Service classes of the common catalogue, each with its on-behalf policy', security: PUBLIC,
      response: readable(Type.Object({ version: Type.Integer(), services: Type.Array(ServiceClass) }, { examples: [{ version: 1, services: [] }] })),
    },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    const { version, services } = await listServiceClasses(ctx);
    return cached(req, reply, lang, { version, services: services.map((s) => withTitle(s, lang)) });
  });

  app.get('/api/v1/municipalities/:code/services', {
    config: { access: 'catalogue.read' },
    schema: {
      operationId: 'listMunicipalServices', tags: ['catalogue'], summary: "A municipality's services with the policy in force there", security: PUBLIC, params: MunicipalityParams,
      response: { ...readable(Type.Object({ municipality: Type.String(), services: Type.Array(MunicipalService) }, { examples: [{ municipality: '245', services: [] }] })), ...problems(400, 404) },
    },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    const services = await listMunicipalServices(ctx, req.params.code);
    return cached(req, reply, lang, { municipality: req.params.code, services: services.map((s) => withTitle(s, lang)) });
  });

  app.get('/api/v1/municipalities/:code/services/:serviceCode', {
    config: { access: 'catalogue.read' },
    schema: {
      operationId: 'getMunicipalService', tags: ['catalogue'], summary: 'What acting for someone requires in this service', security: PUBLIC,
      description: 'The effective policy after the municipality\'s override (`policy.kind`, `policy.alternative`), the accepted mandate `issues`, who the `parties` are, the `subject`, the `recommendedMandate`, the `catalogueVersion`, `guidance` for citizens in fi, sv and en, and the errand `form` (JSON Schema with a filled-in example).',
      params: ServiceParams, response: { ...readable(MunicipalServiceDetail), ...problems(400, 404) },
    },
  }, async (req, reply) => {
    const lang = negotiateLanguage(req.headers['accept-language']);
    const service = await getMunicipalService(ctx, req.params.code, req.params.serviceCode);
    const form = formOf(service.commonClass);
    return cached(req, reply, lang, { ...withTitle(service, lang), ...(form ? { form } : {}) });
  });

  app.put('/api/v1/admin/municipalities/:code/services/:serviceCode/policy', {
    config: { access: 'municipal-service.edit' },
    schema: {
      operationId: 'setMunicipalPolicy', tags: ['admin'], summary: "Set a municipality's policy for a service (stricter than the common one, never looser)",
      security: SESSION, params: ServiceParams, body: Policy,
      response: {
        200: Type.Object({ code: Type.String(), municipality: Type.String(), policy: Policy, commonPolicy: Policy, overridden: Type.Boolean(), guidance: Name3 }, {
          examples: [{ code: 'ece-application', municipality: '245', policy: { kind: 'mandate' }, commonPolicy: { kind: 'alone', alternative: 'notify' }, overridden: true, guidance: { fi: '…', sv: '…', en: '…' } }],
        }),
        ...problems(400, 401, 403, 404),
      },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    return setMunicipalPolicy(ctx, staff, req.params.code, req.params.serviceCode, req.body);
  });

  app.get('/api/v1/catalogue/versions', {
    config: { access: 'catalogue.read' },
    schema: {
      operationId: 'listCatalogueVersions', tags: ['catalogue'], summary: 'Versions of the common catalogue, newest first', security: PUBLIC,
      response: readable(Type.Object({ versions: Type.Array(CatalogueVersion) }, { examples: [{ versions: [{ version: 2, createdAt: '2026-12-01T08:00:00.000Z', createdBy: 'umbrella-admin', note: 'Boating added' }] }] })),
    },
  }, async (req, reply) => cached(req, reply, negotiateLanguage(req.headers['accept-language']), { versions: await listCatalogueVersions(ctx) }));

  app.get('/api/v1/catalogue/versions/:from/compare/:to', {
    config: { access: 'catalogue.read' },
    schema: {
      operationId: 'compareCatalogueVersions', tags: ['catalogue'], summary: 'What changed between two versions of the common catalogue', security: PUBLIC,
      params: Type.Object({ from: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }), to: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) }),
      response: {
        ...readable(Type.Object({ from: Type.Integer(), to: Type.Integer(), services: ListDiff, issues: ListDiff, bundles: ListDiff }, {
          examples: [{ from: 1, to: 2, services: { added: [], removed: [], changed: [] }, issues: { added: ['boating'], removed: [], changed: [] }, bundles: { added: [], removed: [], changed: [] } }],
        })),
        ...problems(400, 404),
      },
    },
  }, async (req, reply) => cached(req, reply, 'en', await compareCatalogueVersions(ctx, Number(req.params.from), Number(req.params.to))));

  app.put('/api/v1/admin/catalogue/services/:serviceCode', {
    config: { access: 'catalogue-class.edit' },
    schema: {
      operationId: 'saveServiceClass', tags: ['admin'], summary: 'Create or change a common service class (umbrella organisation); `?dryRun=true` shows the impact only',
      description: 'Each saved change is a new catalogue version. `impact` lists, per municipality offering the service, the policy in force before and after; a municipal override that would become looser than the new common policy is dropped.',
      security: SESSION,
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
          diff: ListDiff,
          impact: Type.Array(Type.Object({ municipality: Type.String(), before: Policy, after: Policy, changes: Type.Boolean(), overrideDropped: Type.Boolean() })),
        }, {
          examples: [{ code: 'boat-berth', saved: true, version: 8, diff: { added: ['boat-berth'], removed: [], changed: [] }, impact: [] }],
        }),
        ...problems(400, 401, 403),
      },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    return saveServiceClass(ctx, staff, req.params.serviceCode, req.body, req.query.dryRun === 'true');
  });


  app.put('/api/v1/admin/municipalities/:code/services/:serviceCode', {
    config: { access: 'municipal-service.edit' },
    schema: {
      operationId: 'saveMunicipalService', tags: ['admin'], summary: "Adopt a common service class into the municipality, or set its local name, links and contact details",
      security: SESSION, params: ServiceParams,
      body: Type.Object({
        localName: Type.Optional(Type.Union([Name3, Type.Null()])),
        links: Type.Optional(Type.Array(Type.Object({ url: Type.String({ minLength: 1, maxLength: 2000 }), title: Type.Optional(Name3Partial) }, { additionalProperties: false }), { maxItems: 20 })),
        contact: Type.Optional(Type.Union([ServiceContact, Type.Null()])),
      }, { additionalProperties: false }),
      response: { 200: MunicipalServiceSaved, ...problems(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const staff = staffActorOf(req);
    return reply.send(await saveMunicipalService(ctx, staff, req.params.code, req.params.serviceCode, req.body));
  });

  app.delete('/api/v1/admin/municipalities/:code/services/:serviceCode', {
    config: { access: 'municipal-service.edit' },
    schema: {
      operationId: 'removeMunicipalService', tags: ['admin'], summary: 'Stop offering a service in the municipality', security: SESSION, params: ServiceParams,
      response: { 204: NoContent('No longer offered'), ...problems(401, 403, 404) },
    },
  }, async (req, reply) => {
    const staff = staffActorOf(req);
    await removeMunicipalService(ctx, staff, req.params.code, req.params.serviceCode);
    return reply.code(204).send();
  });

  const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }) });

  app.put('/api/v1/admin/catalogue/issues/:code', {
    config: { access: 'issue.edit' },
    schema: {
      operationId: 'saveIssue', tags: ['admin'], summary: 'Create or rename a mandate issue (umbrella organisation); a new catalogue version', security: SESSION,
      params: CodeParams, body: Type.Object({ name: Name3, note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: SaveAnswer, ...problems(400, 401, 403) },
    },
  }, async (req) => saveIssue(ctx, staffActorOf(req), req.params.code, req.body));

  app.put('/api/v1/admin/catalogue/bundles/:code', {
    config: { access: 'bundle.edit' },
    schema: {
      operationId: 'saveBundle', tags: ['admin'], summary: 'Create or change a situation bundle (umbrella organisation); a new catalogue version', security: SESSION,
      params: CodeParams,
      body: Type.Object({ name: Name3, issues: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: SaveAnswer, ...problems(400, 401, 403) },
    },
  }, async (req) => saveBundle(ctx, staffActorOf(req), req.params.code, req.body));
};
