/**
 * Type test (checked by `npm run typecheck`, not run): ids of different kinds cannot be mixed up.
 * Each `@ts-expect-error` line must fail to compile; if a brand is lost, the directive itself
 * becomes an error and the type check fails.
 */
import { asMandateId, asMunicipalityCode, asOrganizationId, asPersonId, refusalOf, type MunicipalityCode, type PersonId } from '@puolesta/domain';
import type { Db } from '../src/db/database.js';
import { childrenOf, guardiansOf, signatoriesOf } from '../src/repositories/registers.repository.js';
import { findMandate } from '../src/repositories/mandates.repository.js';

export async function mixUps(db: Db) {
  const child: PersonId = asPersonId('120411A9061');
  const company = asOrganizationId('2345678-0');
  const mandate = asMandateId('veikko-markku');

  // The right kinds compile.
  const guardians = await guardiansOf(db, child);
  await childrenOf(db, guardians[0]!);
  await signatoriesOf(db, company);
  await findMandate(db, mandate);

  // @ts-expect-error a mandate id is not a person id
  await guardiansOf(db, mandate);
  // @ts-expect-error a business id is not a person id
  await childrenOf(db, company);
  // @ts-expect-error a person's identity code is not a business id
  await signatoriesOf(db, child);
  // @ts-expect-error a person id is not a mandate id
  await findMandate(db, child);
  // @ts-expect-error an unparsed string is not a person id
  await guardiansOf(db, '120411A9061');

  const own: MunicipalityCode = asMunicipalityCode('753');
  refusalOf('authorization.check', { kind: 'api-client', id: 'demo-753', municipality: own }, { municipality: own });
  // @ts-expect-error an unchecked string is not a municipality code
  refusalOf('authorization.check', { kind: 'api-client', id: 'demo-753', municipality: own }, { municipality: '091' });
}
