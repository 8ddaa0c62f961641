import { readFileSync } from 'node:fs';
import { ERRAND_NOTIFICATION_EVENTS, type ErrandNotificationEvent, IDENTITY_CODE_IN_TEXT } from '@puolesta/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderErrandMessage, type ErrandTemplateInput } from '../src/notifications/errand-templates.js';
import { DEMO_FIXTURE_PATH, demoFixture } from '../src/registers/fixture.js';
import { escapeHtml } from '../src/notifications/templates.js';
import { LANGUAGES, type Language, type RenderedMessage } from '../src/notifications/types.js';

const fixture = demoFixture();
const person = (key: string) => {
  const p = fixture.persons.find((x) => x.key === key);
  if (!p) throw new Error(`no fixture person ${key}`);
  return { id: p.id, name: `${p.firstName} ${p.lastName}` };
};
const service = (code: string) => {
  const s = fixture.services.find((x) => x.code === code);
  if (!s) throw new Error(`no fixture service ${code}`);
  return s.name;
};
const municipality = (code: string) => fixture.municipalities.find((m) => m.code === code)!.name;

/** Every identity code anywhere in the demo fixture (persons, guardianships, owners, roles…). */
const FIXTURE_IDENTITY_CODES = [...new Set(readFileSync(DEMO_FIXTURE_PATH, 'utf8').match(/\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]/g) ?? [])];
// An identity code standing on its own, as the masking sees it (a random UUID in a link can hold the bare shape).
const IDENTITY_CODE = new RegExp(IDENTITY_CODE_IN_TEXT.source, 'iu');

const aino = person('aino'); // the reader
const kari = person('kari'); // the applicant
const matti = person('matti'); // a party who declines / the principal who rejects a mandate
const veera = person('veera'); // the child the errand concerns
const ECE = service('ece-application');
const KERAVA = municipality('245');

const EVENTS: readonly ErrandNotificationEvent[] = ERRAND_NOTIFICATION_EVENTS;
const ENGLISH_WORDS = ['errand', 'mandate', 'the', 'please', 'sign', 'approved', 'answer', 'municipality'];
const DECIDING: readonly ErrandNotificationEvent[] = ['errand.decided', 'errand.processed-for-you'];

function input(event: ErrandNotificationEvent, language: Language, over: Partial<ErrandTemplateInput> = {}): ErrandTemplateInput {
  return {
    event,
    language,
    recipientName: aino.name,
    serviceName: ECE[language],
    municipalityName: KERAVA[language],
    errandRef: 'PA-7K3Q9M',
    applicantName: kari.name,
    concerns: veera.name,
    ...(event === 'errand.declined' || event === 'errand.mandate-rejected' ? { actorName: matti.name } : {}),
    ...(['errand.sign-requested', 'errand.confirm-requested', 'errand.reminder', 'errand.expired'].includes(event) ? { deadline: '2026-12-15' } : {}),
    ...(event === 'errand.declined' ? { reason: 'En ole samaa mieltä hoitopäivistä.' } : {}),
    ...(event === 'errand.information-requested' ? { text: 'Liittäkää tuloselvitys.' } : {}),
    ...(DECIDING.includes(event) ? { outcome: 'approved' as const, text: 'Paikka myönnetään 1.1.2027 alkaen.' } : {}),
    link: `https://puolesta.example.fi/${language}/asiat/PA-7K3Q9M`,
    ...over,
  };
}

/** The smallest input an event can be told with: no optional field but the outcome of a decision. */
function minimal(event: ErrandNotificationEvent, language: Language): ErrandTemplateInput {
  return {
    event,
    language,
    recipientName: aino.name,
    serviceName: ECE[language],
    municipalityName: KERAVA[language],
    errandRef: 'PA-7K3Q9M',
    applicantName: null,
    ...(DECIDING.includes(event) ? { outcome: 'rejected' as const } : {}),
    link: `https://puolesta.example.fi/${language}/asiat/PA-7K3Q9M`,
  };
}

