import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Context } from '../../services/context.js';
import { coverage, exportPtv, importPtv, linkPtv, pendingPtv } from '../../services/ptv.service.js';
import { staffActorOf } from '../access-hook.js';
import { MunicipalityParams, Name3, Policy as PolicySchema, SESSION, problems } from '../schemas.js';


const ImportBody = Type.Object({
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Base URL of a PTV Open API v11 (e.g. https://api.palvelutietovaranto.suomi.fi/api/v11); its pages are fetched one by one' })),
  pageNumber: Type.Optional(Type.Integer({ minimum: 0 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 0 })),
  pageCount: Type.Optional(Type.Integer({ minimum: 0 })),
  itemList: Type.Optional(Type.Array(Type.Unknown({ description: 'A PTV v11 service' }), { maxItems: 5000 })),
}, {
  description: 'Either `{ source }` or a PTV list page `{ pageNumber, pageSize, pageCount, itemList }`.',
  examples: [{ pageNumber: 1, pageSize: 100, pageCount: 1, itemList: [{ id: '0b7c3a52-1c1e-4a3e-9f43-2b2a0a3e9d11', type: 'Service', serviceNames: [{ type: 'Name', language: 'fi', value: 'Varhaiskasvatushakemus' }] }] }],
});

const ImportResult = Type.Object({
  imported: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(),
  suggestions: Type.Array(Type.Object({ ptvId: Type.String(), service: Type.String(), score: Type.Number() })),
  unclassified: Type.Array(Type.Object({ ptvId: Type.String(), name: Type.String() })),
}, { examples: [{ imported: 1, updated: 0, unchanged: 0, suggestions: [{ ptvId: '0b7c3a52-1c1e-4a3e-9f43-2b2a0a3e9d11', service: 'ece-application', score: 0.8 }], unclassified: [] }] });

const Pending = Type.Object({
  suggestions: Type.Array(Type.Object({ ptvId: Type.String(), name: Type.String(), service: Type.String(), score: Type.Number() })),
  unclassified: Type.Array(Type.Object({ ptvId: Type.String(), name: Type.String() })),
}, { examples: [{ suggestions: [{ ptvId: '0b7c3a52-1c1e-4a3e-9f43-2b2a0a3e9d11', name: 'Varhaiskasvatushakemus', service: 'ece-application', score: 0.8 }], unclassified: [{ ptvId: '1c8d4b63-2d2f-4b4f-8a54-3c3b1b4f0e22', name: 'Venepaikat' }] }] });

const LinkBody = Type.Object({
  ptvId: Type.String({ minLength: 36, maxLength: 36, description: 'Id of an imported PTV service' }),
  service: Type.String({ minLength: 1, maxLength: 100, description: 'Code of a common service class' }),
}, { additionalProperties: false, examples: [{ ptvId: '0b7c3a52-1c1e-4a3e-9f43-2b2a0a3e9d11', service: 'ece-application' }] });

const Coverage = Type.Object({
  municipality: Type.String(),
  services: Type.Integer({ description: 'Municipal services plus imported PTV services not linked to one' }),
  classified: Type.Integer({ description: 'Services with an on-behalf requirement' }),
  unclassified: Type.Array(Type.Object({
    ptvId: Type.Optional(Type.String()), name: Type.String(),
    suggestion: Type.Optional(Type.Object({ service: Type.String(), score: Type.Number() })),
  })),
  differences: Type.Array(Type.Object({ service: Type.String(), common: PolicySchema, local: PolicySchema })),
}, { examples: [{ municipality: '245', services: 12, classified: 11, unclassified: [{ ptvId: '0b7c3a52-1c1e-4a3e-9f43-2b2a0a3e9d11', name: 'Venepaikat', suggestion: { service: 'boat-berth', score: 0.6 } }], differences: [] }] });

const Export = Type.Object({
  municipality: Type.String(), catalogueVersion: Type.Integer(),
  items: Type.Array(Type.Object({
    ptvId: Type.String(), service: Type.String(),
    requirement: Type.Object({
      policy: PolicySchema, issues: Type.Array(Type.String()), parties: Type.String(), subject: Type.String(),
      recommendedMandate: Type.Optional(Type.String()), guidance: Name3,
    }),
  })),
}, { examples: [{ municipality: '245', catalogueVersion: 3, items: [] }] });

/** PTV import, matching, coverage and export: for a municipality's admin or the umbrella admin. */
export const ptvRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  const security = SESSION;

  app.post('/api/v1/admin/municipalities/:code/ptv-imports', {
    config: { access: 'ptv.import' },
    bodyLimit: 10 * 1024 * 1024,
    schema: {
      operationId: 'importPtvServices', tags: ['admin'], summary: 'Import services from the national Service Catalogue (PTV v11), all or nothing',
      description: 'A bad record refuses the whole import (400; `field` names the record and field, e.g. `itemList.3.serviceNames`). Re-importing the same data changes nothing (`unchanged`). Each service gets a suggested common class with a score, or is listed as unclassified.',
      security, params: MunicipalityParams, body: ImportBody,
      response: { 200: ImportResult, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    return importPtv(ctx, staff, req.params.code, req.body as Record<string, unknown>);
  });

  app.get('/api/v1/admin/municipalities/:code/ptv-pending', {
    config: { access: 'ptv.import' },
    schema: {
      operationId: 'listPendingPtvServices', tags: ['admin'], summary: 'Imported PTV services not confirmed yet: those with a suggested class, and the rest',
      description: 'What the imports left to confirm, kept on the server (a reload of the page loses nothing). A confirmed service leaves the list.',
      security, params: MunicipalityParams,
      response: { 200: Pending, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    return pendingPtv(ctx, staff, req.params.code);
  });

  app.post('/api/v1/admin/municipalities/:code/ptv-links', {
    config: { access: 'ptv.import' },
    schema: {
      operationId: 'linkPtvService', tags: ['admin'], summary: 'Confirm that an imported PTV service is a municipal service of a common class',
      security, params: MunicipalityParams, body: LinkBody,
      response: {
        200: Type.Object({ municipality: Type.String(), ptvId: Type.String(), service: Type.String(), created: Type.Boolean() }, { examples: [{ municipality: '245', ptvId: '0b7c3a52-1c1e-4a3e-9f43-2b2a0a3e9d11', service: 'ece-application', created: true }] }),
        ...problems(400, 401, 403, 404),
      },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    return linkPtv(ctx, staff, req.params.code, req.body);
  });

  app.get('/api/v1/admin/municipalities/:code/coverage', {
    config: { access: 'coverage.read' },
    schema: {
      operationId: 'getPtvCoverage', tags: ['admin'], summary: "Coverage of a municipality's catalogue: unclassified PTV services and differences from the common catalogue",
      security, params: MunicipalityParams, response: { 200: Coverage, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    return coverage(ctx, staff, req.params.code);
  });

  app.get('/api/v1/admin/municipalities/:code/ptv-export', {
    config: { access: 'coverage.read' },
    schema: {
      operationId: 'exportPtvRequirements', tags: ['admin'], summary: 'On-behalf requirements of the PTV-linked services, to be stored alongside each PTV record',
      security, params: MunicipalityParams, response: { 200: Export, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    return exportPtv(ctx, staff, req.params.code);
  });
};
