/**
 * Message templates: one notification event, told to one recipient, in Finnish, Swedish or English.
 *
 * The words live in three tables below (`fi`, `sv`, `en`), one per language, so a translator reads
 * and changes them in one place. Placeholders in braces are filled in by `renderMessage`:
 *
 *   {recipient}  the reader's name            {principal}  the principal's name
 *   {agent}      the agent's name             {actor}      who did it (see `DEFAULT_ACTOR`)
 *   {until}      the mandate's end date       {pMatters}   "your matters" / "your child's matters" / …
 *   {aTo}        "you" / "your child" / …     {asked} {granted}  dates of a narrowed request
 *
 * Names are only ever placed where the language needs no inflection (Finnish: as a subject, after
 * a colon, or after "henkilö(n/lle)" / "organisaatio(n/lle)"), so any name reads right.
 *
 * The texts carry names only: never an identity code or a business id.
 */
import type { Language, NotificationEvent, RecipientRole, RenderedMessage, TemplateInput } from './types.js';

/** Which side of the mandate the reader is on. */
type Side = 'principal' | 'agent';

/** One event told to one side. */
interface EventTexts {
  /** Subject line; also the start of the SMS. */
  subject: string;
  /** What happened, who did it and for whom (one or more sentences). */
  lead: string;
  /** What the reader can do now. */
  action: string;
  /** `mandate.used` of a one-off mandate: the action when the mandate is used up. */
  actionConsumed?: string;
  /** The link button's text. */
  button: string;
}

interface LanguageTexts {
  /** `<html lang>` */
  htmlLang: string;
  greeting: string;
  /** The reader's part in the mandate, as the object of "handle …" (`{pMatters}`). */
  matters: { self: string; child: string; org: string; person: string; organization: string };
  /** Who the mandate is given to, as "to …" (`{aTo}`). */
  to: { self: string; child: string; org: string; person: string; organization: string };
  /** One line saying for whom a guardian or a signatory reads this. */
  about: Record<Exclude<RecipientRole, 'principal' | 'agent'>, string>;
  /** When someone else than the usual party did it and the event's own texts do not name them. */
  byActor: string;
  labels: {
    principal: string;
    agent: string;
    issues: string;
    valid: string;
    oneOff: string;
    property: string;
    leftOutIssues: string;
    leftOutFrom: string;
    leftOutUntil: string;
    errand: string;
    municipality: string;
    consumed: string;
    stillValid: string;
  };
  /** SMS: a shortened issue list, "Early childhood education and 3 more". */
  more: string;
  closing: string[];
  footer: string;
  events: Record<NotificationEvent, Record<Side, EventTexts>>;
}

// ---------------------------------------------------------------------------------------------
// Suomi
// ---------------------------------------------------------------------------------------------

