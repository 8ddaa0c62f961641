/**
 * An errand's printable PDF summary, for whoever may see the errand once it has been sent, in the
 * language asked for, or the caller's own (their contact settings; staff and anyone else: Finnish).
 */
import type { StaffActor } from '@puolesta/domain';
import { renderErrandSummaryPdf, SUMMARY_LANGUAGES } from '../documents/errand-summary.js';
import type { Language } from '../notifications/types.js';
import { contactsOf } from '../repositories/notifications.repository.js';
import type { Caller } from './access.js';
import type { Context } from './context.js';
import { errandForSummary } from './errands.service.js';

const isLanguage = (s: string | undefined): s is Language => (SUMMARY_LANGUAGES as readonly string[]).includes(s ?? '');

async function languageOf(ctx: Context, who: Caller | StaffActor): Promise<Language> {
  if (!('actor' in who)) return 'fi';
  const language = (await contactsOf(ctx.db, [who.actor.id])).get(who.actor.id)?.language;
  return isLanguage(language) ? language : 'fi';
}

export async function errandSummaryPdf(ctx: Context, who: Caller | StaffActor, id: string, lang?: Language): Promise<{ ref: string; pdf: Buffer }> {
  const view = await errandForSummary(ctx, who, id);
  const language = lang ?? (await languageOf(ctx, who));
  const municipalityName = ctx.catalogue.municipalities.get(view.municipality)?.name[language] ?? view.municipality;
  return { ref: view.ref, pdf: await renderErrandSummaryPdf(view, { language, municipalityName, at: ctx.now() }) };
}
