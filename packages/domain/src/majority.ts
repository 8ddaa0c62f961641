/**
 * Majority: a person is a minor until the day before their 18th birthday (inclusive). A guardian's
 * basis ends then, and so does any mandate a guardian gave in the child's matters. Written once:
 * the check (`decide`), the access rules and the mandate terms all use these.
 */
import { birthDateOf } from './identity.js';
import { addDays, addYears, type LocalDate } from './local-date.js';

export const ADULT_AGE = 18;
/** The 18th birthday: the first day as an adult. */
export const majorityDay = (birthDate: LocalDate): LocalDate => addYears(birthDate, ADULT_AGE);
export const isMinor = (birthDate: LocalDate, today: LocalDate): boolean => today < majorityDay(birthDate);
/** The last day a guardian's basis (and any mandate they granted in the child's matters) holds. */
export const lastDayAsMinor = (birthDate: LocalDate): LocalDate => addDays(majorityDay(birthDate), -1);
export const personIsMinor = (id: string, today: LocalDate): boolean => isMinor(birthDateOf(id), today);
