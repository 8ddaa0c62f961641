/**
 * Errand message templates: one errand event, told to one reader, in Finnish, Swedish or English.
 *
 * The words live in three tables below (`fi`, `sv`, `en`), one per language, so a translator reads
 * and changes them in one place. The greeting, the closing lines and the footer are the mandate
 * templates' (templates.ts), so they too are written once. Placeholders in braces:
 *
 *   {service}    the service's name           {municipality}  the municipality's name
 *   {applicant}  who started the errand       {requester}     the e-service (or municipality) that asks
 *   {actor}      who did it (see `actorOf`)   {deadline}      the last day to answer, in the reader's format
 *   {again}      " uudelleen" / " på nytt" / " again" when the errand changed after a signature, else ""
 *
 * Each event has its texts; a few have variants a translator writes out in full:
 *   `.by-service`   a vendor e-service's party request (no applicant person: the e-service asks);
 *   `.approved` / `.rejected`   the decision's outcome.
 * Optional alternatives inside one event's texts: `leadAgain` (said after the lead when asked again),
 * `leadDeadline` / `actionDeadline` (used when the deadline is known), `subjectConcerns` /
 * `leadConcerns` (processed-for-you read by someone else than the one it concerns: a guardian, a
 * signatory), `someone` (who did it when the input names no one).
 *
 * Names are only ever placed where the language needs no inflection (Finnish: as a subject, after a
 * colon), so any name reads right. The texts carry names only: never an identity code; one that
 * reaches a name or a written text (a reason, a caseworker's request) is replaced before rendering.
 */
import type { ErrandNotificationEvent } from '@puolesta/domain';
import { fill, formatDate, layoutHtml, layoutText, SMS_MAX, TEMPLATE_TEXTS, truncateName, type MessageParts } from './templates.js';
import type { Language, RenderedMessage } from './types.js';

export interface ErrandTemplateInput {
  event: ErrandNotificationEvent;
  language: Language;
  recipientName: string;
  /** In the recipient's language, e.g. "Varhaiskasvatushakemus". */
  serviceName: string;
  /** In the recipient's language. */
  municipalityName: string;
  /** Human reference, e.g. "PA-7K3Q9M". */
  errandRef: string;
  /** Null for a vendor e-service's party request. */
  applicantName: string | null;
  /** Party request: the requesting e-service / municipality. */
  eServiceName?: string;
  /** Party request: the document to sign / confirm. */
  documentTitle?: string;
  /** Whom / what the errand concerns when not the applicant: a child's / person's / organisation's name or a property's address. */
  concerns?: string;
  /** Who did it (declined: the party's name; mandate-rejected: the principal's; withdrawn, processed-for-you: who acted). */
  actorName?: string;
  /** YYYY-MM-DD (sign / confirm requests, reminders, expired). */
  deadline?: string;
  /** declined: the reason given (user text). */
  reason?: string;
  /** information-requested: what is asked; decided / processed-for-you: the decision text (user text). */
  text?: string;
  /** decided / processed-for-you. */
  outcome?: 'approved' | 'rejected';
  /** sign / confirm requested again because the errand changed after a signature. */
  again?: boolean;
  /** Absolute link to the errand in the portal. */
  link: string;
}

/** One event (or one variant of it) told to its reader. */
interface ErrandEventTexts {
  /** Subject line; also the SMS. */
  subject: string;
  subjectConcerns?: string;
  /** What happened (one or more sentences). */
  lead: string;
  leadConcerns?: string;
  leadDeadline?: string;
  leadAgain?: string;
  /** What the reader can do now. */
  action: string;
  actionDeadline?: string;
  /** The link button's text. */
  button: string;
  /** `{actor}` when the input names no one. */
  someone?: string;
}

type Variant =
  | 'sign-requested'
  | 'sign-requested.by-service'
  | 'confirm-requested'
  | 'confirm-requested.by-service'
  | 'party-notified'
  | 'party-notified.by-service'
  | 'declined'
  | 'submitted'
  | 'information-requested'
  | 'decided.approved'
  | 'decided.rejected'
  | 'processed-for-you.approved'
  | 'processed-for-you.rejected'
  | 'withdrawn'
  | 'reminder'
  | 'expired'
  | 'mandate-rejected';

interface ErrandLanguageTexts {
  /** `{again}` when asked again (with its leading space). */
  again: string;
  labels: {
    service: string;
    document: string;
    applicant: string;
    requester: string;
    concerns: string;
    municipality: string;
    ref: string;
    reason: string;
    request: string;
    decision: string;
  };
  /** SMS: the deadline after the subject, in brackets. */
  smsDeadline: string;
  /** Put in place of an identity code found in the input. */
  identityCodeRemoved: string;
  events: Record<Variant, ErrandEventTexts>;
}

// ---------------------------------------------------------------------------------------------
// Suomi
// ---------------------------------------------------------------------------------------------