const fi: LanguageTexts = {
  htmlLang: 'fi',
  greeting: 'Hei {recipient},',
  matters: {
    self: 'asioitasi',
    child: 'lapsesi asioita',
    org: 'organisaation {principal} asioita',
    person: 'henkilön {principal} asioita',
    organization: 'organisaation {principal} asioita',
  },
  to: {
    self: 'sinulle',
    child: 'lapsellesi',
    org: 'organisaatiolle {agent}',
    person: 'henkilölle {agent}',
    organization: 'organisaatiolle {agent}',
  },
  about: {
    'principal-guardian': 'Asia koskee lastasi: {principal}.',
    'principal-signatory': 'Asia koskee organisaatiota, jonka nimenkirjoittaja olet: {principal}.',
    'agent-guardian': 'Valtuutettu on lapsesi: {agent}.',
    'agent-signatory': 'Valtuutettu on organisaatio, jonka nimenkirjoittaja olet: {agent}.',
  },
  byActor: 'Tämän teki: {actor}.',
  labels: {
    principal: 'Valtuuttaja',
    agent: 'Valtuutettu',
    issues: 'Asiat',
    valid: 'Voimassa',
    oneOff: 'Kertavaltuus: valtuus päättyy, kun sitä on käytetty kerran.',
    property: 'Kiinteistö',
    leftOutIssues: 'Näitä asioita ei annettu',
    leftOutFrom: 'Alkamispäivä: pyydettiin {asked}, annettiin {granted}.',
    leftOutUntil: 'Päättymispäivä: pyydettiin {asked}, annettiin {granted}.',
    errand: 'Asiointi',
    municipality: 'Kunta',
    consumed: 'Valtuus oli kertavaltuus. Se on nyt käytetty, eikä sitä voi käyttää uudelleen.',
    stillValid: 'Valtuus on edelleen voimassa.',
  },
  more: '{first} ja {count} muuta',
  closing: [
    'Tämä viesti on lähetetty automaattisesti. Et voi vastata tähän viestiin.',
    'Viesteissä ei koskaan lähetetä henkilötunnuksia.',
  ],
  footer: 'Puolesta – kuntien yhteinen palvelu toisen puolesta asiointiin.',
  events: {
    'mandate.requested': {
      principal: {
        subject: '{agent} pyytää sinulta valtuutusta',
        lead: '{agent} pyytää lupaa hoitaa {pMatters} kunnan asiointipalveluissa.',
        action: 'Vastaa pyyntöön. Voit hyväksyä sen, antaa vähemmän tai hylätä sen.',
        button: 'Vastaa pyyntöön',
      },
      agent: {
        subject: 'Valtuuspyyntö on lähetetty: {principal}',
        lead: 'Valtuutusta on pyydetty {aTo}. Valtuuttaja saa pyynnön ja voi hyväksyä tai hylätä sen.',
        action: 'Saat viestin, kun pyyntöön on vastattu.',
        button: 'Katso pyyntö',
      },
    },
    'mandate.awaiting-approval': {
      principal: {
        subject: '{actor} antoi valtuuden, joka odottaa hyväksyntääsi',
        lead: '{actor} antoi valtuuden {aTo}. Valtuutettu saisi hoitaa {pMatters}. Valtuus tulee voimaan vasta, kun myös sinä hyväksyt sen.',
        action: 'Hyväksy valtuus tai hylkää se.',
        button: 'Vastaa',
      },
      agent: {
        subject: 'Valtuus odottaa vielä hyväksyntää',
        lead: '{actor} antoi valtuuden {aTo}. Valtuus tulee voimaan, kun myös muut hyväksyjät ovat hyväksyneet sen.',
        action: 'Saat viestin, kun valtuus on voimassa.',
        button: 'Katso valtuus',
      },
    },
    'mandate.granted': {
      principal: {
        subject: 'Valtuus on annettu: {agent}',
        lead: '{actor} antoi valtuuden {aTo}. {agent} voi nyt hoitaa {pMatters}.',
        action: 'Voit perua valtuuden milloin tahansa.',
        button: 'Katso valtuus',
      },
      agent: {
        subject: '{actor} antoi valtuuden {aTo}',
        lead: 'Valtuudella voi hoitaa {pMatters} kunnan asiointipalveluissa.',
        action: 'Näet valtuuden tiedot palvelussa. Valtuudesta voi myös luopua milloin tahansa.',
        button: 'Katso valtuus',
      },
    },
    'mandate.narrowed': {
      principal: {
        subject: 'Valtuus on annettu osittain: {agent}',
        lead: '{actor} antoi valtuuden {aTo}, mutta vähemmän kuin pyydettiin. {agent} voi hoitaa vain alla luetellut asiat.',
        action: 'Voit perua valtuuden milloin tahansa.',
        button: 'Katso valtuus',
      },
      agent: {
        subject: '{actor} antoi valtuuden, mutta vähemmän kuin pyydettiin',
        lead: '{actor} hyväksyi valtuuspyynnön osittain. Valtuus annettiin {aTo}, mutta kaikkea pyydettyä ei annettu. Alla näet, mitä jäi pois.',
        action: 'Jos tarvitset enemmän, voit lähettää uuden pyynnön.',
        button: 'Katso valtuus',
      },
    },
    'mandate.rejected': {
      principal: {
        subject: 'Valtuuspyyntö on hylätty: {agent}',
        lead: '{actor} hylkäsi pyynnön. {agent} ei saanut valtuutusta.',
        action: 'Sinun ei tarvitse tehdä mitään.',
        button: 'Katso pyyntö',
      },
      agent: {
        subject: '{actor} hylkäsi valtuuspyynnön',
        lead: 'Valtuutusta ei annettu. Pyyntö koski {pMatters}.',
        action: 'Voit tarvittaessa lähettää uuden pyynnön.',
        button: 'Katso pyyntö',
      },
    },
    'mandate.revoked': {
      principal: {
        subject: 'Valtuus on peruttu: {agent}',
        lead: '{actor} perui valtuuden. {agent} ei voi enää hoitaa {pMatters}.',
        action: 'Sinun ei tarvitse tehdä mitään.',
        button: 'Katso valtuus',
      },
      agent: {
        subject: '{actor} perui valtuuden',
        lead: 'Valtuus on peruttu. Sillä ei voi enää hoitaa {pMatters}.',
        action: 'Sinun ei tarvitse tehdä mitään.',
        button: 'Katso valtuus',
      },
    },
    'mandate.renounced': {
      principal: {
        subject: '{actor} luopui valtuudesta',
        lead: 'Valtuus on päättynyt. {agent} ei voi enää hoitaa {pMatters}.',
        action: 'Voit halutessasi antaa valtuuden jollekulle toiselle.',
        button: 'Katso valtuus',
      },
      agent: {
        subject: 'Valtuudesta on luovuttu: {principal}',
        lead: '{actor} luopui valtuudesta. Sillä ei voi enää hoitaa {pMatters}.',
        action: 'Sinun ei tarvitse tehdä mitään.',
        button: 'Katso valtuus',
      },
    },
    'mandate.expiring': {
      principal: {
        subject: 'Valtuus päättyy {until}: {agent}',
        lead: 'Valtuus päättyy {until}. Sen jälkeen {agent} ei voi enää hoitaa {pMatters}.',
        action: 'Jos asioiden hoidon pitää jatkua, voit antaa uuden valtuuden.',
        button: 'Katso valtuus',
      },
      agent: {
        subject: 'Valtuus päättyy {until}: {principal}',
        lead: 'Valtuus päättyy {until}. Sen jälkeen sillä ei voi enää hoitaa {pMatters}.',
        action: 'Jos valtuutta tarvitaan edelleen, valtuuttaja voi antaa uuden valtuuden. Voit myös pyytää uutta valtuutusta.',
        button: 'Katso valtuus',
      },
    },
    'mandate.expired': {
      principal: {
        subject: 'Valtuus on päättynyt: {agent}',
        lead: 'Valtuus päättyi {until}. {agent} ei voi enää hoitaa {pMatters}.',
        action: 'Voit tarvittaessa antaa uuden valtuuden.',
        button: 'Katso valtuus',
      },
      agent: {
        subject: 'Valtuus on päättynyt: {principal}',
        lead: 'Valtuus päättyi {until}. Sillä ei voi enää hoitaa {pMatters}.',
        action: 'Voit tarvittaessa pyytää uutta valtuutusta.',
        button: 'Katso valtuus',
      },
    },
    'mandate.used': {
      principal: {
        subject: '{actor} käytti valtuutta',
        lead: '{actor} käytti valtuutta ja hoiti {pMatters} kunnan asiointipalvelussa.',
        action: 'Näet valtuuden käyttöhistorian palvelussa. Voit perua valtuuden milloin tahansa.',
        actionConsumed: 'Näet valtuuden käyttöhistorian palvelussa.',
        button: 'Katso käyttöhistoria',
      },
      agent: {
        subject: 'Valtuutta käytettiin: {principal}',
        lead: '{actor} käytti valtuutta kunnan asiointipalvelussa.',
        action: 'Näet valtuuden käyttöhistorian palvelussa.',
        button: 'Katso käyttöhistoria',
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Svenska
// ---------------------------------------------------------------------------------------------

const sv: LanguageTexts = {
  htmlLang: 'sv',
  greeting: 'Hej {recipient},',
  matters: {
    self: 'dina ärenden',
    child: 'ärenden för ditt barn {principal}',
    org: 'ärenden för {principal}',
    person: 'ärenden för {principal}',
    organization: 'ärenden för {principal}',
  },
  to: {
    self: 'dig',
    child: 'ditt barn {agent}',
    org: '{agent}',
    person: '{agent}',
    organization: '{agent}',
  },
  about: {
    'principal-guardian': 'Det gäller ditt barn: {principal}.',
    'principal-signatory': 'Det gäller organisationen som du tecknar firman för: {principal}.',
    'agent-guardian': 'Den befullmäktigade är ditt barn: {agent}.',
    'agent-signatory': 'Den befullmäktigade är organisationen som du tecknar firman för: {agent}.',
  },
  byActor: 'Detta gjordes av: {actor}.',
  labels: {
    principal: 'Fullmaktsgivare',
    agent: 'Befullmäktigad',
    issues: 'Ärenden',
    valid: 'Giltig',
    oneOff: 'Engångsfullmakt: fullmakten upphör när den har använts en gång.',
    property: 'Fastighet',
    leftOutIssues: 'Dessa ärenden gavs inte',
    leftOutFrom: 'Startdatum: begärt {asked}, givet {granted}.',
    leftOutUntil: 'Slutdatum: begärt {asked}, givet {granted}.',
    errand: 'Ärende',
    municipality: 'Kommun',
    consumed: 'Fullmakten var en engångsfullmakt. Den har nu använts och kan inte användas igen.',
    stillValid: 'Fullmakten gäller fortfarande.',
  },
  more: '{first} och {count} till',
  closing: [
    'Det här meddelandet har skickats automatiskt. Du kan inte svara på det.',
    'Personbeteckningar skickas aldrig i meddelanden.',
  ],
  footer: 'Puolesta – kommunernas gemensamma tjänst för att uträtta ärenden för någon annan.',
  events: {
    'mandate.requested': {
      principal: {
        subject: '{agent} ber dig om en fullmakt',
        lead: '{agent} ber om lov att sköta {pMatters} i kommunens e-tjänster.',
        action: 'Svara på förfrågan. Du kan godkänna den, ge mindre eller avslå den.',
        button: 'Svara på förfrågan',
      },
      agent: {
        subject: 'Fullmaktsförfrågan har skickats: {principal}',
        lead: 'En fullmakt har begärts för {aTo}. Fullmaktsgivaren får förfrågan och kan godkänna eller avslå den.',
        action: 'Du får ett meddelande när förfrågan har besvarats.',
        button: 'Visa förfrågan',
      },
    },
    'mandate.awaiting-approval': {
      principal: {
        subject: '{actor} har gett en fullmakt som väntar på ditt godkännande',
        lead: '{actor} har gett en fullmakt till {aTo}. Den befullmäktigade skulle få sköta {pMatters}. Fullmakten träder i kraft först när också du har godkänt den.',
        action: 'Godkänn fullmakten eller avslå den.',
        button: 'Svara',
      },
      agent: {
        subject: 'Fullmakten väntar ännu på godkännande',
        lead: '{actor} har gett en fullmakt till {aTo}. Fullmakten träder i kraft när också de andra har godkänt den.',
        action: 'Du får ett meddelande när fullmakten gäller.',
        button: 'Visa fullmakten',
      },
    },
    'mandate.granted': {
      principal: {
        subject: 'Fullmakten har getts: {agent}',
        lead: '{actor} har gett en fullmakt till {aTo}. {agent} kan nu sköta {pMatters}.',
        action: 'Du kan återkalla fullmakten när som helst.',
        button: 'Visa fullmakten',
      },
      agent: {
        subject: '{actor} har gett en fullmakt till {aTo}',
        lead: 'Med fullmakten kan man sköta {pMatters} i kommunens e-tjänster.',
        action: 'Du ser fullmaktens uppgifter i tjänsten. Man kan också avsäga sig fullmakten när som helst.',
        button: 'Visa fullmakten',
      },
    },
    'mandate.narrowed': {
      principal: {
        subject: 'Fullmakten har getts delvis: {agent}',
        lead: '{actor} har gett en fullmakt till {aTo}, men mindre än vad som begärdes. {agent} kan bara sköta de ärenden som räknas upp nedan.',
        action: 'Du kan återkalla fullmakten när som helst.',
        button: 'Visa fullmakten',
      },
      agent: {
        subject: '{actor} gav en fullmakt, men mindre än vad som begärdes',
        lead: '{actor} godkände förfrågan delvis. Fullmakten gavs till {aTo}, men inte allt som begärdes. Nedan ser du vad som lämnades bort.',
        action: 'Om mer behövs kan du skicka en ny förfrågan.',
        button: 'Visa fullmakten',
      },
    },
    'mandate.rejected': {
      principal: {
        subject: 'Fullmaktsförfrågan har avslagits: {agent}',
        lead: '{actor} avslog förfrågan. {agent} fick ingen fullmakt.',
        action: 'Du behöver inte göra något.',
        button: 'Visa förfrågan',
      },
      agent: {
        subject: '{actor} avslog fullmaktsförfrågan',
        lead: 'Ingen fullmakt gavs. Förfrågan gällde {pMatters}.',
        action: 'Du kan vid behov skicka en ny förfrågan.',
        button: 'Visa förfrågan',
      },
    },
    'mandate.revoked': {
      principal: {
        subject: 'Fullmakten har återkallats: {agent}',
        lead: '{actor} återkallade fullmakten. {agent} kan inte längre sköta {pMatters}.',
        action: 'Du behöver inte göra något.',
        button: 'Visa fullmakten',
      },
      agent: {
        subject: '{actor} har återkallat fullmakten',
        lead: 'Fullmakten har återkallats. Den kan inte längre användas för att sköta {pMatters}.',
        action: 'Du behöver inte göra något.',
        button: 'Visa fullmakten',
      },
    },
    'mandate.renounced': {
      principal: {
        subject: '{actor} har avsagt sig fullmakten',
        lead: 'Fullmakten har upphört. {agent} kan inte längre sköta {pMatters}.',
        action: 'Om du vill kan du ge en fullmakt till någon annan.',
        button: 'Visa fullmakten',
      },
      agent: {
        subject: 'Fullmakten har avsagts: {principal}',
        lead: '{actor} avsade sig fullmakten. Den kan inte längre användas för att sköta {pMatters}.',
        action: 'Du behöver inte göra något.',
        button: 'Visa fullmakten',
      },
    },
    'mandate.expiring': {
      principal: {
        subject: 'Fullmakten upphör {until}: {agent}',
        lead: 'Fullmakten upphör {until}. Efter det kan {agent} inte längre sköta {pMatters}.',
        action: 'Om ärendena ska skötas även i fortsättningen kan du ge en ny fullmakt.',
        button: 'Visa fullmakten',
      },
      agent: {
        subject: 'Fullmakten upphör {until}: {principal}',
        lead: 'Fullmakten upphör {until}. Efter det kan den inte längre användas för att sköta {pMatters}.',
        action: 'Om fullmakten behövs även i fortsättningen kan fullmaktsgivaren ge en ny. Du kan också be om en ny fullmakt.',
        button: 'Visa fullmakten',
      },
    },
    'mandate.expired': {
      principal: {
        subject: 'Fullmakten har upphört: {agent}',
        lead: 'Fullmakten upphörde {until}. {agent} kan inte längre sköta {pMatters}.',
        action: 'Du kan vid behov ge en ny fullmakt.',
        button: 'Visa fullmakten',
      },
      agent: {
        subject: 'Fullmakten har upphört: {principal}',
        lead: 'Fullmakten upphörde {until}. Den kan inte längre användas för att sköta {pMatters}.',
        action: 'Du kan vid behov be om en ny fullmakt.',
        button: 'Visa fullmakten',
      },
    },
    'mandate.used': {
      principal: {
        subject: '{actor} har använt fullmakten',
        lead: '{actor} använde fullmakten och skötte {pMatters} i kommunens e-tjänst.',
        action: 'Du ser i tjänsten hur fullmakten har använts. Du kan återkalla fullmakten när som helst.',
        actionConsumed: 'Du ser i tjänsten hur fullmakten har använts.',
        button: 'Visa användningen',
      },
      agent: {
        subject: 'Fullmakten har använts: {principal}',
        lead: '{actor} använde fullmakten i kommunens e-tjänst.',
        action: 'Du ser i tjänsten hur fullmakten har använts.',
        button: 'Visa användningen',
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// English
// ---------------------------------------------------------------------------------------------

const en: LanguageTexts = {
  htmlLang: 'en',
  greeting: 'Hello {recipient},',
  matters: {
    self: 'your matters',
    child: 'the matters of your child {principal}',
    org: 'the matters of {principal}',
    person: 'the matters of {principal}',
    organization: 'the matters of {principal}',
  },
  to: {
    self: 'you',
    child: 'your child {agent}',
    org: '{agent}',
    person: '{agent}',
    organization: '{agent}',
  },
  about: {
    'principal-guardian': 'This concerns your child: {principal}.',
    'principal-signatory': 'This concerns the organisation you sign for: {principal}.',
    'agent-guardian': 'The mandate is for your child: {agent}.',
    'agent-signatory': 'The mandate is for the organisation you sign for: {agent}.',
  },
  byActor: 'This was done by: {actor}.',
  labels: {
    principal: 'Principal',
    agent: 'Agent',
    issues: 'Matters',
    valid: 'Valid',
    oneOff: 'One-off mandate: it ends when it has been used once.',
    property: 'Property',
    leftOutIssues: 'These matters were not given',
    leftOutFrom: 'Start date: asked {asked}, given {granted}.',
    leftOutUntil: 'End date: asked {asked}, given {granted}.',
    errand: 'Errand',
    municipality: 'Municipality',
    consumed: 'This was a one-off mandate. It has now been used and cannot be used again.',
    stillValid: 'The mandate is still valid.',
  },
  more: '{first} and {count} more',
  closing: [
    'This message was sent automatically. You cannot reply to it.',
    'Identity codes are never sent in messages.',
  ],
  footer: 'Puolesta – the municipalities’ shared service for acting on behalf of another.',
  events: {
    'mandate.requested': {
      principal: {
        subject: '{agent} asks you for a mandate',
        lead: '{agent} asks for permission to handle {pMatters} in the municipality’s e-services.',
        action: 'Please answer the request. You can accept it, give less, or refuse it.',
        button: 'Answer the request',
      },
      agent: {
        subject: 'The request for a mandate was sent: {principal}',
        lead: 'A mandate has been requested for {aTo}. The principal gets the request and can accept or refuse it.',
        action: 'You will get a message when the request has been answered.',
        button: 'See the request',
      },
    },
    'mandate.awaiting-approval': {
      principal: {
        subject: '{actor} has given a mandate that needs your approval',
        lead: '{actor} has given a mandate to {aTo}. The agent would be allowed to handle {pMatters}. The mandate takes effect only when you have approved it too.',
        action: 'Please approve or refuse the mandate.',
        button: 'Answer',
      },
      agent: {
        subject: 'The mandate is still waiting for approval',
        lead: '{actor} has given a mandate to {aTo}. It takes effect when the others have approved it too.',
        action: 'You will get a message when the mandate is valid.',
        button: 'See the mandate',
      },
    },
    'mandate.granted': {
      principal: {
        subject: 'A mandate was given: {agent}',
        lead: '{actor} gave a mandate to {aTo}. {agent} can now handle {pMatters}.',
        action: 'You can revoke the mandate at any time.',
        button: 'See the mandate',
      },
      agent: {
        subject: '{actor} gave a mandate to {aTo}',
        lead: 'With the mandate, {pMatters} can be handled in the municipality’s e-services.',
        action: 'You can see the details of the mandate in the service. The mandate can also be given up at any time.',
        button: 'See the mandate',
      },
    },
    'mandate.narrowed': {
      principal: {
        subject: 'A mandate was given in part: {agent}',
        lead: '{actor} gave a mandate to {aTo}, but less than was asked. {agent} can handle only the matters listed below.',
        action: 'You can revoke the mandate at any time.',
        button: 'See the mandate',
      },
      agent: {
        subject: '{actor} gave a mandate, but less than was asked',
        lead: '{actor} accepted the request in part. The mandate was given to {aTo}, but not everything that was asked. Below you can see what was left out.',
        action: 'If more is needed, you can send a new request.',
        button: 'See the mandate',
      },
    },
    'mandate.rejected': {
      principal: {
        subject: 'The request for a mandate was refused: {agent}',
        lead: '{actor} refused the request. {agent} did not get a mandate.',
        action: 'You do not need to do anything.',
        button: 'See the request',
      },
      agent: {
        subject: '{actor} refused the request for a mandate',
        lead: 'No mandate was given. The request was about {pMatters}.',
        action: 'If needed, you can send a new request.',
        button: 'See the request',
      },
    },
    'mandate.revoked': {
      principal: {
        subject: 'The mandate was revoked: {agent}',
        lead: '{actor} revoked the mandate. {agent} can no longer handle {pMatters}.',
        action: 'You do not need to do anything.',
        button: 'See the mandate',
      },
      agent: {
        subject: '{actor} revoked the mandate',
        lead: 'The mandate has been revoked. It can no longer be used to handle {pMatters}.',
        action: 'You do not need to do anything.',
        button: 'See the mandate',
      },
    },
    'mandate.renounced': {
      principal: {
        subject: '{actor} gave up the mandate',
        lead: 'The mandate has ended. {agent} can no longer handle {pMatters}.',
        action: 'If you wish, you can give a mandate to someone else.',
        button: 'See the mandate',
      },
      agent: {
        subject: 'The mandate was given up: {principal}',
        lead: '{actor} gave up the mandate. It can no longer be used to handle {pMatters}.',
        action: 'You do not need to do anything.',
        button: 'See the mandate',
      },
    },
    'mandate.expiring': {
      principal: {
        subject: 'The mandate ends on {until}: {agent}',
        lead: 'The mandate ends on {until}. After that, {agent} can no longer handle {pMatters}.',
        action: 'If the matters should still be handled, you can give a new mandate.',
        button: 'See the mandate',
      },
      agent: {
        subject: 'The mandate ends on {until}: {principal}',
        lead: 'The mandate ends on {until}. After that, it can no longer be used to handle {pMatters}.',
        action: 'If the mandate is still needed, the principal can give a new one. You can also ask for a new mandate.',
        button: 'See the mandate',
      },
    },
    'mandate.expired': {
      principal: {
        subject: 'The mandate has ended: {agent}',
        lead: 'The mandate ended on {until}. {agent} can no longer handle {pMatters}.',
        action: 'If needed, you can give a new mandate.',
        button: 'See the mandate',
      },
      agent: {
        subject: 'The mandate has ended: {principal}',
        lead: 'The mandate ended on {until}. It can no longer be used to handle {pMatters}.',
        action: 'If needed, you can ask for a new mandate.',
        button: 'See the mandate',
      },
    },
    'mandate.used': {
      principal: {
        subject: '{actor} used the mandate',
        lead: '{actor} used the mandate to handle {pMatters} in a municipal e-service.',
        action: 'You can see in the service how the mandate has been used. You can revoke the mandate at any time.',
        actionConsumed: 'You can see in the service how the mandate has been used.',
        button: 'See how it was used',
      },
      agent: {
        subject: 'The mandate was used: {principal}',
        lead: '{actor} used the mandate in a municipal e-service.',
        action: 'You can see in the service how the mandate has been used.',
        button: 'See how it was used',
      },
    },
  },
};

/** The three tables, for translators' tooling and tests. */
export const TEMPLATE_TEXTS: Readonly<Record<Language, LanguageTexts>> = { fi, sv, en };

// ---------------------------------------------------------------------------------------------
// Who is told what
// ---------------------------------------------------------------------------------------------

const PRINCIPAL_SIDE: readonly RecipientRole[] = ['principal', 'principal-guardian', 'principal-signatory'];
const AGENT_SIDE: readonly RecipientRole[] = ['agent', 'agent-guardian', 'agent-signatory'];

/**
 * The roles each event is normally sent to. `renderMessage` renders every role (the other side
 * reads a plain confirmation), but the notification planner uses this table.
 */
export const EVENT_RECIPIENT_ROLES: Readonly<Record<NotificationEvent, readonly RecipientRole[]>> = {
  'mandate.requested': PRINCIPAL_SIDE,
  'mandate.awaiting-approval': ['principal-guardian', 'principal-signatory'],
  'mandate.granted': [...PRINCIPAL_SIDE, ...AGENT_SIDE],
  'mandate.narrowed': [...PRINCIPAL_SIDE, ...AGENT_SIDE],
  'mandate.rejected': AGENT_SIDE,
  'mandate.revoked': [...PRINCIPAL_SIDE, ...AGENT_SIDE],
  'mandate.renounced': PRINCIPAL_SIDE,
  'mandate.expiring': [...PRINCIPAL_SIDE, ...AGENT_SIDE],
  'mandate.expired': [...PRINCIPAL_SIDE, ...AGENT_SIDE],
  'mandate.used': PRINCIPAL_SIDE,
};

/** Who did it when the input names no one else. */
const DEFAULT_ACTOR: Record<NotificationEvent, Side> = {
  'mandate.requested': 'agent',
  'mandate.awaiting-approval': 'principal',
  'mandate.granted': 'principal',
  'mandate.narrowed': 'principal',
  'mandate.rejected': 'principal',
  'mandate.revoked': 'principal',
  'mandate.renounced': 'agent',
  'mandate.expiring': 'principal',
  'mandate.expired': 'principal',
  'mandate.used': 'agent',
};

// ---------------------------------------------------------------------------------------------
// Formatting helpers
// ---------------------------------------------------------------------------------------------

const ENGLISH_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2026-12-01` → fi/sv `1.12.2026`, en `1 December 2026`. */
export function formatDate(isoDate: string, language: Language): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new TypeError(`not a date (YYYY-MM-DD): ${JSON.stringify(isoDate)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (language === 'en') return ENGLISH_DATE.format(new Date(Date.UTC(year, month - 1, day)));
  return `${day}.${month}.${year}`;
}

/** "a, b and c" in the language. */
const LIST_FORMATS = new Map<Language, Intl.ListFormat>();
export function formatList(items: readonly string[], language: Language): string {
  let f = LIST_FORMATS.get(language);
  if (!f) LIST_FORMATS.set(language, (f = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' })));
  return f.format(items);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Replaces `{name}` with `values.name`; an unknown placeholder is a bug in a table. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`template placeholder {${key}} has no value`);
    return v;
  });
}

function sideOf(role: RecipientRole): Side {
  return role.startsWith('principal') ? 'principal' : 'agent';
}

/** The longest SMS a message may be (one GSM segment's worth of characters). */
export const SMS_MAX = 160;

/** Shortens a name to at most `max` characters, ending in "…". */
export function truncateName(name: string, max: number): string {
  const chars = Array.from(name);
  return chars.length <= max ? name : `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** One message's parts, filled in, before layout (shared with the errand templates). */
export interface MessageParts {
  subject: string;
  greeting: string;
  lead: string[];
  /**
   * Labelled values, labelled lists, plain lines, and labelled blocks: a block is text someone
   * wrote (a reason, a caseworker's request), kept with its line breaks.
   */
  details: Array<{ label: string; value: string } | { label: string; list: string[] } | { line: string } | { label: string; block: string }>;
  action: string;
  button: string;
}
type Composed = MessageParts;

/** Fills one event's texts for one reader, with the given names (full ones, or shortened ones for SMS). */
function compose(input: TemplateInput, names: { recipient: string; principal: string; agent: string; actor: string }): Composed {
  const t = TEMPLATE_TEXTS[input.language];
  const side = sideOf(input.role);
  const ev = t.events[input.event][side];
  const from = formatDate(input.validFrom, input.language);
  const until = formatDate(input.validUntil, input.language);
  const base: Record<string, string> = { ...names, from, until };
  const mattersKey =
    input.role === 'principal' ? 'self' : input.role === 'principal-guardian' ? 'child' : input.role === 'principal-signatory' ? 'org' : input.principal.kind;
  const toKey = input.role === 'agent' ? 'self' : input.role === 'agent-guardian' ? 'child' : input.role === 'agent-signatory' ? 'org' : input.agent.kind;
  const values = { ...base, pMatters: fill(t.matters[mattersKey], base), aTo: fill(t.to[toKey], base) };

  const lead = [fill(ev.lead, values)];
  if (!ev.lead.includes('{actor}') && (input.actorName !== undefined || ev.subject.includes('{actor}'))) lead.push(fill(t.byActor, values));
  if (input.role !== 'principal' && input.role !== 'agent') lead.push(fill(t.about[input.role], values));

  const L = t.labels;
  const details: Composed['details'] = [
    { label: L.principal, value: names.principal },
    { label: L.agent, value: names.agent },
  ];
  if (input.issues.length > 0) details.push({ label: L.issues, list: input.issues });
  details.push({ label: L.valid, value: `${from} – ${until}` });
  if (input.oneOff) details.push({ line: L.oneOff });
  if (input.property) details.push({ label: L.property, value: input.property });
  if (input.event === 'mandate.narrowed' && input.leftOut) {
    const lo = input.leftOut;
    if (lo.issues.length > 0) details.push({ label: L.leftOutIssues, list: lo.issues });
    for (const [change, tpl] of [
      [lo.validFrom, L.leftOutFrom],
      [lo.validUntil, L.leftOutUntil],
    ] as const) {
      if (change) {
        details.push({
          line: fill(tpl, { asked: formatDate(change.asked, input.language), granted: formatDate(change.granted, input.language) }),
        });
      }
    }
  }
  if (input.event === 'mandate.used' && input.use) {
    details.push({ label: L.errand, value: input.use.errandRef });
    details.push({ label: L.municipality, value: input.use.municipalityName });
    details.push({ line: input.use.consumed ? L.consumed : L.stillValid });
  }

  const consumed = input.event === 'mandate.used' && input.use?.consumed === true;
  return {
    subject: fill(ev.subject, values),
    greeting: fill(t.greeting, values),
    lead,
    details,
    action: consumed && ev.actionConsumed ? ev.actionConsumed : ev.action,
    button: ev.button,
  };
}

/** The plain-text layout: greeting, lead, details, action, the link, the closing lines. */
export function layoutText(c: MessageParts, link: string, language: Language): string {
  const t = TEMPLATE_TEXTS[language];
  const detailLines = c.details.map((d) =>
    'line' in d
      ? d.line
      : 'list' in d
        ? `${d.label}:\n${d.list.map((i) => `- ${i}`).join('\n')}`
        : 'block' in d
          ? `${d.label}:\n${d.block.split(/\r?\n/).map((l) => `  ${l}`.trimEnd()).join('\n')}`
          : `${d.label}: ${d.value}`,
  );
  return [c.greeting, c.lead.join('\n'), detailLines.join('\n'), c.action, `${c.button}: ${link}`, [...t.closing, t.footer].join('\n')].join('\n\n') + '\n';
}

const S = {
  body: 'margin:0;padding:0;background-color:#f2f2f2;',
  card: 'max-width:600px;margin:0 auto;padding:24px;background-color:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:18px;line-height:1.5;color:#1a1a1a;',
  h1: 'margin:0 0 16px 0;font-size:24px;line-height:1.3;color:#1a1a1a;',
  p: 'margin:0 0 16px 0;',
  ul: 'margin:0 0 16px 0;padding-left:24px;',
  button: 'display:inline-block;padding:14px 28px;background-color:#00587a;color:#ffffff;font-size:18px;font-weight:bold;text-decoration:none;border-radius:6px;',
  small: 'margin:24px 0 0 0;font-size:15px;color:#4a4a4a;',
  block: 'margin:0 0 16px 0;padding:8px 16px;border-left:4px solid #00587a;background-color:#f7f7f7;',
};

/** The HTML layout (inline styles only, every text escaped): the same content as `layoutText`. */
export function layoutHtml(c: MessageParts, link: string, language: Language): string {
  const t = TEMPLATE_TEXTS[language];
  const e = escapeHtml;
  const details = c.details
    .map((d) =>
      'line' in d
        ? `<p style="${S.p}">${e(d.line)}</p>`
        : 'list' in d
          ? `<p style="${S.p}margin-bottom:4px;"><strong>${e(d.label)}:</strong></p>\n<ul style="${S.ul}">${d.list.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`
          : 'block' in d
            ? `<p style="${S.p}margin-bottom:4px;"><strong>${e(d.label)}:</strong></p>\n<p style="${S.block}">${d.block.split(/\r?\n/).map(e).join('<br>')}</p>`
            : `<p style="${S.p}"><strong>${e(d.label)}:</strong> ${e(d.value)}</p>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${e(t.htmlLang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(c.subject)}</title>
</head>
<body style="${S.body}">
<div style="${S.card}">
<h1 style="${S.h1}">${e(c.subject)}</h1>
<p style="${S.p}">${e(c.greeting)}</p>
${c.lead.map((l) => `<p style="${S.p}">${e(l)}</p>`).join('\n')}
${details}
<p style="${S.p}">${e(c.action)}</p>
<p style="${S.p}"><a href="${e(link)}" style="${S.button}">${e(c.button)}</a></p>
<p style="${S.small}">${[...t.closing, t.footer].map(e).join('<br>')}</p>
</div>
</body>
</html>
`;
}

/**
 * One line ≤ 160 characters: what happened, the issues, the link. Too long → the issue list becomes
 * "first and N more", then the names are shortened, then the issues are left out; the link is
 * never cut.
 */
function renderSms(input: TemplateInput, actor: string): string {
  const t = TEMPLATE_TEXTS[input.language];
  const issuesFull = input.issues.length > 0 ? formatList(input.issues, input.language) : '';
  const issuesShort = input.issues.length > 1 ? fill(t.more, { first: input.issues[0]!, count: String(input.issues.length - 1) }) : issuesFull;
  const line = (nameMax: number, issues: string): string => {
    const n = (s: string) => (nameMax === Infinity ? s : truncateName(s, nameMax));
    const subject = compose(input, { recipient: n(input.recipientName), principal: n(input.principal.name), agent: n(input.agent.name), actor: n(actor) }).subject;
    return `${subject}${issues ? ` (${issues})` : ''}. ${input.link}`;
  };
  const attempts: Array<[number, string]> = [
    [Infinity, issuesFull],
    [Infinity, issuesShort],
    [24, issuesShort],
    [24, ''],
    [12, ''],
    [4, ''],
  ];
  for (const [max, issues] of attempts) {
    const s = line(max, issues);
    if (s.length <= SMS_MAX) return s;
  }
  return input.link;
}

/** Renders one notification for one reader in the reader's language. */
export function renderMessage(input: TemplateInput): RenderedMessage {
  if (!/^https?:\/\//.test(input.link)) throw new TypeError('the link must be an absolute http(s) address');
  const actor = input.actorName ?? (DEFAULT_ACTOR[input.event] === 'agent' ? input.agent.name : input.principal.name);
  const c = compose(input, { recipient: input.recipientName, principal: input.principal.name, agent: input.agent.name, actor });
  return { subject: c.subject, text: layoutText(c, input.link, input.language), html: layoutHtml(c, input.link, input.language), sms: renderSms(input, actor) };
}
