import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Context } from '../../services/context.js';
import { myPeople, PERSON_RELATIONS } from '../../services/people.service.js';
import { callerOf } from '../access-hook.js';
import { DateStr, SESSION, StringEnum, problems } from '../schemas.js';

/** One person or organisation the grant and request forms offer to choose (the id goes in a body, never a URL). */
export const RelatedParty = Type.Object({
  type: StringEnum(['person', 'organization']),
  id: Type.String({ description: 'Identity code or business id: sent back in a request body, never in a URL.' }),
  name: Type.String(),
  relations: Type.Array(StringEnum(PERSON_RELATIONS), {
    description: 'How the registers or mandates relate them to me: child, parent (my guardian), co-guardian (another guardian of my child), co-owner (of a property I own), organization (I have a role in it), gave-me-mandate, has-my-mandate.',
  }),
});

export const MyPeople = Type.Object({
  today: DateStr,
  people: Type.Array(RelatedParty),
  issuesFor: Type.Object({
    person: Type.Array(Type.String()),
    organization: Type.Array(Type.String()),
  }, { description: 'The matters a mandate may be given in for a principal of each kind (an organisation has no child\'s matters), from the catalogue\'s services.' }),
}, {
  description: 'What the grant and request forms offer: whom I may choose, the matters for each kind of principal, and today\'s date in Finland (the forms check dates against it before sending).',
  examples: [{
    today: '2026-12-01',
    people: [
      { type: 'person', id: '050844-9057', name: 'Veikko Lindholm', relations: ['parent'] },
      { type: 'person', id: '090672-903B', name: 'Sanna Lindholm', relations: ['co-guardian', 'co-owner'] },
      { type: 'organization', id: '2345678-0', name: 'Keravan Lämpö Oy', relations: ['organization'] },
      { type: 'person', id: '140362-901H', name: 'Kari Mäkelä', relations: ['has-my-mandate'] },
    ],
    issuesFor: { person: ['early-childhood-education', 'building-control', 'housing'], organization: ['building-control', 'parking-and-streets'] },
  }],
});

/** The forms' choice of people (issue 10). */
export const peopleRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/me/people', { config: { access: 'people.list-own' },
    schema: {
      operationId: 'listMyPeople', tags: ['citizen'], security: SESSION,
      summary: 'People and organisations the registers and my mandates relate me to, to choose on the grant and request forms',
      response: { 200: MyPeople, ...problems(401, 403) },
    },
  }, async (req) => myPeople(ctx, await callerOf(ctx, req)));
};
