import { IDENTITY_CODE_IN_TEXT } from '@puolesta/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_RECIPIENT_ROLES, escapeHtml, formatDate, renderMessage } from '../src/notifications/templates.js';
import { LANGUAGES, type Language, type NotificationEvent, type RecipientRole, type TemplateInput } from '../src/notifications/types.js';

const EVENTS: NotificationEvent[] = [
  'mandate.requested',
  'mandate.awaiting-approval',
  'mandate.granted',
  'mandate.narrowed',
  'mandate.rejected',
  'mandate.revoked',
  'mandate.renounced',
  'mandate.expiring',
  'mandate.expired',
  'mandate.used',
];
const ROLES: RecipientRole[] = ['principal', 'agent', 'principal-guardian', 'agent-guardian', 'principal-signatory', 'agent-signatory'];

/** Finnish identity code (henkilötunnus) and business id (Y-tunnus). */
// An identity code standing on its own, as the masking sees it (a random UUID in a link can hold the bare shape).
const IDENTITY_CODE = new RegExp(IDENTITY_CODE_IN_TEXT.source, 'iu');
const BUSINESS_ID = /\b\d{7}-\d\b/;
const ENGLISH_WORDS = ['mandate', 'agent', 'principal', 'granted', 'revoked', 'the'];

const ISSUES: Record<Language, string[]> = {
  fi: ['Varhaiskasvatus', 'Rakennusvalvonta'],
  sv: ['Småbarnspedagogik', 'Byggnadstillsyn'],
  en: ['Early childhood education', 'Building control'],
};
const LEFT_OUT: Record<Language, string> = { fi: 'Jätehuolto', sv: 'Avfallshantering', en: 'Waste management' };

function input(event: NotificationEvent, role: RecipientRole, language: Language, over: Partial<TemplateInput> = {}): TemplateInput {
  const orgPrincipal = role === 'principal-signatory';
  const orgAgent = role === 'agent-signatory';
  return {
    event,
    language,
    role,
    recipientName: 'Aino Virtanen',
    principal: orgPrincipal ? { name: 'Salosen Rakennus Oy', kind: 'organization' } : { name: 'Veera Salonen', kind: 'person' },
    agent: orgAgent ? { name: 'Kiinteistöhuolto Laine Oy', kind: 'organization' } : { name: 'Kari Mäkelä', kind: 'person' },
    ...(event === 'mandate.awaiting-approval' ? { actorName: 'Matti Salonen' } : {}),
    issues: ISSUES[language],
    validFrom: '2026-12-01',
    validUntil: '2027-06-30',
    oneOff: event === 'mandate.used',
    property: 'Kotikatu 1, Kerava',
    ...(event === 'mandate.narrowed'
      ? { leftOut: { issues: [LEFT_OUT[language]], validUntil: { asked: '2027-12-31', granted: '2027-06-30' } } }
      : {}),
    ...(event === 'mandate.used' ? { use: { errandRef: 'ERR-KX-42', municipalityName: 'Kerava', consumed: true } } : {}),
    link: `https://puolesta.example.fi/${language}/valtuudet/3f6c2b9e`,
    ...over,
  };
}

function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}-]+/u);
}

