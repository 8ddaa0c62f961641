/**
 * What one command's events set going in the same unit of work: a mandate that an errand waited for
 * is decided → the errand goes on (or back to its applicant). Kept apart so that the mandates know
 * nothing of errands.
 */
import type { DomainEvent } from '@puolesta/domain';
import { continueAfterMandate } from './errands.service.js';
import type { UnitOfWork } from './unit-of-work.js';

export async function react(u: UnitOfWork, e: DomainEvent): Promise<void> {
  if (e.type === 'mandate.granted') await continueAfterMandate(u, e.mandateId, 'granted');
  else if (e.type === 'mandate.rejected') await continueAfterMandate(u, e.mandateId, 'rejected');
}