const fi: ErrandLanguageTexts = {
  again: ' uudelleen',
  labels: {
    service: 'Asia',
    document: 'Asiakirja',
    applicant: 'Hakija',
    requester: 'Pyytäjä',
    concerns: 'Asia koskee',
    municipality: 'Kunta',
    ref: 'Asian tunnus',
    reason: 'Syy',
    request: 'Mitä kunta pyytää',
    decision: 'Päätös',
  },
  smsDeadline: 'viimeistään {deadline}',
  identityCodeRemoved: '[henkilötunnus poistettu]',
  events: {
    'sign-requested': {
      subject: 'Allekirjoitustasi pyydetään{again}: {service}',
      lead: '{applicant} on tehnyt asian, joka koskee myös sinua. Asia lähtee kunnalle vasta, kun olet allekirjoittanut sen.',
      leadAgain: 'Asiaa on muutettu sen jälkeen, kun sitä on jo allekirjoitettu. Siksi allekirjoitustasi pyydetään uudelleen, jotta kaikki allekirjoittavat saman version.',
      action: 'Tarkista asian tiedot palvelussa. Voit allekirjoittaa sen tai kieltäytyä.',
      actionDeadline: 'Tarkista asian tiedot palvelussa ja vastaa viimeistään {deadline}. Voit allekirjoittaa sen tai kieltäytyä.',
      button: 'Tarkista ja allekirjoita',
    },
    'sign-requested.by-service': {
      subject: 'Allekirjoitustasi pyydetään{again}: {service}',
      lead: '{requester} pyytää sinua allekirjoittamaan asiakirjan.',
      leadAgain: 'Asiakirjaa on muutettu sen jälkeen, kun sitä on jo allekirjoitettu. Siksi allekirjoitustasi pyydetään uudelleen, jotta kaikki allekirjoittavat saman version.',
      action: 'Tarkista asiakirja palvelussa. Voit allekirjoittaa sen tai kieltäytyä.',
      actionDeadline: 'Tarkista asiakirja palvelussa ja vastaa viimeistään {deadline}. Voit allekirjoittaa sen tai kieltäytyä.',
      button: 'Tarkista ja allekirjoita',
    },
    'confirm-requested': {
      subject: 'Vahvistustasi pyydetään{again}: {service}',
      lead: '{applicant} on tehnyt asian, joka koskee myös sinua. Asia lähtee kunnalle, kun olet vahvistanut, että olet siitä samaa mieltä.',
      leadAgain: 'Asiaa on muutettu sen jälkeen, kun sitä on jo vahvistettu. Siksi vahvistustasi pyydetään uudelleen, jotta kaikki vahvistavat saman version.',
      action: 'Tarkista asian tiedot palvelussa. Voit vahvistaa sen tai kieltäytyä.',
      actionDeadline: 'Tarkista asian tiedot palvelussa ja vastaa viimeistään {deadline}. Voit vahvistaa sen tai kieltäytyä.',
      button: 'Tarkista ja vahvista',
    },
    'confirm-requested.by-service': {
      subject: 'Vahvistustasi pyydetään{again}: {service}',
      lead: '{requester} pyytää sinua vahvistamaan asiakirjan.',
      leadAgain: 'Asiakirjaa on muutettu sen jälkeen, kun sitä on jo vahvistettu. Siksi vahvistustasi pyydetään uudelleen, jotta kaikki vahvistavat saman version.',
      action: 'Tarkista asiakirja palvelussa. Voit vahvistaa sen tai kieltäytyä.',
      actionDeadline: 'Tarkista asiakirja palvelussa ja vastaa viimeistään {deadline}. Voit vahvistaa sen tai kieltäytyä.',
      button: 'Tarkista ja vahvista',
    },
    'party-notified': {
      subject: 'Tiedoksi sinulle: {service}',
      lead: '{applicant} on tehnyt asian, joka koskee myös sinua. Siksi saat siitä tiedon.',
      action: 'Sinun ei tarvitse tehdä mitään. Näet asian tiedot palvelussa, ja myöhemmin näet sieltä myös asiassa tehdyn päätöksen.',
      button: 'Katso asia',
    },
    'party-notified.by-service': {
      subject: 'Tiedoksi sinulle: {service}',
      lead: '{requester} on lähettänyt kunnalle asian, joka koskee myös sinua. Siksi saat siitä tiedon.',
      action: 'Sinun ei tarvitse tehdä mitään. Näet asian tiedot palvelussa, ja myöhemmin näet sieltä myös asiassa tehdyn päätöksen.',
      button: 'Katso asia',
    },
    declined: {
      subject: '{actor} ei hyväksynyt asiaa: {service}',
      lead: '{actor} ei hyväksynyt asiaa, joten sitä ei lähetetty kunnalle.',
      action: 'Voit muuttaa asiaa ja lähettää sen uudelleen. Jos asia ei ole enää tarpeen, voit perua sen.',
      button: 'Katso asia',
      someone: 'Yksi osapuolista',
    },
    submitted: {
      subject: 'Asia on lähetetty kunnalle: {service}',
      lead: 'Kaikki tarvittavat allekirjoitukset ja hyväksynnät ovat nyt koossa, ja asia on lähetetty kunnalle käsiteltäväksi.',
      action: 'Sinun ei tarvitse nyt tehdä mitään. Saat viestin, kun asiassa on tehty päätös tai jos kunta tarvitsee sinulta lisätietoja.',
      button: 'Katso asia',
    },
    'information-requested': {
      subject: 'Kunta pyytää lisätietoja: {service}',
      lead: 'Asian käsittelijä tarvitsee sinulta lisätietoja, jotta asian käsittely voi jatkua.',
      action: 'Vastaa pyyntöön palvelussa. Käsittely jatkuu, kun olet vastannut.',
      button: 'Vastaa pyyntöön',
    },
    'decided.approved': {
      subject: 'Asia on hyväksytty: {service}',
      lead: 'Kunta on käsitellyt asian ja hyväksynyt sen.',
      action: 'Voit lukea koko päätöksen palvelussa.',
      button: 'Lue päätös',
    },
    'decided.rejected': {
      subject: 'Asiaa ei hyväksytty: {service}',
      lead: 'Kunta on käsitellyt asian, eikä sitä hyväksytty.',
      action: 'Voit lukea koko päätöksen ja sen perustelut palvelussa. Jos sinulla on kysyttävää, ota yhteyttä kuntaan.',
      button: 'Lue päätös',
    },
    'processed-for-you.approved': {
      subject: 'Puolestasi hoidettu asia hyväksyttiin: {service}',
      subjectConcerns: 'Asia on hyväksytty: {service}',
      lead: '{actor} hoiti tämän asian puolestasi. Kunta on nyt käsitellyt asian ja hyväksynyt sen.',
      leadConcerns: '{actor} hoiti tämän asian. Kunta on nyt käsitellyt asian ja hyväksynyt sen.',
      action: 'Sinun ei tarvitse tehdä mitään. Voit lukea päätöksen palvelussa.',
      button: 'Lue päätös',
      someone: 'Joku toinen',
    },
    'processed-for-you.rejected': {
      subject: 'Puolestasi hoidettua asiaa ei hyväksytty: {service}',
      subjectConcerns: 'Asiaa ei hyväksytty: {service}',
      lead: '{actor} hoiti tämän asian puolestasi. Kunta on nyt käsitellyt asian, eikä sitä hyväksytty.',
      leadConcerns: '{actor} hoiti tämän asian. Kunta on nyt käsitellyt asian, eikä sitä hyväksytty.',
      action: 'Voit lukea päätöksen ja sen perustelut palvelussa. Jos sinulla on kysyttävää, ota yhteyttä kuntaan.',
      button: 'Lue päätös',
      someone: 'Joku toinen',
    },
    withdrawn: {
      subject: 'Asia on peruttu: {service}',
      lead: '{actor} perui asian. Asia ei etene.',
      action: 'Sinun ei tarvitse tehdä mitään. Jos sinulta pyydettiin allekirjoitusta tai vahvistusta, pyyntö ei ole enää voimassa.',
      button: 'Katso asia',
      someone: 'Hakija',
    },
    reminder: {
      subject: 'Muistutus – asia odottaa vastaustasi: {service}',
      lead: 'Asia odottaa vielä vastaustasi: sinua on pyydetty allekirjoittamaan tai vahvistamaan se.',
      action: 'Tarkista asian tiedot palvelussa ja vastaa.',
      actionDeadline: 'Tarkista asian tiedot palvelussa ja vastaa viimeistään {deadline}. Sen jälkeen asiaan ei voi enää vastata.',
      button: 'Vastaa',
    },
    expired: {
      subject: 'Vastausaika päättyi: {service}',
      lead: 'Kaikki eivät vastanneet asiaan ajoissa. Vastausaika on päättynyt, joten asiaan ei voi enää vastata eikä se lähde kunnalle.',
      leadDeadline: 'Asiaan piti vastata viimeistään {deadline}. Kaikki eivät vastanneet ajoissa, joten asiaan ei voi enää vastata eikä se lähde kunnalle.',
      action: 'Sinun ei tarvitse tehdä mitään. Jos asia on yhä tarpeen, se pitää tehdä uudelleen.',
      button: 'Katso asia',
    },
    'mandate-rejected': {
      subject: 'Valtuutta ei annettu: {service}',
      lead: '{actor} hylkäsi valtuuspyynnön, jonka lähetit tätä asiaa varten. Ilman valtuutta asia ei voi edetä.',
      action: 'Voit perua asian palvelussa.',
      button: 'Katso asia',
      someone: 'Valtuuttaja',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Svenska
// ---------------------------------------------------------------------------------------------

const sv: ErrandLanguageTexts = {
  again: ' på nytt',
  labels: {
    service: 'Ärende',
    document: 'Handling',
    applicant: 'Sökande',
    requester: 'Begäran kommer från',
    concerns: 'Ärendet gäller',
    municipality: 'Kommun',
    ref: 'Ärendenummer',
    reason: 'Orsak',
    request: 'Vad kommunen ber om',
    decision: 'Beslut',
  },
  smsDeadline: 'senast {deadline}',
  identityCodeRemoved: '[personbeteckning borttagen]',
  events: {
    'sign-requested': {
      subject: 'Du ombeds skriva under{again}: {service}',
      lead: '{applicant} har inlett ett ärende som också gäller dig. Ärendet skickas till kommunen först när du har skrivit under det.',
      leadAgain: 'Ärendet har ändrats efter att det redan skrivits under. Därför ombeds du skriva under på nytt, så att alla skriver under samma version.',
      action: 'Kontrollera uppgifterna i tjänsten. Du kan skriva under eller avböja.',
      actionDeadline: 'Kontrollera uppgifterna i tjänsten och svara senast {deadline}. Du kan skriva under eller avböja.',
      button: 'Kontrollera och skriv under',
    },
    'sign-requested.by-service': {
      subject: 'Du ombeds skriva under{again}: {service}',
      lead: '{requester} ber dig skriva under en handling.',
      leadAgain: 'Handlingen har ändrats efter att den redan skrivits under. Därför ombeds du skriva under på nytt, så att alla skriver under samma version.',
      action: 'Kontrollera handlingen i tjänsten. Du kan skriva under den eller avböja.',
      actionDeadline: 'Kontrollera handlingen i tjänsten och svara senast {deadline}. Du kan skriva under den eller avböja.',
      button: 'Kontrollera och skriv under',
    },
    'confirm-requested': {
      subject: 'Du ombeds bekräfta{again}: {service}',
      lead: '{applicant} har inlett ett ärende som också gäller dig. Ärendet skickas till kommunen när du har bekräftat att du håller med.',
      leadAgain: 'Ärendet har ändrats efter att det redan bekräftats. Därför ombeds du bekräfta på nytt, så att alla bekräftar samma version.',
      action: 'Kontrollera uppgifterna i tjänsten. Du kan bekräfta eller avböja.',
      actionDeadline: 'Kontrollera uppgifterna i tjänsten och svara senast {deadline}. Du kan bekräfta eller avböja.',
      button: 'Kontrollera och bekräfta',
    },
    'confirm-requested.by-service': {
      subject: 'Du ombeds bekräfta{again}: {service}',
      lead: '{requester} ber dig bekräfta en handling.',
      leadAgain: 'Handlingen har ändrats efter att den redan bekräftats. Därför ombeds du bekräfta på nytt, så att alla bekräftar samma version.',
      action: 'Kontrollera handlingen i tjänsten. Du kan bekräfta den eller avböja.',
      actionDeadline: 'Kontrollera handlingen i tjänsten och svara senast {deadline}. Du kan bekräfta den eller avböja.',
      button: 'Kontrollera och bekräfta',
    },
    'party-notified': {
      subject: 'För kännedom: {service}',
      lead: '{applicant} har inlett ett ärende som också gäller dig. Därför får du veta om det.',
      action: 'Du behöver inte göra något. I tjänsten ser du ärendets uppgifter och senare också beslutet.',
      button: 'Visa ärendet',
    },
    'party-notified.by-service': {
      subject: 'För kännedom: {service}',
      lead: '{requester} har skickat ett ärende till kommunen som också gäller dig. Därför får du veta om det.',
      action: 'Du behöver inte göra något. I tjänsten ser du ärendets uppgifter och senare också beslutet.',
      button: 'Visa ärendet',
    },
    declined: {
      subject: '{actor} godkände inte ärendet: {service}',
      lead: '{actor} godkände inte ärendet, och därför skickades det inte till kommunen.',
      action: 'Du kan ändra ärendet och skicka det på nytt. Om ärendet inte längre behövs kan du dra tillbaka det.',
      button: 'Visa ärendet',
      someone: 'En av parterna',
    },
    submitted: {
      subject: 'Ärendet har skickats till kommunen: {service}',
      lead: 'Alla underskrifter och godkännanden som behövs finns nu, och ärendet har skickats till kommunen för behandling.',
      action: 'Du behöver inte göra något nu. Du får ett meddelande när det finns ett beslut eller om kommunen behöver mer information av dig.',
      button: 'Visa ärendet',
    },
    'information-requested': {
      subject: 'Kommunen ber om mer information: {service}',
      lead: 'Handläggaren behöver mer information av dig för att kunna fortsätta behandla ärendet.',
      action: 'Svara i tjänsten. Behandlingen fortsätter när du har svarat.',
      button: 'Svara',
    },
    'decided.approved': {
      subject: 'Ärendet har godkänts: {service}',
      lead: 'Kommunen har behandlat ärendet och godkänt det.',
      action: 'Du kan läsa hela beslutet i tjänsten.',
      button: 'Läs beslutet',
    },
    'decided.rejected': {
      subject: 'Ärendet har inte godkänts: {service}',
      lead: 'Kommunen har behandlat ärendet och inte godkänt det.',
      action: 'Du kan läsa hela beslutet och motiveringen i tjänsten. Kontakta kommunen om du har frågor.',
      button: 'Läs beslutet',
    },
    'processed-for-you.approved': {
      subject: 'Ett ärende som sköttes för dig har godkänts: {service}',
      subjectConcerns: 'Ärendet har godkänts: {service}',
      lead: '{actor} skötte det här ärendet för dig. Kommunen har nu behandlat ärendet och godkänt det.',
      leadConcerns: '{actor} skötte det här ärendet. Kommunen har nu behandlat ärendet och godkänt det.',
      action: 'Du behöver inte göra något. Du kan läsa beslutet i tjänsten.',
      button: 'Läs beslutet',
      someone: 'Någon annan',
    },
    'processed-for-you.rejected': {
      subject: 'Ett ärende som sköttes för dig har inte godkänts: {service}',
      subjectConcerns: 'Ärendet har inte godkänts: {service}',
      lead: '{actor} skötte det här ärendet för dig. Kommunen har nu behandlat ärendet och inte godkänt det.',
      leadConcerns: '{actor} skötte det här ärendet. Kommunen har nu behandlat ärendet och inte godkänt det.',
      action: 'Du kan läsa beslutet och motiveringen i tjänsten. Kontakta kommunen om du har frågor.',
      button: 'Läs beslutet',
      someone: 'Någon annan',
    },
    withdrawn: {
      subject: 'Ärendet har dragits tillbaka: {service}',
      lead: '{actor} drog tillbaka ärendet. Det går inte vidare.',
      action: 'Du behöver inte göra något. Om du ombads skriva under eller bekräfta ärendet gäller den begäran inte längre.',
      button: 'Visa ärendet',
      someone: 'Den sökande',
    },
    reminder: {
      subject: 'Påminnelse – ärendet väntar på ditt svar: {service}',
      lead: 'Ärendet väntar fortfarande på ditt svar: du har ombetts skriva under eller bekräfta det.',
      action: 'Kontrollera uppgifterna i tjänsten och svara.',
      actionDeadline: 'Kontrollera uppgifterna i tjänsten och svara senast {deadline}. Efter det går det inte längre att svara.',
      button: 'Svara',
    },
    expired: {
      subject: 'Svarstiden har gått ut: {service}',
      lead: 'Alla svarade inte i tid. Svarstiden har gått ut, så det går inte längre att svara och ärendet skickas inte till kommunen.',
      leadDeadline: 'Ärendet skulle besvaras senast {deadline}. Alla svarade inte i tid, så det går inte längre att svara och ärendet skickas inte till kommunen.',
      action: 'Du behöver inte göra något. Om ärendet fortfarande behövs måste det göras på nytt.',
      button: 'Visa ärendet',
    },
    'mandate-rejected': {
      subject: 'Fullmakten gavs inte: {service}',
      lead: '{actor} avslog fullmaktsförfrågan som du skickade för det här ärendet. Utan fullmakt kan ärendet inte gå vidare.',
      action: 'Du kan dra tillbaka ärendet i tjänsten.',
      button: 'Visa ärendet',
      someone: 'Fullmaktsgivaren',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// English
// ---------------------------------------------------------------------------------------------

const en: ErrandLanguageTexts = {
  again: ' again',
  labels: {
    service: 'Service',
    document: 'Document',
    applicant: 'Applicant',
    requester: 'Requested by',
    concerns: 'The errand concerns',
    municipality: 'Municipality',
    ref: 'Reference',
    reason: 'Reason given',
    request: 'What the municipality asks for',
    decision: 'Decision',
  },
  smsDeadline: 'by {deadline}',
  identityCodeRemoved: '[identity code removed]',
  events: {
    'sign-requested': {
      subject: 'Please sign{again}: {service}',
      lead: '{applicant} has started an errand that also concerns you. It goes to the municipality only after you have signed it.',
      leadAgain: 'The errand was changed after it had already been signed. So you are asked to sign again, so that everyone signs the same version.',
      action: 'Please check the details in the service. You can sign or decline.',
      actionDeadline: 'Please check the details in the service and answer by {deadline}. You can sign or decline.',
      button: 'Check and sign',
    },
    'sign-requested.by-service': {
      subject: 'Please sign{again}: {service}',
      lead: '{requester} asks you to sign a document.',
      leadAgain: 'The document was changed after it had already been signed. So you are asked to sign again, so that everyone signs the same version.',
      action: 'Please check the document in the service. You can sign it or decline.',
      actionDeadline: 'Please check the document in the service and answer by {deadline}. You can sign it or decline.',
      button: 'Check and sign',
    },
    'confirm-requested': {
      subject: 'Please confirm{again}: {service}',
      lead: '{applicant} has started an errand that also concerns you. It goes to the municipality when you have confirmed that you agree.',
      leadAgain: 'The errand was changed after it had already been confirmed. So you are asked to confirm again, so that everyone confirms the same version.',
      action: 'Please check the details in the service. You can confirm or decline.',
      actionDeadline: 'Please check the details in the service and answer by {deadline}. You can confirm or decline.',
      button: 'Check and confirm',
    },
    'confirm-requested.by-service': {
      subject: 'Please confirm{again}: {service}',
      lead: '{requester} asks you to confirm a document.',
      leadAgain: 'The document was changed after it had already been confirmed. So you are asked to confirm again, so that everyone confirms the same version.',
      action: 'Please check the document in the service. You can confirm it or decline.',
      actionDeadline: 'Please check the document in the service and answer by {deadline}. You can confirm it or decline.',
      button: 'Check and confirm',
    },
    'party-notified': {
      subject: 'For your information: {service}',
      lead: '{applicant} has started an errand that also concerns you, so we are letting you know.',
      action: 'You do not need to do anything. In the service you can see the errand and, later, its decision.',
      button: 'See the errand',
    },
    'party-notified.by-service': {
      subject: 'For your information: {service}',
      lead: '{requester} has sent the municipality an errand that also concerns you, so we are letting you know.',
      action: 'You do not need to do anything. In the service you can see the errand and, later, its decision.',
      button: 'See the errand',
    },
    declined: {
      subject: '{actor} did not accept the errand: {service}',
      lead: '{actor} did not accept the errand, so it was not sent to the municipality.',
      action: 'You can change the errand and send it again. If it is no longer needed, you can withdraw it.',
      button: 'See the errand',
      someone: 'One of the parties',
    },
    submitted: {
      subject: 'Sent to the municipality: {service}',
      lead: 'All the signatures and approvals needed are now in place, and the errand has been sent to the municipality to be processed.',
      action: 'You do not need to do anything now. You will get a message when there is a decision, or if the municipality needs more information from you.',
      button: 'See the errand',
    },
    'information-requested': {
      subject: 'The municipality needs more information: {service}',
      lead: 'The caseworker needs more information from you before the errand can be processed further.',
      action: 'Please answer in the service. Processing continues once you have answered.',
      button: 'Answer',
    },
    'decided.approved': {
      subject: 'Approved: {service}',
      lead: 'The municipality has processed the errand and approved it.',
      action: 'You can read the whole decision in the service.',
      button: 'Read the decision',
    },
    'decided.rejected': {
      subject: 'Not approved: {service}',
      lead: 'The municipality has processed the errand and did not approve it.',
      action: 'You can read the whole decision and its reasons in the service. If you have questions, please contact the municipality.',
      button: 'Read the decision',
    },
    'processed-for-you.approved': {
      subject: 'An errand done on your behalf was approved: {service}',
      subjectConcerns: 'Approved: {service}',
      lead: '{actor} handled this errand on your behalf. The municipality has now processed it and approved it.',
      leadConcerns: '{actor} handled this errand. The municipality has now processed it and approved it.',
      action: 'You do not need to do anything. You can read the decision in the service.',
      button: 'Read the decision',
      someone: 'Someone else',
    },
    'processed-for-you.rejected': {
      subject: 'An errand done on your behalf was not approved: {service}',
      subjectConcerns: 'Not approved: {service}',
      lead: '{actor} handled this errand on your behalf. The municipality has now processed it and did not approve it.',
      leadConcerns: '{actor} handled this errand. The municipality has now processed it and did not approve it.',
      action: 'You can read the decision and its reasons in the service. If you have questions, please contact the municipality.',
      button: 'Read the decision',
      someone: 'Someone else',
    },
    withdrawn: {
      subject: 'The errand was withdrawn: {service}',
      lead: '{actor} withdrew the errand. It will not go any further.',
      action: 'You do not need to do anything. If you were asked to sign or confirm it, that request no longer applies.',
      button: 'See the errand',
      someone: 'The applicant',
    },
    reminder: {
      subject: 'Reminder – your answer is needed: {service}',
      lead: 'The errand is still waiting for your answer: you have been asked to sign or confirm it.',
      action: 'Please check the details in the service and answer.',
      actionDeadline: 'Please check the details in the service and answer by {deadline}. After that, it can no longer be answered.',
      button: 'Answer',
    },
    expired: {
      subject: 'The time to answer has run out: {service}',
      lead: 'Not everyone answered in time. The time to answer has run out, so the errand can no longer be answered and it will not be sent to the municipality.',
      leadDeadline: 'The errand had to be answered by {deadline}. Not everyone answered in time, so it can no longer be answered and it will not be sent to the municipality.',
      action: 'You do not need to do anything. If the errand is still needed, it has to be started again.',
      button: 'See the errand',
    },
    'mandate-rejected': {
      subject: 'The mandate was not given: {service}',
      lead: '{actor} refused the request for a mandate that you sent for this errand. Without the mandate, the errand cannot go any further.',
      action: 'You can withdraw the errand in the service.',
      button: 'See the errand',
      someone: 'The person you asked',
    },
  },
};

/** The three tables, for translators' tooling and tests. */
export const ERRAND_TEMPLATE_TEXTS: Readonly<Record<Language, ErrandLanguageTexts>> = { fi, sv, en };

// ---------------------------------------------------------------------------------------------
// Choosing the texts
// ---------------------------------------------------------------------------------------------

/** Events read only by the applicant: the message does not name them back to themselves. */
const TO_APPLICANT: ReadonlySet<ErrandNotificationEvent> = new Set([
  'errand.declined', 'errand.submitted', 'errand.information-requested', 'errand.mandate-rejected',
]);
/** Events whose SMS carries the deadline. */
const ASKS_BY_DEADLINE: ReadonlySet<ErrandNotificationEvent> = new Set(['errand.sign-requested', 'errand.confirm-requested', 'errand.reminder']);
/** Events that ask again when the errand changed after a signature. */
const ASKS: ReadonlySet<ErrandNotificationEvent> = new Set(['errand.sign-requested', 'errand.confirm-requested']);

type ErrandEventKey = { [E in ErrandNotificationEvent]: E extends `errand.${infer K}` ? K : never }[ErrandNotificationEvent];

function variantOf(input: ErrandTemplateInput): Variant {
  const key = input.event.slice('errand.'.length) as ErrandEventKey;
  switch (key) {
    case 'sign-requested':
    case 'confirm-requested':
    case 'party-notified':
      return input.applicantName === null ? `${key}.by-service` : key;
    case 'decided':
    case 'processed-for-you':
      if (input.outcome !== 'approved' && input.outcome !== 'rejected') throw new TypeError(`${input.event} needs the outcome`);
      return `${key}.${input.outcome}`;
    default:
      return key;
  }
}

/** Who did it, as the input names them; `undefined` when it does not (the texts' `someone` is used). */
function actorOf(input: ErrandTemplateInput): string | undefined {
  switch (input.event) {
    case 'errand.processed-for-you':
    case 'errand.withdrawn':
      return input.actorName ?? input.applicantName ?? input.eServiceName;
    default:
      return input.actorName;
  }
}

// ---------------------------------------------------------------------------------------------
// Identity codes
// ---------------------------------------------------------------------------------------------

/** Anything shaped like a Finnish personal identity code (any check character: a typo is still personal). */
const IDENTITY_CODE = /(?<![\p{L}\p{N}])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\p{L}\p{N}])/giu;

function withoutIdentityCodes(text: string, replacement: string): string {
  return text.replace(IDENTITY_CODE, replacement);
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

interface Names {
  recipient: string;
  service: string;
  municipality: string;
  applicant: string | null;
  requester: string;
  actor: string | undefined;
}

/** Fills one event's texts for one reader, with the given names (full ones, or shortened ones for SMS). */
function compose(input: ErrandTemplateInput, names: Names): MessageParts {
  const t = ERRAND_TEMPLATE_TEXTS[input.language];
  const ev = t.events[variantOf(input)];
  const deadline = input.deadline === undefined ? undefined : formatDate(input.deadline, input.language);
  const again = input.again === true && ASKS.has(input.event);
  const values: Record<string, string> = {
    service: names.service,
    municipality: names.municipality,
    requester: names.requester,
    again: again ? t.again : '',
  };
  if (names.applicant !== null) values.applicant = names.applicant;
  const actor = names.actor ?? ev.someone;
  if (actor !== undefined) values.actor = actor;
  if (deadline !== undefined) values.deadline = deadline;

  const aboutSomeoneElse = input.concerns !== undefined && input.concerns.trim() !== '' && input.concerns !== input.recipientName;
  const subject = aboutSomeoneElse && ev.subjectConcerns ? ev.subjectConcerns : ev.subject;
  const lead = [fill(deadline !== undefined && ev.leadDeadline ? ev.leadDeadline : aboutSomeoneElse && ev.leadConcerns ? ev.leadConcerns : ev.lead, values)];
  if (again && ev.leadAgain) lead.push(fill(ev.leadAgain, values));

  const L = t.labels;
  const details: MessageParts['details'] = [{ label: L.service, value: names.service }];
  if (input.documentTitle) details.push({ label: L.document, value: input.documentTitle });
  if (names.applicant !== null) {
    if (!TO_APPLICANT.has(input.event) && input.applicantName !== input.recipientName) details.push({ label: L.applicant, value: names.applicant });
  } else if (input.eServiceName) {
    details.push({ label: L.requester, value: input.eServiceName });
  }
  if (input.concerns) details.push({ label: L.concerns, value: input.concerns });
  details.push({ label: L.municipality, value: names.municipality });
  details.push({ label: L.ref, value: input.errandRef });
  if (input.event === 'errand.declined' && input.reason?.trim()) details.push({ label: L.reason, block: input.reason.trim() });
  if (input.event === 'errand.information-requested' && input.text?.trim()) details.push({ label: L.request, block: input.text.trim() });
  if ((input.event === 'errand.decided' || input.event === 'errand.processed-for-you') && input.text?.trim()) {
    details.push({ label: L.decision, block: input.text.trim() });
  }

  return {
    subject: fill(subject, values),
    greeting: fill(TEMPLATE_TEXTS[input.language].greeting, { recipient: names.recipient }),
    lead,
    details,
    action: fill(deadline !== undefined && ev.actionDeadline ? ev.actionDeadline : ev.action, values),
    button: ev.button,
  };
}

/**
 * One line ≤ 160 characters: the subject (what happened and the service), the deadline when one is
 * asked for, the link. Too long → the names are shortened, then the deadline is left out; the link
 * is never cut. Written texts (a reason, a request, a decision) never go in an SMS.
 */
function renderSms(input: ErrandTemplateInput, names: Names): string {
  const t = ERRAND_TEMPLATE_TEXTS[input.language];
  const deadline =
    input.deadline !== undefined && ASKS_BY_DEADLINE.has(input.event) ? fill(t.smsDeadline, { deadline: formatDate(input.deadline, input.language) }) : '';
  const line = (nameMax: number, withDeadline: boolean): string => {
    const n = (s: string) => (nameMax === Infinity ? s : truncateName(s, nameMax));
    const short: Names = {
      recipient: n(names.recipient),
      service: n(names.service),
      municipality: n(names.municipality),
      applicant: names.applicant === null ? null : n(names.applicant),
      requester: n(names.requester),
      actor: names.actor === undefined ? undefined : n(names.actor),
    };
    const subject = compose(input, short).subject;
    return `${subject}${withDeadline && deadline ? ` (${deadline})` : ''}. ${input.link}`;
  };
  const attempts: Array<[number, boolean]> = [
    [Infinity, true],
    [40, true],
    [24, true],
    [16, true],
    [16, false],
    [8, false],
    [4, false],
  ];
  for (const [max, withDeadline] of attempts) {
    const s = line(max, withDeadline);
    if (s.length <= SMS_MAX) return s;
  }
  return input.link;
}

/** Renders one errand notification for one reader in the reader's language. */
export function renderErrandMessage(raw: ErrandTemplateInput): RenderedMessage {
  if (!/^https?:\/\//.test(raw.link)) throw new TypeError('the link must be an absolute http(s) address');
  if (new RegExp(IDENTITY_CODE.source, 'iu').test(raw.link)) throw new TypeError('the link must not carry an identity code');
  const removed = ERRAND_TEMPLATE_TEXTS[raw.language].identityCodeRemoved;
  /** Written text keeps its lines; a name goes on one line (it may end up in a subject header or an SMS). */
  const block = <T extends string | null | undefined>(s: T): T => (typeof s === 'string' ? (withoutIdentityCodes(s, removed) as T) : s);
  const line = <T extends string | null | undefined>(s: T): T => (typeof s === 'string' ? (block(s.replace(/\s+/g, ' ').trim()) as T) : s);
  const input: ErrandTemplateInput = {
    ...raw,
    recipientName: line(raw.recipientName),
    serviceName: line(raw.serviceName),
    municipalityName: line(raw.municipalityName),
    errandRef: line(raw.errandRef),
    applicantName: line(raw.applicantName),
    eServiceName: line(raw.eServiceName),
    documentTitle: line(raw.documentTitle),
    concerns: line(raw.concerns),
    actorName: line(raw.actorName),
    reason: block(raw.reason),
    text: block(raw.text),
  };
  const names: Names = {
    recipient: input.recipientName,
    service: input.serviceName,
    municipality: input.municipalityName,
    applicant: input.applicantName,
    requester: input.eServiceName ?? input.municipalityName,
    actor: actorOf(input),
  };
  const c = compose(input, names);
  return { subject: c.subject, text: layoutText(c, input.link, input.language), html: layoutHtml(c, input.link, input.language), sms: renderSms(input, names) };
}