describe('message templates', () => {
  for (const event of EVENTS) {
    for (const language of LANGUAGES) {
      it(`${event} in ${language}, for every recipient role`, () => {
        expect(EVENT_RECIPIENT_ROLES[event].length).toBeGreaterThan(0);
        for (const role of ROLES) {
          const i = input(event, role, language);
          const m = renderMessage(i);
          for (const part of [m.subject, m.text, m.html, m.sms]) expect(part.trim()).not.toBe('');
          expect(m.sms.length, m.sms).toBeLessThanOrEqual(160);
          expect(m.sms).toContain(i.link);
          expect(m.sms).not.toContain('\n');
          expect(m.text).toContain(i.link);
          expect(m.html).toContain(`href="${i.link}"`);
          expect(m.html).toContain(`<html lang="${language}">`);
          expect(m.html).toMatch(/<h1[^>]*>/);
          expect(m.html).toMatch(/<ul[^>]*><li>/);
          expect(m.html).not.toMatch(/<img|<link|<style|class="/);
          expect(m.text).toContain('Aino Virtanen');
          for (const issue of i.issues) expect(m.text).toContain(`- ${issue}`);
          expect(m.subject).not.toMatch(/\{\w+\}/);
          expect(m.text).not.toMatch(/\{\w+\}/);
          for (const part of [m.subject, m.text, m.html, m.sms]) {
            expect(part).not.toMatch(IDENTITY_CODE);
            expect(part).not.toMatch(BUSINESS_ID);
          }
          if (language !== 'en') {
            const found = [m.subject, m.text, m.sms].flatMap(words).filter((w) => ENGLISH_WORDS.includes(w));
            expect(found, `${event} ${role}`).toEqual([]);
          }
          if (role === 'principal-guardian') expect(m.text).toContain('Veera Salonen');
          if (role === 'principal-signatory') expect(m.text).toContain('Salosen Rakennus Oy');
          if (role === 'agent-signatory') expect(m.text).toContain('Kiinteistöhuolto Laine Oy');
        }
      });
    }
  }

  it('formats dates per language', () => {
    expect(formatDate('2026-12-01', 'fi')).toBe('1.12.2026');
    expect(formatDate('2026-12-01', 'sv')).toBe('1.12.2026');
    expect(formatDate('2026-12-01', 'en')).toBe('1 December 2026');
    expect(renderMessage(input('mandate.granted', 'agent', 'fi')).text).toContain('1.12.2026 – 30.6.2027');
    expect(renderMessage(input('mandate.granted', 'agent', 'sv')).text).toContain('1.12.2026 – 30.6.2027');
    expect(renderMessage(input('mandate.granted', 'agent', 'en')).text).toContain('1 December 2026 – 30 June 2027');
    expect(renderMessage(input('mandate.expiring', 'principal', 'en')).subject).toBe('The mandate ends on 30 June 2027: Kari Mäkelä');
    expect(() => formatDate('1.12.2026', 'fi')).toThrow();
  });

  it('speaks to guardians of the child and to signatories of the organisation', () => {
    expect(renderMessage(input('mandate.requested', 'principal', 'fi')).subject).toBe('Kari Mäkelä pyytää sinulta valtuutusta');
    expect(renderMessage(input('mandate.requested', 'principal', 'sv')).subject).toBe('Kari Mäkelä ber dig om en fullmakt');
    expect(renderMessage(input('mandate.requested', 'principal-guardian', 'en')).text).toContain('the matters of your child Veera Salonen');
    expect(renderMessage(input('mandate.requested', 'principal-signatory', 'en')).text).toContain('the matters of Salosen Rakennus Oy');
    expect(renderMessage(input('mandate.requested', 'principal-guardian', 'fi')).text).toContain('Asia koskee lastasi: Veera Salonen.');
    const awaiting = renderMessage(input('mandate.awaiting-approval', 'principal-guardian', 'fi'));
    expect(awaiting.subject).toContain('Matti Salonen');
    expect(awaiting.text).toContain('myös sinä hyväksyt');
  });

  it('one-off mandates and properties are told', () => {
    const m = renderMessage(input('mandate.granted', 'agent', 'fi', { oneOff: true }));
    expect(m.text).toContain('Kertavaltuus');
    expect(m.text).toContain('Kotikatu 1, Kerava');
    const n = renderMessage(input('mandate.granted', 'agent', 'fi', { oneOff: false, property: undefined }));
    expect(n.text).not.toContain('Kertavaltuus');
    expect(n.text).not.toContain('Kiinteistö:');
  });

  it('narrowed lists what was left out and the asked vs given dates', () => {
    for (const language of LANGUAGES) {
      const m = renderMessage(input('mandate.narrowed', 'agent', language));
      expect(m.text).toContain(`- ${LEFT_OUT[language]}`);
      expect(m.html).toContain(`<li>${LEFT_OUT[language]}</li>`);
    }
    expect(renderMessage(input('mandate.narrowed', 'agent', 'fi')).text).toContain('Päättymispäivä: pyydettiin 31.12.2027, annettiin 30.6.2027.');
    expect(renderMessage(input('mandate.narrowed', 'agent', 'en')).text).toContain('End date: asked 31 December 2027, given 30 June 2027.');
  });

  it('used names the errand reference, the municipality and whether the mandate was used up', () => {
    for (const language of LANGUAGES) {
      const m = renderMessage(input('mandate.used', 'principal', language));
      for (const part of [m.text, m.html]) {
        expect(part).toContain('ERR-KX-42');
        expect(part).toContain('Kerava');
      }
    }
    const consumed = renderMessage(input('mandate.used', 'principal', 'fi'));
    expect(consumed.text).toContain('Se on nyt käytetty');
    expect(consumed.text).not.toContain('Voit perua');
    const still = renderMessage(input('mandate.used', 'principal', 'fi', { use: { errandRef: 'ERR-KX-43', municipalityName: 'Sipoo', consumed: false } }));
    expect(still.text).toContain('Valtuus on edelleen voimassa.');
    expect(still.text).toContain('Voit perua valtuuden milloin tahansa.');
  });

  it('escapes names in HTML', () => {
    const m = renderMessage(
      input('mandate.requested', 'principal-signatory', 'en', {
        recipientName: '<script>alert(1)</script>',
        principal: { name: 'A & B', kind: 'organization' },
        agent: { name: '"Kari" <b>', kind: 'person' },
        issues: ['<i>x</i>'],
      }),
    );
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>');
    expect(m.html).not.toContain('<i>');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).toContain('A &amp; B');
    expect(m.html).toContain('&quot;Kari&quot; &lt;b&gt;');
    expect(m.html).toContain('<li>&lt;i&gt;x&lt;/i&gt;</li>');
    expect(m.text).toContain('A & B');
  });

  it('shortens a long SMS but never cuts the link', () => {
    const many = ['Varhaiskasvatus', 'Perusopetus', 'Rakennusvalvonta', 'Kiinteistöasiat', 'Jätehuolto', 'Pysäköinti'];
    const long = renderMessage(input('mandate.requested', 'principal', 'fi', { issues: many }));
    expect(long.sms.length).toBeLessThanOrEqual(160);
    expect(long.sms).toContain('Varhaiskasvatus ja 5 muuta');
    expect(long.sms.endsWith(' https://puolesta.example.fi/fi/valtuudet/3f6c2b9e')).toBe(true);

    const huge = renderMessage(
      input('mandate.granted', 'agent-guardian', 'sv', {
        principal: { name: 'Anna-Kaisa Wilhelmiina Katariina Johanna Oksanen-Lindqvist', kind: 'person' },
        agent: { name: 'Eemeli Aleksanteri Kristian Juhani Oksanen-Lindqvist', kind: 'person' },
        issues: many,
      }),
    );
    expect(huge.sms.length).toBeLessThanOrEqual(160);
    expect(huge.sms).toContain('https://puolesta.example.fi/sv/valtuudet/3f6c2b9e');
    expect(huge.sms).toContain('Anna-Kaisa');
  });

  it('refuses a link that is not an absolute web address', () => {
    expect(() => renderMessage(input('mandate.granted', 'agent', 'fi', { link: 'javascript:alert(1)' }))).toThrow();
  });

  it('names with odd characters: HTML never carries an unescaped < from the input, SMS stays short', () => {
    const odd = fc.string({
      minLength: 1,
      maxLength: 60,
      unit: fc.constantFrom('<', '>', '&', '"', "'", '{', '}', '$', '/', ' ', 'a', 'Ä', 'ö', 'å', '\u0301', '😀', 'x'),
    });
    const lt = (s: string) => s.split('<').length - 1;
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENTS),
        fc.constantFrom(...ROLES),
        fc.constantFrom(...LANGUAGES),
        odd,
        odd,
        odd,
        fc.option(odd, { nil: undefined }),
        fc.array(odd, { minLength: 1, maxLength: 8 }),
        (event, role, language, recipientName, principalName, agentName, actorName, issues) => {
          const i = input(event, role, language, {
            recipientName,
            principal: { name: principalName, kind: 'person' },
            agent: { name: agentName, kind: 'organization' },
            actorName,
            issues,
          });
          const m = renderMessage(i);
          const clean = (s: string) => s.replaceAll('<', '_');
          const same = renderMessage({
            ...i,
            recipientName: clean(recipientName),
            principal: { name: clean(principalName), kind: 'person' },
            agent: { name: clean(agentName), kind: 'organization' },
            actorName: actorName === undefined ? undefined : clean(actorName),
            issues: issues.map(clean),
          });
          expect(lt(m.html)).toBe(lt(same.html));
          expect(m.html).toContain(escapeHtml(principalName));
          expect(m.sms.length).toBeLessThanOrEqual(160);
          expect(m.sms).toContain(i.link);
        },
      ),
      { numRuns: 300 },
    );
  });
});