const parts = (m: RenderedMessage) => [m.subject, m.text, m.html, m.sms];
const words = (text: string) => text.toLowerCase().split(/[^\p{L}-]+/u);

function expectWellFormed(m: RenderedMessage, i: ErrandTemplateInput) {
  for (const part of parts(m)) expect(part.trim()).not.toBe('');
  expect(m.sms.length, m.sms).toBeLessThanOrEqual(160);
  expect(m.sms).toContain(i.link);
  expect(m.sms).not.toContain('\n');
  expect(m.text).toContain(i.link);
  expect(m.html).toContain(`href="${i.link}"`);
  expect(m.html).toContain(`<html lang="${i.language}">`);
  expect(m.html).toMatch(/<h1[^>]*>/);
  expect(m.html).not.toMatch(/<img|<link|<style|<script|class="/);
  expect(m.text).toContain(i.recipientName);
  expect(m.text).toContain(i.serviceName);
  expect(m.html).toContain(escapeHtml(i.serviceName));
  expect(m.subject).toContain(i.serviceName);
  expect(m.text).toContain(i.municipalityName);
  expect(m.text).toContain(i.errandRef);
  for (const part of [m.subject, m.text, m.sms]) expect(part).not.toMatch(/\{\w+\}/);
  for (const part of parts(m)) {
    expect(part).not.toMatch(IDENTITY_CODE);
    for (const code of FIXTURE_IDENTITY_CODES) expect(part).not.toContain(code);
  }
  if (i.language !== 'en') {
    const found = [m.subject, m.text, m.sms].flatMap(words).filter((w) => ENGLISH_WORDS.includes(w));
    expect(found, `${i.event} ${i.language}`).toEqual([]);
  }
}

describe('errand message templates', () => {
  it('the fixture holds identity codes to look for, and every errand event is templated', () => {
    expect(FIXTURE_IDENTITY_CODES.length).toBeGreaterThan(20);
    expect(FIXTURE_IDENTITY_CODES).toContain(aino.id);
    expect(EVENTS).toHaveLength(12);
  });

  for (const event of EVENTS) {
    for (const language of LANGUAGES) {
      it(`${event} in ${language}: an applicant's errand, a vendor's party request, and the bare minimum`, () => {
        const full = input(event, language);
        expectWellFormed(renderErrandMessage(full), full);

        const request = input(event, language, { applicantName: null, eServiceName: 'Keravan varhaiskasvatuksen asiointi', documentTitle: 'Hoitosopimus 2027' });
        const r = renderErrandMessage(request);
        expectWellFormed(r, request);
        if (['errand.sign-requested', 'errand.confirm-requested', 'errand.party-notified'].includes(event)) {
          expect(r.text).toContain('Keravan varhaiskasvatuksen asiointi');
          expect(r.text).not.toContain(kari.name);
        }
        expect(r.text).toContain('Hoitosopimus 2027');

        const bare = minimal(event, language);
        expectWellFormed(renderErrandMessage(bare), bare);
      });
    }

    it(`${event}: Finnish, Swedish and English say it differently, each with the service's own name`, () => {
      const [fi, sv, en] = LANGUAGES.map((l) => renderErrandMessage(input(event, l)));
      expect(new Set([fi!.subject, sv!.subject, en!.subject]).size).toBe(3);
      expect(new Set([fi!.text, sv!.text, en!.text]).size).toBe(3);
      expect(fi!.text).toContain('Varhaiskasvatushakemus');
      expect(sv!.text).toContain('Ansökan om småbarnspedagogik');
      expect(en!.text).toContain('Early childhood education application');
      expect(sv!.text).not.toContain('Varhaiskasvatushakemus');
    });
  }

  it('a request to sign or confirm gives the deadline in the reader’s own format, in the text and the SMS', () => {
    for (const event of ['errand.sign-requested', 'errand.confirm-requested', 'errand.reminder'] as const) {
      const fi = renderErrandMessage(input(event, 'fi'));
      const sv = renderErrandMessage(input(event, 'sv'));
      const en = renderErrandMessage(input(event, 'en'));
      expect(fi.text).toContain('viimeistään 15.12.2026');
      expect(fi.sms).toContain('(viimeistään 15.12.2026)');
      expect(sv.text).toContain('senast 15.12.2026');
      expect(sv.sms).toContain('(senast 15.12.2026)');
      expect(en.text).toContain('by 15 December 2026');
      expect(en.sms).toContain('(by 15 December 2026)');
      expect(en.text).not.toContain('2026-12-15');
      const none = renderErrandMessage(input(event, 'fi', { deadline: undefined }));
      expect(none.text).not.toContain('viimeistään');
      expect(none.sms).not.toContain('(');
    }
    expect(renderErrandMessage(input('errand.expired', 'fi')).text).toContain('Asiaan piti vastata viimeistään 15.12.2026.');
    expect(renderErrandMessage(input('errand.expired', 'en')).text).toContain('The errand had to be answered by 15 December 2026.');
  });

  it('sign and confirm requests say what to do, and say "again" when the errand changed after a signature', () => {
    const sign = renderErrandMessage(input('errand.sign-requested', 'fi'));
    expect(sign.subject).toBe('Allekirjoitustasi pyydetään: Varhaiskasvatushakemus');
    expect(sign.text).toContain('Kari Mäkelä on tehnyt asian, joka koskee myös sinua.');
    expect(sign.text).toContain('Voit allekirjoittaa sen tai kieltäytyä.');
    expect(sign.text).toContain('Asia koskee: Veera Salonen');
    expect(sign.text).toContain('Hakija: Kari Mäkelä');
    const again = renderErrandMessage(input('errand.sign-requested', 'fi', { again: true }));
    expect(again.subject).toBe('Allekirjoitustasi pyydetään uudelleen: Varhaiskasvatushakemus');
    expect(again.text).toContain('Asiaa on muutettu sen jälkeen, kun sitä on jo allekirjoitettu.');
    expect(renderErrandMessage(input('errand.confirm-requested', 'sv', { again: true })).subject).toBe('Du ombeds bekräfta på nytt: Ansökan om småbarnspedagogik');
    expect(renderErrandMessage(input('errand.confirm-requested', 'en', { again: true })).text).toContain('you are asked to confirm again');
    // "again" means nothing to an event that asks nothing
    expect(renderErrandMessage(input('errand.decided', 'en', { again: true })).subject).not.toContain('again');
    const party = renderErrandMessage(input('errand.sign-requested', 'en', { applicantName: null, eServiceName: 'Kerava ECE e-service', documentTitle: 'Care agreement' }));
    expect(party.text).toContain('Kerava ECE e-service asks you to sign a document.');
    expect(party.text).toContain('Document: Care agreement');
    expect(party.text).toContain('Requested by: Kerava ECE e-service');
    // a vendor's request without an e-service name: the municipality asks
    expect(renderErrandMessage(input('errand.confirm-requested', 'fi', { applicantName: null })).text).toContain('Kerava pyytää sinua vahvistamaan asiakirjan.');
  });

  it('a party who is only told knows they need do nothing', () => {
    expect(renderErrandMessage(input('errand.party-notified', 'fi')).text).toContain('Sinun ei tarvitse tehdä mitään.');
    expect(renderErrandMessage(input('errand.party-notified', 'sv')).text).toContain('Du behöver inte göra något.');
    expect(renderErrandMessage(input('errand.party-notified', 'en')).text).toContain('You do not need to do anything.');
  });

  it('declined names who declined and the reason, and says the errand can be changed and sent again', () => {
    const fi = renderErrandMessage(input('errand.declined', 'fi'));
    expect(fi.subject).toBe('Matti Salonen ei hyväksynyt asiaa: Varhaiskasvatushakemus');
    expect(fi.text).toContain('Syy:\n  En ole samaa mieltä hoitopäivistä.');
    expect(fi.text).toContain('Voit muuttaa asiaa ja lähettää sen uudelleen.');
    expect(fi.html).toContain('En ole samaa mieltä hoitopäivistä.');
    // the reader is the applicant: the message does not name them back to themselves
    expect(fi.text).not.toContain('Hakija:');
    const en = renderErrandMessage(input('errand.declined', 'en'));
    expect(en.text).toContain('Reason given:');
    expect(en.text).toContain('You can change the errand and send it again.');
    expect(fi.sms).not.toContain('hoitopäivistä');
    const unnamed = renderErrandMessage(input('errand.declined', 'sv', { actorName: undefined }));
    expect(unnamed.subject).toBe('En av parterna godkände inte ärendet: Ansökan om småbarnspedagogik');
  });

  it('submitted tells the errand went to the municipality', () => {
    expect(renderErrandMessage(input('errand.submitted', 'fi')).subject).toBe('Asia on lähetetty kunnalle: Varhaiskasvatushakemus');
    expect(renderErrandMessage(input('errand.submitted', 'sv')).subject).toBe('Ärendet har skickats till kommunen: Ansökan om småbarnspedagogik');
    expect(renderErrandMessage(input('errand.submitted', 'en')).text).toContain('sent to the municipality to be processed');
  });

  it('information requested carries what the caseworker asks and says where to answer', () => {
    const fi = renderErrandMessage(input('errand.information-requested', 'fi'));
    expect(fi.text).toContain('Mitä kunta pyytää:\n  Liittäkää tuloselvitys.');
    expect(fi.text).toContain('Vastaa pyyntöön palvelussa.');
    const en = renderErrandMessage(input('errand.information-requested', 'en', { text: 'Line one\nLine two' }));
    expect(en.text).toContain('What the municipality asks for:\n  Line one\n  Line two');
    expect(en.html).toContain('Line one<br>Line two');
  });

  it('a decision states its outcome in the subject, the text and the SMS', () => {
    const cases: Array<[Language, 'approved' | 'rejected', string, string]> = [
      ['fi', 'approved', 'Asia on hyväksytty: Varhaiskasvatushakemus', 'Kunta on käsitellyt asian ja hyväksynyt sen.'],
      ['fi', 'rejected', 'Asiaa ei hyväksytty: Varhaiskasvatushakemus', 'Kunta on käsitellyt asian, eikä sitä hyväksytty.'],
      ['sv', 'approved', 'Ärendet har godkänts: Ansökan om småbarnspedagogik', 'Kommunen har behandlat ärendet och godkänt det.'],
      ['sv', 'rejected', 'Ärendet har inte godkänts: Ansökan om småbarnspedagogik', 'Kommunen har behandlat ärendet och inte godkänt det.'],
      ['en', 'approved', 'Approved: Early childhood education application', 'The municipality has processed the errand and approved it.'],
      ['en', 'rejected', 'Not approved: Early childhood education application', 'The municipality has processed the errand and did not approve it.'],
    ];
    for (const [language, outcome, subject, lead] of cases) {
      const m = renderErrandMessage(input('errand.decided', language, { outcome }));
      expect(m.subject).toBe(subject);
      expect(m.sms.startsWith(subject)).toBe(true);
      expect(m.text).toContain(lead);
      expect(m.text).toContain('Paikka myönnetään 1.1.2027 alkaen.');
    }
    expect(() => renderErrandMessage(input('errand.decided', 'fi', { outcome: undefined }))).toThrow(/outcome/);
    expect(() => renderErrandMessage(input('errand.processed-for-you', 'fi', { outcome: undefined }))).toThrow(/outcome/);
  });

  it('processed-for-you tells the principal who acted for them, in which service, and the outcome', () => {
    const self = { concerns: undefined };
    const fi = renderErrandMessage(input('errand.processed-for-you', 'fi', self));
    expect(fi.subject).toBe('Puolestasi hoidettu asia hyväksyttiin: Varhaiskasvatushakemus');
    expect(fi.text).toContain('Kari Mäkelä hoiti tämän asian puolestasi.');
    const no = renderErrandMessage(input('errand.processed-for-you', 'sv', { ...self, outcome: 'rejected' }));
    expect(no.subject).toBe('Ett ärende som sköttes för dig har inte godkänts: Ansökan om småbarnspedagogik');
    expect(no.text).toContain('Kari Mäkelä skötte det här ärendet för dig.');
    const en = renderErrandMessage(input('errand.processed-for-you', 'en', { ...self, actorName: 'Harri Salonen' }));
    expect(en.text).toContain('Harri Salonen handled this errand on your behalf.');
    // concerning the reader themself reads the same as not saying
    expect(renderErrandMessage(input('errand.processed-for-you', 'fi', { concerns: aino.name })).subject).toBe(fi.subject);
    // a guardian reads for the child: "on your behalf" would be wrong, the child is named instead
    const guardian = renderErrandMessage(input('errand.processed-for-you', 'fi'));
    expect(guardian.text).toContain('Kari Mäkelä hoiti tämän asian.');
    expect(guardian.text).not.toContain('puolestasi');
    expect(guardian.text).toContain('Asia koskee: Veera Salonen');
  });

  it('withdrawn and expired tell the reader nothing more is needed; mandate-rejected says the errand can be withdrawn', () => {
    const w = renderErrandMessage(input('errand.withdrawn', 'fi'));
    expect(w.text).toContain('Kari Mäkelä perui asian.');
    expect(w.text).toContain('Sinun ei tarvitse tehdä mitään.');
    expect(renderErrandMessage(input('errand.withdrawn', 'en', { applicantName: null, eServiceName: 'Kerava ECE e-service' })).text).toContain(
      'Kerava ECE e-service withdrew the errand.',
    );
    expect(renderErrandMessage(input('errand.expired', 'sv')).text).toContain('det går inte längre att svara');
    const m = renderErrandMessage(input('errand.mandate-rejected', 'fi'));
    expect(m.text).toContain('Matti Salonen hylkäsi valtuuspyynnön');
    expect(m.text).toContain('Voit perua asian palvelussa.');
    expect(renderErrandMessage(input('errand.mandate-rejected', 'en')).text).toContain('You can withdraw the errand in the service.');
  });

  it('escapes what people wrote, and every name, in HTML', () => {
    const hostile = '<script>alert("x")</script> & <b>bold</b> \'q\'';
    for (const [event, field] of [
      ['errand.declined', 'reason'],
      ['errand.information-requested', 'text'],
      ['errand.decided', 'text'],
    ] as const) {
      const m = renderErrandMessage(input(event, 'en', { [field]: hostile }));
      expect(m.html).not.toContain('<script>');
      expect(m.html).not.toContain('<b>');
      expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &#39;q&#39;');
      expect(m.text).toContain(hostile);
    }
    const names = renderErrandMessage(
      input('errand.sign-requested', 'fi', {
        recipientName: '<i>Aino</i>',
        applicantName: 'A & "B"',
        serviceName: '<img src=x>',
        concerns: '<u>Veera</u>',
        documentTitle: '<s>doc</s>',
      }),
    );
    expect(names.html).not.toMatch(/<i>|<img|<u>|<s>/);
    expect(names.html).toContain('A &amp; &quot;B&quot;');
    expect(names.html).toContain('&lt;img src=x&gt;');
  });

  it('an identity code never goes out, not even one someone wrote into a reason, a request or a name', () => {
    const ella = person('ella');
    const m = renderErrandMessage(
      input('errand.declined', 'fi', {
        reason: `Lapsen henkilötunnus on ${ella.id}, ja minun ${matti.id.toLowerCase()}.`,
        actorName: `${matti.name} (${matti.id})`,
        concerns: ella.id,
      }),
    );
    for (const part of parts(m)) {
      expect(part).not.toMatch(IDENTITY_CODE);
      for (const code of FIXTURE_IDENTITY_CODES) expect(part.toUpperCase()).not.toContain(code);
    }
    expect(m.text).toContain('Lapsen henkilötunnus on [henkilötunnus poistettu], ja minun [henkilötunnus poistettu].');
    expect(m.subject).toBe('Matti Salonen ([henkilötunnus poistettu]) ei hyväksynyt asiaa: Varhaiskasvatushakemus');
    const info = renderErrandMessage(input('errand.information-requested', 'sv', { text: `Gäller ${veera.id}` }));
    expect(info.text).toContain('Gäller [personbeteckning borttagen]');
    // dates, phone numbers and references stay as they are
    const kept = renderErrandMessage(input('errand.information-requested', 'en', { text: 'Call 040-1234567 by 15.12.2026, ref PA-7K3Q9M' }));
    expect(kept.text).toContain('Call 040-1234567 by 15.12.2026, ref PA-7K3Q9M');
  });

  it('refuses a link that is not an absolute web address or that carries an identity code', () => {
    expect(() => renderErrandMessage(input('errand.submitted', 'fi', { link: 'javascript:alert(1)' }))).toThrow();
    expect(() => renderErrandMessage(input('errand.submitted', 'fi', { link: `https://puolesta.example.fi/asiat?for=${aino.id}` }))).toThrow(/identity code/);
  });

  it('shortens a long SMS, keeping the deadline while it can, and never cuts the link', () => {
    const long = input('errand.reminder', 'en', {
      serviceName: 'Application for a permit to use a street area for building works, events and storage',
      link: 'https://puolesta.example.fi/en/errands/PA-7K3Q9M?tab=parties',
    });
    const m = renderErrandMessage(long);
    expect(m.sms.length).toBeLessThanOrEqual(160);
    expect(m.sms.endsWith(` ${long.link}`)).toBe(true);
    expect(m.sms).toContain('(by 15 December 2026)');
    expect(m.sms).toContain('Application for a permit');
    expect(m.sms).toContain('…');
    const names = renderErrandMessage(
      input('errand.declined', 'fi', { actorName: 'Anna-Kaisa Wilhelmiina Katariina Johanna Oksanen-Lindqvist', serviceName: 'Kadun ja yleisen alueen käyttölupa rakennustöitä, tapahtumia ja varastointia varten' }),
    );
    expect(names.sms.length).toBeLessThanOrEqual(160);
    expect(names.sms).toContain('Anna-Kaisa');
    expect(names.sms).toContain('https://puolesta.example.fi/fi/asiat/PA-7K3Q9M');
  });

  it('odd names and texts: HTML never carries an unescaped < from the input, the SMS stays short with its link', () => {
    const odd = fc.string({
      minLength: 1,
      maxLength: 90,
      unit: fc.constantFrom('<', '>', '&', '"', "'", '{', '}', '$', '/', ' ', '\n', 'a', 'Ä', 'ö', 'å', '\u0301', '😀', 'x', '1', '-'),
    });
    const lt = (s: string) => s.split('<').length - 1;
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENTS),
        fc.constantFrom(...LANGUAGES),
        fc.record({ recipientName: odd, serviceName: odd, applicantName: fc.option(odd, { nil: null }), actorName: odd, concerns: odd, reason: odd, text: odd, eServiceName: odd }),
        fc.boolean(),
        (event, language, strings, again) => {
          const i = input(event, language, { ...strings, again });
          const m = renderErrandMessage(i);
          const clean = (s: string | null) => (s === null ? null : s.replaceAll('<', '_'));
          const same = renderErrandMessage({
            ...i,
            recipientName: clean(i.recipientName)!,
            serviceName: clean(i.serviceName)!,
            applicantName: clean(i.applicantName),
            actorName: clean(i.actorName!)!,
            concerns: clean(i.concerns!)!,
            reason: clean(i.reason ?? '')!,
            text: clean(i.text ?? '')!,
            eServiceName: clean(i.eServiceName!)!,
          });
          expect(lt(m.html)).toBe(lt(same.html));
          expect(m.sms.length).toBeLessThanOrEqual(160);
          expect(m.sms).toContain(i.link);
          expect(m.sms).not.toContain('\n');
          for (const part of [m.subject, m.text]) expect(part.trim()).not.toBe('');
        },
      ),
      { numRuns: 300 },
    );
  });
});
