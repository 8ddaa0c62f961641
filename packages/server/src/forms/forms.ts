/**
 * The shape of an errand form: a JSON Schema (draft 2020-12, the subset ajv supports) whose
 * properties carry their labels in Finnish, Swedish and English as annotation keywords
 * (`x-title`, `x-help`, `x-enum-titles`). The same object is published in the catalogue's service
 * detail and used by the server to validate what a user submits.
 */

import type { FormEnumTitles, FormTexts } from '@puolesta/domain';
export type { FormEnumTitles, FormTexts };

export const FORM_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema' as const;

/** A condition between fields: "if these properties have these values, then these are required". */
export interface FormCondition {
  readonly if: {
    readonly properties: Readonly<Record<string, { readonly const: string | number | boolean }>>;
    readonly required: readonly string[];
  };
  readonly then: { readonly required: readonly string[] };
}

interface FormFieldBase {
  /** The English title (plain JSON Schema readers show this one). */
  readonly title: string;
  readonly 'x-title': FormTexts;
  readonly 'x-help'?: FormTexts;
}

export interface FormStringField extends FormFieldBase {
  readonly type: 'string';
  readonly maxLength: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly format?: 'date' | 'email';
  readonly enum?: readonly string[];
  readonly 'x-enum-titles'?: FormEnumTitles;
}

export interface FormIntegerField extends FormFieldBase {
  readonly type: 'integer';
  readonly minimum: number;
  readonly maximum: number;
  readonly multipleOf?: number;
  readonly enum?: readonly number[];
  readonly 'x-enum-titles'?: FormEnumTitles;
}

export interface FormNumberField extends FormFieldBase {
  readonly type: 'number';
  readonly minimum: number;
  readonly maximum: number;
}

export interface FormBooleanField extends FormFieldBase {
  readonly type: 'boolean';
}

export interface FormObjectField extends FormFieldBase {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, FormField>>;
  readonly required: readonly string[];
  readonly additionalProperties: false;
  readonly allOf?: readonly FormCondition[];
}

export interface FormArrayField extends FormFieldBase {
  readonly type: 'array';
  readonly items: FormField;
  readonly minItems?: number;
  readonly maxItems: number;
  readonly uniqueItems?: boolean;
}

export type FormField =
  | FormStringField
  | FormIntegerField
  | FormNumberField
  | FormBooleanField
  | FormObjectField
  | FormArrayField;

/** One errand form: the root object of a service's form data. */
export interface ErrandForm {
  readonly $schema: typeof FORM_SCHEMA_DIALECT;
  readonly type: 'object';
  readonly title: string;
  readonly 'x-title': FormTexts;
  readonly 'x-help'?: FormTexts;
  readonly properties: Readonly<Record<string, FormField>>;
  readonly required: readonly string[];
  readonly additionalProperties: false;
  readonly allOf?: readonly FormCondition[];
  /** Valid, realistic filled-in examples; `examples[0]` always exists. No personal data. */
  readonly examples: readonly [Readonly<Record<string, unknown>>, ...Readonly<Record<string, unknown>>[]];
}

// ---------------------------------------------------------------------------------------------
// Builders: each returns plain JSON Schema data, so the forms below read like the forms they are.

type Option<V extends string | number> = readonly [value: V, fi: string, sv: string, en: string];

const t = (fi: string, sv: string, en: string): FormTexts => ({ fi, sv, en });

function labels(title: FormTexts, help?: FormTexts): FormFieldBase {
  return help ? { title: title.en, 'x-title': title, 'x-help': help } : { title: title.en, 'x-title': title };
}

function enumTitles<V extends string | number>(options: readonly Option<V>[]): FormEnumTitles {
  return {
    fi: options.map((o) => o[1]),
    sv: options.map((o) => o[2]),
    en: options.map((o) => o[3]),
  };
}

function text(
  title: FormTexts,
  maxLength: number,
  more: { help?: FormTexts; pattern?: string; minLength?: number } = {},
): FormStringField {
  return {
    type: 'string',
    ...labels(title, more.help),
    maxLength,
    ...(more.minLength !== undefined ? { minLength: more.minLength } : {}),
    ...(more.pattern !== undefined ? { pattern: more.pattern } : {}),
  };
}

/** A required free text must not be empty. */
const filled = (title: FormTexts, maxLength: number, help?: FormTexts): FormStringField =>
  text(title, maxLength, { minLength: 1, ...(help ? { help } : {}) });

function date(title: FormTexts, help?: FormTexts): FormStringField {
  return { type: 'string', ...labels(title, help), format: 'date', maxLength: 10 };
}

function email(title: FormTexts, help?: FormTexts): FormStringField {
  return { type: 'string', ...labels(title, help), format: 'email', maxLength: 254 };
}

/** A Finnish or international phone number: digits, spaces, dashes, an optional leading +. */
function phone(title: FormTexts): FormStringField {
  return text(title, 20, { pattern: '^\\+?[0-9][0-9 -]{4,18}$' });
}

function int(
  title: FormTexts,
  minimum: number,
  maximum: number,
  more: { help?: FormTexts; multipleOf?: number } = {},
): FormIntegerField {
  return {
    type: 'integer',
    ...labels(title, more.help),
    minimum,
    maximum,
    ...(more.multipleOf !== undefined ? { multipleOf: more.multipleOf } : {}),
  };
}

function bool(title: FormTexts, help?: FormTexts): FormBooleanField {
  return { type: 'boolean', ...labels(title, help) };
}

function choice(title: FormTexts, options: readonly Option<string>[], help?: FormTexts): FormStringField {
  return {
    type: 'string',
    ...labels(title, help),
    maxLength: Math.max(...options.map((o) => o[0].length)),
    enum: options.map((o) => o[0]),
    'x-enum-titles': enumTitles(options),
  };
}

function intChoice(title: FormTexts, options: readonly Option<number>[], help?: FormTexts): FormIntegerField {
  const values = options.map((o) => o[0]);
  return {
    type: 'integer',
    ...labels(title, help),
    minimum: Math.min(...values),
    maximum: Math.max(...values),
    enum: values,
    'x-enum-titles': enumTitles(options),
  };
}

/** Several of the options, each at most once. */
function choices(
  title: FormTexts,
  options: readonly Option<string>[],
  more: { minItems?: number; help?: FormTexts } = {},
): FormArrayField {
  return {
    type: 'array',
    ...labels(title, more.help),
    items: choice(title, options),
    ...(more.minItems !== undefined ? { minItems: more.minItems } : {}),
    maxItems: options.length,
    uniqueItems: true,
  };
}

function group(
  title: FormTexts,
  properties: Record<string, FormField>,
  required: readonly string[],
  more: { help?: FormTexts; allOf?: readonly FormCondition[] } = {},
): FormObjectField {
  return {
    type: 'object',
    ...labels(title, more.help),
    properties,
    required,
    additionalProperties: false,
    ...(more.allOf ? { allOf: more.allOf } : {}),
  };
}

function list(
  title: FormTexts,
  items: FormField,
  minItems: number,
  maxItems: number,
  help?: FormTexts,
): FormArrayField {
  return { type: 'array', ...labels(title, help), items, ...(minItems > 0 ? { minItems } : {}), maxItems };
}

/** "When `field` is `value`, these fields are required." */
function when(field: string, value: string | number | boolean, required: readonly string[]): FormCondition {
  return { if: { properties: { [field]: { const: value } }, required: [field] }, then: { required } };
}

function form(
  title: FormTexts,
  properties: Record<string, FormField>,
  required: readonly string[],
  examples: ErrandForm['examples'],
  more: { help?: FormTexts; allOf?: readonly FormCondition[] } = {},
): ErrandForm {
  return {
    $schema: FORM_SCHEMA_DIALECT,
    type: 'object',
    title: title.en,
    'x-title': title,
    ...(more.help ? { 'x-help': more.help } : {}),
    properties,
    required,
    additionalProperties: false,
    ...(more.allOf ? { allOf: more.allOf } : {}),
    examples,
  };
}

// Fields several forms share.
const additionalInfo = text(t('Lisätietoja', 'Ytterligare information', 'Additional information'), 2000);
const contactEmail = email(t('Yhteyssähköposti', 'E-post för kontakt', 'Contact e-mail'));
const contactPhone = phone(t('Yhteyspuhelin', 'Telefon för kontakt', 'Contact phone'));
const personName = (title: FormTexts): FormStringField => filled(title, 120);
const BUSINESS_ID = '^[0-9]{7}-[0-9]$';
const businessId = text(t('Y-tunnus', 'FO-nummer', 'Business ID'), 9, {
  pattern: BUSINESS_ID,
  help: t('Muodossa 1234567-8', 'I formen 1234567-8', 'In the form 1234567-8'),
});

// ---------------------------------------------------------------------------------------------
// Early childhood education and basic education

const eceApplication = form(
  t('Varhaiskasvatushakemus', 'Ansökan om småbarnspedagogik', 'Early childhood education application'),
  {
    startDate: date(
      t('Toivottu aloituspäivä', 'Önskat startdatum', 'Preferred start date'),
      t(
        'Hae vähintään neljä kuukautta ennen aloitusta, kiireellisissä tapauksissa kaksi viikkoa.',
        'Ansök minst fyra månader före start, i brådskande fall två veckor.',
        'Apply at least four months before the start, two weeks in urgent cases.',
      ),
    ),
    urgent: bool(
      t('Kiireellinen hakemus', 'Brådskande ansökan', 'Urgent application'),
      t(
        'Työ tai opiskelu alkaa yllättäen alle neljän kuukauden päästä.',
        'Arbete eller studier börjar oväntat inom fyra månader.',
        'Work or studies start unexpectedly within four months.',
      ),
    ),
    careForm: choice(t('Varhaiskasvatusmuoto', 'Form av småbarnspedagogik', 'Form of care'), [
      ['daycare-centre', 'Päiväkoti', 'Daghem', 'Day-care centre'],
      ['family-daycare', 'Perhepäivähoito', 'Familjedagvård', 'Family day care'],
      ['group-family-daycare', 'Ryhmäperhepäivähoito', 'Gruppfamiljedagvård', 'Group family day care'],
      ['club', 'Kerho', 'Klubb', 'Club'],
      ['preschool-supplementary', 'Esiopetusta täydentävä', 'Kompletterande till förskola', 'Supplementing pre-primary'],
    ]),
    dailyHours: int(t('Hoitotunnit päivässä', 'Vårdtimmar per dag', 'Hours of care per day'), 1, 12),
    daysPerWeek: int(t('Hoitopäivät viikossa', 'Vårddagar per vecka', 'Days of care per week'), 1, 7),
    shiftCare: bool(
      t('Vuorohoidon tarve', 'Behov av skiftvård', 'Needs shift care'),
      t('Ilta-, yö- tai viikonloppuhoito', 'Kvälls-, natt- eller veckoslutsvård', 'Evening, night or weekend care'),
    ),
    languageOfCare: choice(t('Varhaiskasvatuksen kieli', 'Småbarnspedagogikens språk', 'Language of care'), [
      ['fi', 'suomi', 'finska', 'Finnish'],
      ['sv', 'ruotsi', 'svenska', 'Swedish'],
      ['sv-immersion', 'ruotsin kielikylpy', 'språkbad på svenska', 'Swedish immersion'],
      ['en', 'englanti', 'engelska', 'English'],
    ]),
    preferredUnits: list(
      t('Toivotut yksiköt', 'Önskade enheter', 'Preferred units'),
      filled(t('Yksikkö', 'Enhet', 'Unit'), 120),
      1,
      3,
      t('Enintään kolme, toivejärjestyksessä', 'Högst tre, i önskad ordning', 'Up to three, in order of preference'),
    ),
    siblingInUnit: bool(t('Sisarus samassa yksikössä', 'Syskon i samma enhet', 'Sibling in the same unit')),
    specialNeeds: bool(
      t('Tuen tarve', 'Behov av stöd', 'Special needs'),
      t(
        'Lapsella on kehitykseen, oppimiseen tai terveyteen liittyvä tuen tarve.',
        'Barnet har behov av stöd för utveckling, lärande eller hälsa.',
        'The child needs support for development, learning or health.',
      ),
    ),
    specialNeedsDescription: text(t('Tuen tarpeen kuvaus', 'Beskrivning av stödbehovet', 'Description of needs'), 2000),
    additionalInfo,
  },
  ['startDate', 'careForm', 'dailyHours', 'daysPerWeek', 'languageOfCare', 'preferredUnits', 'specialNeeds'],
  [
    {
      startDate: '2027-08-09',
      urgent: false,
      careForm: 'daycare-centre',
      dailyHours: 8,
      daysPerWeek: 5,
      shiftCare: false,
      languageOfCare: 'fi',
      preferredUnits: ['Päiväkoti Satakieli', 'Päiväkoti Kielo'],
      siblingInUnit: true,
      specialNeeds: true,
      specialNeedsDescription: 'Pähkinäallergia; adrenaliinikynä mukana.',
      additionalInfo: 'Toivomme samaa ryhmää kuin sisaruksella.',
    },
  ],
  { allOf: [when('specialNeeds', true, ['specialNeedsDescription'])] },
);

const schoolTransfer = form(
  t('Koulunvaihtohakemus', 'Ansökan om byte av skola', 'School transfer application'),
  {
    currentSchool: filled(t('Nykyinen koulu', 'Nuvarande skola', 'Current school'), 120),
    requestedSchool: filled(t('Haettu koulu', 'Önskad skola', 'Requested school'), 120),
    grade: int(t('Vuosiluokka', 'Årskurs', 'Grade'), 1, 9),
    transferDate: date(t('Toivottu vaihtopäivä', 'Önskat datum för byte', 'Preferred transfer date')),
    reason: choice(t('Hakemuksen peruste', 'Grund för ansökan', 'Reason'), [
      ['move', 'Muutto', 'Flytt', 'Moving house'],
      ['sibling', 'Sisarus koulussa', 'Syskon i skolan', 'Sibling at the school'],
      ['weighted-curriculum', 'Painotettu opetus', 'Undervisning med tyngdpunkt', 'Weighted curriculum'],
      ['language', 'Kieliohjelma', 'Språkprogram', 'Language programme'],
      ['distance', 'Koulumatka', 'Skolväg', 'Journey to school'],
      ['wellbeing', 'Hyvinvointi', 'Välmående', 'Wellbeing'],
      ['other', 'Muu', 'Annan', 'Other'],
    ]),
    reasonDetails: text(t('Perustelut', 'Motivering', 'Details'), 2000),
    schoolTransport: bool(t('Koulukuljetuksen tarve', 'Behov av skolskjuts', 'Needs school transport')),
    afternoonActivities: bool(
      t('Hakee iltapäivätoimintaan', 'Söker till eftermiddagsverksamhet', 'Applies for afternoon activities'),
    ),
  },
  ['currentSchool', 'requestedSchool', 'grade', 'transferDate', 'reason'],
  [
    {
      currentSchool: 'Kaleva koulu',
      requestedSchool: 'Keravanjoen koulu',
      grade: 4,
      transferDate: '2027-01-08',
      reason: 'move',
      reasonDetails: 'Perhe muuttaa joulukuussa Keravanjoen alueelle.',
      schoolTransport: false,
      afternoonActivities: true,
    },
  ],
  { allOf: [when('reason', 'other', ['reasonDetails'])] },
);

const eceIncome = form(
  t('Tuloselvitys varhaiskasvatusmaksua varten', 'Inkomstutredning för avgift', 'Income statement for ECE fees'),
  {
    basis: choice(
      t('Maksun peruste', 'Grund för avgiften', 'Basis of the fee'),
      [
        ['income-statement', 'Annan tuloselvitys', 'Inkomstutredning', 'I state our income'],
        ['highest-fee', 'Hyväksyn korkeimman maksun', 'Jag godkänner den högsta avgiften', 'I accept the highest fee'],
      ],
      t(
        'Korkeimman maksun hyväksyessäsi tuloja ei tarvitse selvittää.',
        'Om du godkänner den högsta avgiften behöver inkomsterna inte utredas.',
        'If you accept the highest fee, you need not state your income.',
      ),
    ),
    householdSize: int(t('Perheen koko', 'Familjens storlek', 'Family size'), 2, 15),
    monthlyGrossIncomeEur: int(
      t('Perheen bruttotulot kuukaudessa (€)', 'Familjens bruttoinkomster per månad (€)', 'Family gross income per month (€)'),
      0,
      1_000_000,
    ),
    incomeTypes: choices(t('Tulolajit', 'Inkomstslag', 'Types of income'), [
      ['salary', 'Palkka', 'Lön', 'Salary'],
      ['entrepreneur', 'Yrittäjätulo', 'Företagarinkomst', 'Business income'],
      ['pension', 'Eläke', 'Pension', 'Pension'],
      ['unemployment', 'Työttömyysetuus', 'Arbetslöshetsförmån', 'Unemployment benefit'],
      ['parental', 'Vanhempainpäiväraha', 'Föräldradagpenning', 'Parental allowance'],
      ['capital', 'Pääomatulo', 'Kapitalinkomst', 'Capital income'],
      ['other', 'Muu', 'Annan', 'Other'],
    ]),
    validFrom: date(t('Voimassa alkaen', 'Gäller från', 'Valid from')),
    additionalInfo,
  },
  ['basis', 'householdSize', 'validFrom'],
  [
    {
      basis: 'income-statement',
      householdSize: 4,
      monthlyGrossIncomeEur: 6350,
      incomeTypes: ['salary', 'parental'],
      validFrom: '2027-08-01',
    },
  ],
  {
    allOf: [when('basis', 'income-statement', ['monthlyGrossIncomeEur', 'incomeTypes'])],
    help: t(
      'Liitteet (palkkatodistukset) toimitetaan erikseen.',
      'Bilagor (löneintyg) lämnas separat.',
      'Attachments (pay slips) are delivered separately.',
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// Building control, waste and water

const buildingPermit = form(
  t('Rakennuslupahakemus', 'Ansökan om bygglov', 'Building permit application'),
  {
    projectType: choice(t('Hankkeen laji', 'Typ av projekt', 'Type of project'), [
      ['new-detached-house', 'Uusi pientalo', 'Nytt småhus', 'New detached house'],
      ['extension', 'Laajennus', 'Tillbyggnad', 'Extension'],
      ['holiday-home', 'Loma-asunto', 'Fritidsbostad', 'Holiday home'],
      ['outbuilding', 'Talousrakennus', 'Ekonomibyggnad', 'Outbuilding'],
      ['renovation', 'Korjaus tai muutos', 'Reparation eller ändring', 'Renovation or alteration'],
      ['change-of-use', 'Käyttötarkoituksen muutos', 'Ändrat användningsändamål', 'Change of use'],
    ]),
    description: filled(t('Hankkeen kuvaus', 'Beskrivning av projektet', 'Description of the project'), 4000),
    measures: group(
      t('Mitat', 'Mått', 'Measures'),
      {
        grossAreaM2: int(t('Kokonaisala (m²)', 'Våningsyta brutto (m²)', 'Gross area (m²)'), 1, 100_000),
        floorAreaM2: int(
          t('Kerrosala (m²)', 'Våningsyta (m²)', 'Floor area (m²)'),
          0,
          100_000,
          { help: t('Asemakaavan mukainen kerrosala', 'Våningsyta enligt detaljplanen', 'Floor area as in the local detailed plan') },
        ),
        volumeM3: int(t('Tilavuus (m³)', 'Volym (m³)', 'Volume (m³)'), 0, 1_000_000),
        floors: int(t('Kerrosluku', 'Antal våningar', 'Number of floors'), 1, 50),
        heightM: { type: 'number', ...labels(t('Korkeus (m)', 'Höjd (m)', 'Height (m)')), minimum: 0, maximum: 200 },
      },
      ['grossAreaM2', 'floors'],
    ),
    works: list(
      t('Suunnitellut työt', 'Planerade arbeten', 'Planned works'),
      group(
        t('Työ', 'Arbete', 'Work'),
        {
          category: choice(t('Työn laji', 'Typ av arbete', 'Kind of work'), [
            ['foundation', 'Perustukset', 'Grund', 'Foundation'],
            ['frame', 'Runko', 'Stomme', 'Frame'],
            ['roof', 'Katto', 'Tak', 'Roof'],
            ['facade', 'Julkisivu', 'Fasad', 'Facade'],
            ['hvac', 'Lämmitys ja ilmanvaihto', 'Värme och ventilation', 'Heating and ventilation'],
            ['plumbing', 'Vesi ja viemäri', 'Vatten och avlopp', 'Plumbing'],
            ['electrical', 'Sähkö', 'El', 'Electrical'],
            ['demolition', 'Purku', 'Rivning', 'Demolition'],
            ['landscaping', 'Piha', 'Gård', 'Landscaping'],
          ]),
          description: filled(t('Kuvaus', 'Beskrivning', 'Description'), 500),
          startDate: date(t('Alkaa', 'Börjar', 'Starts')),
          endDate: date(t('Päättyy', 'Slutar', 'Ends')),
        },
        ['category', 'description'],
      ),
      1,
      50,
    ),
    heating: choice(t('Lämmitystapa', 'Uppvärmningssätt', 'Heating system'), [
      ['district-heating', 'Kaukolämpö', 'Fjärrvärme', 'District heating'],
      ['ground-source', 'Maalämpö', 'Jordvärme', 'Ground source heat pump'],
      ['air-water', 'Ilma-vesilämpöpumppu', 'Luft-vattenvärmepump', 'Air-to-water heat pump'],
      ['electric', 'Sähkö', 'El', 'Electric'],
      ['wood', 'Puu', 'Ved', 'Wood'],
      ['none', 'Ei lämmitystä', 'Ingen uppvärmning', 'No heating'],
    ]),
    mainDesigner: group(
      t('Pääsuunnittelija', 'Huvudprojekterare', 'Principal designer'),
      {
        name: personName(t('Nimi', 'Namn', 'Name')),
        designClass: choice(t('Suunnittelutehtävän vaativuus', 'Projekteringens svårighetsgrad', 'Design class'), [
          ['exceptional', 'Poikkeuksellisen vaativa', 'Exceptionellt krävande', 'Exceptionally demanding'],
          ['demanding', 'Vaativa', 'Krävande', 'Demanding'],
          ['ordinary', 'Tavanomainen', 'Sedvanlig', 'Ordinary'],
          ['minor', 'Vähäinen', 'Ringa', 'Minor'],
        ]),
        email: contactEmail,
        phone: contactPhone,
      },
      ['name', 'designClass', 'email'],
    ),
    neighboursHeard: bool(
      t('Naapurit on kuultu', 'Grannarna har hörts', 'Neighbours have been heard'),
      t(
        'Voit hoitaa naapurien kuulemisen itse tai pyytää sitä kunnalta.',
        'Du kan själv höra grannarna eller be kommunen göra det.',
        'You may hear the neighbours yourself or ask the municipality to.',
      ),
    ),
    plannedStart: date(t('Arvioitu aloitus', 'Beräknad start', 'Estimated start')),
  },
  ['projectType', 'description', 'measures', 'works', 'heating', 'mainDesigner', 'neighboursHeard'],
  [
    {
      projectType: 'extension',
      description: 'Omakotitalon laajennus: makuuhuone ja kodinhoitohuone, yhteensä 28 m².',
      measures: { grossAreaM2: 28, floorAreaM2: 26, volumeM3: 95, floors: 1, heightM: 4.6 },
      works: [
        { category: 'foundation', description: 'Maanvarainen laatta', startDate: '2027-05-03', endDate: '2027-05-28' },
        { category: 'frame', description: 'Puurunko ja vesikatto', startDate: '2027-06-01' },
        { category: 'plumbing', description: 'Kodinhoitohuoneen vesipisteet' },
      ],
      heating: 'ground-source',
      mainDesigner: { name: 'Arkkitehtitoimisto Lehto Oy, Maija Lehto', designClass: 'ordinary', email: 'maija@lehto.example' },
      neighboursHeard: true,
      plannedStart: '2027-05-03',
    },
  ],
);

const demolitionNotice = form(
  t('Purkamisilmoitus', 'Rivningsanmälan', 'Demolition notice'),
  {
    buildingType: choice(t('Rakennuksen laji', 'Typ av byggnad', 'Type of building'), [
      ['detached-house', 'Pientalo', 'Småhus', 'Detached house'],
      ['outbuilding', 'Talousrakennus', 'Ekonomibyggnad', 'Outbuilding'],
      ['sauna', 'Sauna', 'Bastu', 'Sauna'],
      ['garage', 'Autotalli', 'Garage', 'Garage'],
      ['other', 'Muu', 'Annan', 'Other'],
    ]),
    buildingId: text(t('Pysyvä rakennustunnus', 'Permanent byggnadsbeteckning', 'Permanent building ID'), 10, {
      pattern: '^1[0-9]{8}[0-9A-Z]$',
      help: t('Löytyy kiinteistötiedoista', 'Finns i fastighetsuppgifterna', 'Found in the property details'),
    }),
    yearBuilt: int(t('Valmistumisvuosi', 'Byggnadsår', 'Year built'), 1600, 2100),
    floorAreaM2: int(t('Kerrosala (m²)', 'Våningsyta (m²)', 'Floor area (m²)'), 1, 10_000),
    start: date(t('Purku alkaa', 'Rivningen börjar', 'Demolition starts')),
    end: date(t('Purku päättyy', 'Rivningen slutar', 'Demolition ends')),
    reason: filled(t('Purkamisen syy', 'Orsak till rivningen', 'Reason for demolition'), 2000),
    hazardousMaterials: bool(
      t('Haitta-aineita (esim. asbesti)', 'Skadliga ämnen (t.ex. asbest)', 'Hazardous materials (e.g. asbestos)'),
    ),
    hazardousMaterialsPlan: text(t('Haitta-aineiden käsittely', 'Hantering av skadliga ämnen', 'Handling of hazardous materials'), 2000),
    wasteHandling: choice(t('Purkujätteen käsittely', 'Hantering av rivningsavfall', 'Handling of demolition waste'), [
      ['sorted-on-site', 'Lajitellaan työmaalla', 'Sorteras på platsen', 'Sorted on site'],
      ['contractor', 'Urakoitsija huolehtii', 'Entreprenören sköter', 'By the contractor'],
      ['waste-station', 'Jäteasemalle', 'Till avfallsstation', 'To a waste station'],
    ]),
    contractor: group(
      t('Purkuurakoitsija', 'Rivningsentreprenör', 'Demolition contractor'),
      { name: filled(t('Nimi', 'Namn', 'Name'), 200), businessId, phone: contactPhone },
      ['name'],
    ),
  },
  ['buildingType', 'yearBuilt', 'floorAreaM2', 'start', 'reason', 'hazardousMaterials', 'wasteHandling'],
  [
    {
      buildingType: 'outbuilding',
      buildingId: '103456789U',
      yearBuilt: 1958,
      floorAreaM2: 24,
      start: '2027-06-14',
      end: '2027-06-18',
      reason: 'Lahonnut puuliiteri, tilalle ei rakenneta uutta.',
      hazardousMaterials: false,
      wasteHandling: 'contractor',
      contractor: { name: 'Purku-Virtanen Oy', businessId: '2345678-9', phone: '040 123 4567' },
    },
  ],
  { allOf: [when('hazardousMaterials', true, ['hazardousMaterialsPlan'])] },
);

const wasteWeeks: readonly Option<number>[] = [
  [1, 'Joka viikko', 'Varje vecka', 'Every week'],
  [2, 'Joka toinen viikko', 'Varannan vecka', 'Every second week'],
  [4, 'Joka neljäs viikko', 'Var fjärde vecka', 'Every fourth week'],
  [8, 'Joka kahdeksas viikko', 'Var åttonde vecka', 'Every eighth week'],
  [12, 'Joka 12. viikko', 'Var 12:e vecka', 'Every twelfth week'],
  [16, 'Joka 16. viikko', 'Var 16:e vecka', 'Every sixteenth week'],
];

const wasteInterval = form(
  t('Jäteastian tyhjennysvälin muutos', 'Ändring av tömningsintervall', 'Change of waste collection interval'),
  {
    wasteType: choice(t('Jätelaji', 'Avfallsslag', 'Type of waste'), [
      ['mixed', 'Sekajäte', 'Blandavfall', 'Mixed waste'],
      ['bio', 'Biojäte', 'Bioavfall', 'Bio-waste'],
      ['cardboard', 'Kartonki', 'Kartong', 'Cardboard'],
      ['glass', 'Lasi', 'Glas', 'Glass'],
      ['metal', 'Metalli', 'Metall', 'Metal'],
      ['plastic', 'Muovi', 'Plast', 'Plastic'],
    ]),
    currentIntervalWeeks: intChoice(t('Nykyinen tyhjennysväli', 'Nuvarande tömningsintervall', 'Current interval'), wasteWeeks),
    requestedIntervalWeeks: intChoice(
      t('Haettu tyhjennysväli', 'Önskat tömningsintervall', 'Requested interval'),
      wasteWeeks,
      t(
        'Yli neljän viikon väli edellyttää biojätteen kompostointia.',
        'Intervall över fyra veckor förutsätter kompostering av bioavfall.',
        'An interval over four weeks requires composting bio-waste.',
      ),
    ),
    containerLitres: intChoice(t('Astian koko', 'Kärlets storlek', 'Container size'), [
      [140, '140 litraa', '140 liter', '140 litres'],
      [240, '240 litraa', '240 liter', '240 litres'],
      [360, '360 litraa', '360 liter', '360 litres'],
      [660, '660 litraa', '660 liter', '660 litres'],
    ]),
    residents: int(t('Asukkaita', 'Invånare', 'Residents'), 1, 50),
    composting: bool(t('Kompostoimme biojätteen', 'Vi komposterar bioavfallet', 'We compost our bio-waste')),
    sharedContainer: bool(t('Yhteisastia naapurin kanssa', 'Gemensamt kärl med grannen', 'Container shared with a neighbour')),
    sharedWith: text(t('Yhteisastian osoitteet', 'Adresser för gemensamt kärl', 'Addresses sharing the container'), 300),
    startDate: date(t('Muutos alkaen', 'Ändring från', 'Change from')),
    reason: text(t('Perustelut', 'Motivering', 'Reason'), 1000),
  },
  ['wasteType', 'currentIntervalWeeks', 'requestedIntervalWeeks', 'containerLitres', 'residents', 'composting', 'startDate'],
  [
    {
      wasteType: 'mixed',
      currentIntervalWeeks: 2,
      requestedIntervalWeeks: 4,
      containerLitres: 240,
      residents: 2,
      composting: true,
      sharedContainer: false,
      startDate: '2027-03-01',
      reason: 'Lapset muuttaneet pois, astia on tyhjennettäessä puolillaan.',
    },
  ],
  { allOf: [when('sharedContainer', true, ['sharedWith'])] },
);

const waterConnection = form(
  t('Vesihuoltoliittymähakemus', 'Ansökan om vattentjänstanslutning', 'Water connection application'),
  {
    connections: choices(
      t('Haettavat liittymät', 'Anslutningar som söks', 'Connections applied for'),
      [
        ['water', 'Vesijohto', 'Vattenledning', 'Water supply'],
        ['wastewater', 'Jätevesiviemäri', 'Spillvattenavlopp', 'Wastewater sewer'],
        ['stormwater', 'Hulevesiviemäri', 'Dagvattenavlopp', 'Stormwater sewer'],
        ['foundation-drainage', 'Perustusten kuivatus', 'Dränering av grund', 'Foundation drainage'],
      ],
      { minItems: 1 },
    ),
    buildingUse: choice(t('Rakennuksen käyttö', 'Byggnadens användning', 'Use of the building'), [
      ['detached', 'Omakotitalo', 'Egnahemshus', 'Detached house'],
      ['semi-detached', 'Paritalo', 'Parhus', 'Semi-detached house'],
      ['terraced', 'Rivitalo', 'Radhus', 'Terraced house'],
      ['holiday', 'Vapaa-ajan asunto', 'Fritidsbostad', 'Holiday home'],
      ['commercial', 'Liike- tai toimitila', 'Affärs- eller kontorslokal', 'Commercial premises'],
    ]),
    floorAreaM2: int(t('Kerrosala (m²)', 'Våningsyta (m²)', 'Floor area (m²)'), 1, 100_000),
    residents: int(t('Asukkaita', 'Invånare', 'Residents'), 0, 500),
    connectionDate: date(t('Toivottu liittymispäivä', 'Önskat anslutningsdatum', 'Preferred connection date')),
    currentWastewater: choice(t('Nykyinen jätevesijärjestelmä', 'Nuvarande avloppssystem', 'Current wastewater system'), [
      ['none', 'Ei ole', 'Inget', 'None'],
      ['septic-tank', 'Saostussäiliö', 'Slamavskiljare', 'Septic tank'],
      ['closed-tank', 'Umpisäiliö', 'Sluten tank', 'Closed tank'],
      ['treatment-plant', 'Pienpuhdistamo', 'Minireningsverk', 'Small treatment plant'],
    ]),
    ownWell: bool(t('Kiinteistöllä on oma kaivo', 'Fastigheten har egen brunn', 'The property has its own well')),
    plumber: group(
      t('Vastaava työnjohtaja (KVV)', 'Ansvarig arbetsledare (VVA)', 'Responsible plumbing supervisor'),
      { name: personName(t('Nimi', 'Namn', 'Name')), email: contactEmail, phone: contactPhone },
      ['name'],
    ),
    additionalInfo,
  },
  ['connections', 'buildingUse', 'floorAreaM2', 'connectionDate', 'currentWastewater'],
  [
    {
      connections: ['water', 'wastewater'],
      buildingUse: 'detached',
      floorAreaM2: 142,
      residents: 4,
      connectionDate: '2027-09-15',
      currentWastewater: 'septic-tank',
      ownWell: true,
      plumber: { name: 'Jari Mäkelä', phone: '+358 40 765 4321' },
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// Parking, streets and housing

const residentParking = form(
  t('Asukaspysäköintitunnus', 'Boendeparkeringstillstånd', 'Resident parking permit'),
  {
    registrationNumber: text(t('Rekisteritunnus', 'Registreringsnummer', 'Registration number'), 7, {
      pattern: '^[A-ZÅÄÖ]{1,3}-[0-9]{1,3}$',
      help: t('Esimerkiksi ABC-123', 'Till exempel ABC-123', 'For example ABC-123'),
    }),
    vehicleRelation: choice(t('Suhde ajoneuvoon', 'Förhållande till fordonet', 'Relation to the vehicle'), [
      ['owner', 'Omistaja', 'Ägare', 'Owner'],
      ['holder', 'Haltija', 'Innehavare', 'Holder'],
      ['company-car', 'Työsuhdeauto', 'Förmånsbil', 'Company car'],
      ['leasing', 'Leasing-auto', 'Leasingbil', 'Leased car'],
    ]),
    zone: choice(t('Asukaspysäköintialue', 'Boendeparkeringsområde', 'Parking zone'), [
      ['A', 'Alue A (keskusta)', 'Område A (centrum)', 'Zone A (centre)'],
      ['B', 'Alue B', 'Område B', 'Zone B'],
      ['C', 'Alue C', 'Område C', 'Zone C'],
      ['D', 'Alue D', 'Område D', 'Zone D'],
    ]),
    lowEmission: bool(
      t('Vähäpäästöinen ajoneuvo', 'Utsläppssnålt fordon', 'Low-emission vehicle'),
      t('Alennettu hinta täyssähkö- ja kaasuautoille', 'Nedsatt pris för el- och gasbilar', 'Reduced price for electric and gas cars'),
    ),
    validFrom: date(t('Voimassa alkaen', 'Gäller från', 'Valid from')),
    periodMonths: intChoice(t('Voimassaoloaika', 'Giltighetstid', 'Period'), [
      [1, '1 kuukausi', '1 månad', '1 month'],
      [3, '3 kuukautta', '3 månader', '3 months'],
      [6, '6 kuukautta', '6 månader', '6 months'],
      [12, '12 kuukautta', '12 månader', '12 months'],
    ]),
    contactEmail,
  },
  ['registrationNumber', 'vehicleRelation', 'zone', 'validFrom', 'periodMonths'],
  [
    {
      registrationNumber: 'KOT-418',
      vehicleRelation: 'owner',
      zone: 'B',
      lowEmission: true,
      validFrom: '2027-02-01',
      periodMonths: 12,
      contactEmail: 'asukas@example.fi',
    },
  ],
);

const streetUsePermit = form(
  t('Katualueen käyttölupa', 'Tillstånd för användning av gatuområde', 'Street area use permit'),
  {
    purpose: choice(t('Käyttötarkoitus', 'Användningsändamål', 'Purpose'), [
      ['scaffolding', 'Rakennusteline', 'Byggnadsställning', 'Scaffolding'],
      ['skip', 'Lava tai jätesäiliö', 'Flak eller container', 'Skip or container'],
      ['site', 'Työmaa-alue', 'Arbetsplatsområde', 'Construction site'],
      ['excavation', 'Kaivutyö', 'Grävarbete', 'Excavation'],
      ['moving', 'Muuttoauto', 'Flyttbil', 'Removal van'],
      ['event', 'Tapahtuma', 'Evenemang', 'Event'],
      ['terrace', 'Terassi', 'Terrass', 'Terrace'],
    ]),
    location: filled(
      t('Sijainti', 'Plats', 'Location'),
      500,
      t('Katuosoite ja tarkempi kuvaus', 'Gatuadress och närmare beskrivning', 'Street address and a closer description'),
    ),
    areaM2: int(t('Pinta-ala (m²)', 'Yta (m²)', 'Area (m²)'), 1, 10_000),
    startDate: date(t('Alkaa', 'Börjar', 'Starts')),
    endDate: date(t('Päättyy', 'Slutar', 'Ends')),
    trafficArrangements: bool(t('Vaatii liikennejärjestelyjä', 'Kräver trafikarrangemang', 'Requires traffic arrangements')),
    trafficPlan: text(t('Liikennejärjestelysuunnitelma', 'Trafikarrangemangsplan', 'Traffic arrangement plan'), 2000),
    affectsPublicTransport: bool(t('Vaikuttaa joukkoliikenteeseen', 'Påverkar kollektivtrafiken', 'Affects public transport')),
    contactPerson: group(
      t('Vastuuhenkilö', 'Ansvarsperson', 'Person in charge'),
      { name: personName(t('Nimi', 'Namn', 'Name')), phone: contactPhone, email: contactEmail },
      ['name', 'phone'],
    ),
  },
  ['purpose', 'location', 'areaM2', 'startDate', 'endDate', 'trafficArrangements', 'contactPerson'],
  [
    {
      purpose: 'skip',
      location: 'Kauppakaari 12, jalkakäytävän vieressä olevat kaksi pysäköintiruutua',
      areaM2: 24,
      startDate: '2027-04-12',
      endDate: '2027-04-16',
      trafficArrangements: false,
      affectsPublicTransport: false,
      contactPerson: { name: 'Timo Laine', phone: '050 987 6543', email: 'timo.laine@example.fi' },
    },
  ],
  { allOf: [when('trafficArrangements', true, ['trafficPlan'])] },
);

const housingApplication = form(
  t('Vuokra-asuntohakemus', 'Hyresbostadsansökan', 'Rental housing application'),
  {
    householdMembers: int(t('Ruokakunnan koko', 'Hushållets storlek', 'Household members'), 1, 15),
    childrenUnder18: int(t('Alle 18-vuotiaita', 'Under 18 år', 'Children under 18'), 0, 14),
    incomeBracket: choice(
      t('Ruokakunnan bruttotulot kuukaudessa', 'Hushållets bruttoinkomster per månad', 'Household gross income per month'),
      [
        ['under-1500', 'alle 1 500 €', 'under 1 500 €', 'under €1,500'],
        ['1500-2499', '1 500–2 499 €', '1 500–2 499 €', '€1,500–2,499'],
        ['2500-3499', '2 500–3 499 €', '2 500–3 499 €', '€2,500–3,499'],
        ['3500-4999', '3 500–4 999 €', '3 500–4 999 €', '€3,500–4,999'],
        ['5000-or-more', 'vähintään 5 000 €', 'minst 5 000 €', '€5,000 or more'],
      ],
    ),
    apartmentSizes: choices(
      t('Haettava asuntokoko', 'Önskad bostadsstorlek', 'Apartment sizes'),
      [
        ['studio', 'Yksiö', 'Etta', 'Studio'],
        ['2-rooms', 'Kaksio', 'Tvåa', 'Two rooms'],
        ['3-rooms', 'Kolmio', 'Trea', 'Three rooms'],
        ['4-rooms', 'Neljä huonetta', 'Fyra rum', 'Four rooms'],
        ['5-rooms-or-more', 'Viisi huonetta tai enemmän', 'Fem rum eller fler', 'Five rooms or more'],
      ],
      { minItems: 1 },
    ),
    areas: list(
      t('Toivotut asuinalueet', 'Önskade bostadsområden', 'Preferred districts'),
      filled(t('Alue', 'Område', 'District'), 80),
      0,
      5,
    ),
    maxRentEur: int(t('Enimmäisvuokra (€/kk)', 'Högsta hyra (€/mån)', 'Maximum rent (€/month)'), 100, 10_000),
    moveInDate: date(t('Toivottu muuttopäivä', 'Önskat inflyttningsdatum', 'Preferred moving date')),
    currentHousing: choice(t('Nykyinen asumismuoto', 'Nuvarande boendeform', 'Current housing'), [
      ['rental', 'Vuokra-asunto', 'Hyresbostad', 'Rented'],
      ['owner-occupied', 'Omistusasunto', 'Ägarbostad', 'Owner-occupied'],
      ['with-parents', 'Vanhempien luona', 'Hos föräldrar', 'With parents'],
      ['sublet', 'Alivuokralainen', 'Andrahandshyresgäst', 'Sublet'],
      ['no-home', 'Asunnoton', 'Bostadslös', 'No home'],
      ['other', 'Muu', 'Annan', 'Other'],
    ]),
    urgencyReason: text(
      t('Asunnon tarpeen kiireellisyys', 'Hur brådskande bostadsbehovet är', 'Urgency of the need'),
      2000,
    ),
    accessibleHome: bool(t('Tarvitsee esteettömän asunnon', 'Behöver tillgänglig bostad', 'Needs an accessible home')),
    pets: bool(t('Lemmikkejä', 'Husdjur', 'Pets')),
  },
  ['householdMembers', 'childrenUnder18', 'incomeBracket', 'apartmentSizes', 'moveInDate', 'currentHousing'],
  [
    {
      householdMembers: 3,
      childrenUnder18: 1,
      incomeBracket: '2500-3499',
      apartmentSizes: ['2-rooms', '3-rooms'],
      areas: ['Kaleva', 'Savio'],
      maxRentEur: 1100,
      moveInDate: '2027-06-01',
      currentHousing: 'rental',
      urgencyReason: 'Nykyisen vuokrasopimuksen irtisanominen päättyy toukokuun lopussa.',
      accessibleHome: false,
      pets: true,
    },
  ],
  { allOf: [when('currentHousing', 'no-home', ['urgencyReason'])] },
);

// ---------------------------------------------------------------------------------------------
// Associations, leisure, employment, feedback

const associationGrant = form(
  t('Yhdistyksen toiminta-avustus', 'Verksamhetsbidrag för förening', 'Operating grant for an association'),
  {
    registerNumber: text(t('Yhdistysrekisterinumero', 'Föreningsregisternummer', 'Register of associations number'), 6, {
      pattern: '^[0-9]{1,6}$',
    }),
    grantYear: int(t('Avustusvuosi', 'Bidragsår', 'Grant year'), 2020, 2100),
    amountEur: int(t('Haettu summa (€)', 'Sökt belopp (€)', 'Amount applied for (€)'), 1, 500_000),
    members: int(t('Jäseniä', 'Medlemmar', 'Members'), 0, 1_000_000),
    membersUnder29: int(t('Alle 29-vuotiaita jäseniä', 'Medlemmar under 29 år', 'Members under 29'), 0, 1_000_000),
    purpose: filled(t('Toiminnan kuvaus', 'Beskrivning av verksamheten', 'Description of the activities'), 4000),
    activities: list(
      t('Suunnitellut tapahtumat', 'Planerade evenemang', 'Planned events'),
      group(
        t('Tapahtuma', 'Evenemang', 'Event'),
        {
          name: filled(t('Nimi', 'Namn', 'Name'), 200),
          date: date(t('Päivä', 'Datum', 'Date')),
          participants: int(t('Osallistujia', 'Deltagare', 'Participants'), 0, 100_000),
        },
        ['name'],
      ),
      0,
      30,
    ),
    budget: group(
      t('Talousarvio', 'Budget', 'Budget'),
      {
        totalCostsEur: int(t('Kulut yhteensä (€)', 'Kostnader totalt (€)', 'Total costs (€)'), 0, 10_000_000),
        ownIncomeEur: int(t('Omat tulot (€)', 'Egna intäkter (€)', 'Own income (€)'), 0, 10_000_000),
        otherGrantsEur: int(t('Muut avustukset (€)', 'Andra bidrag (€)', 'Other grants (€)'), 0, 10_000_000),
      },
      ['totalCostsEur', 'ownIncomeEur'],
    ),
    iban: text(t('Tilinumero (IBAN)', 'Kontonummer (IBAN)', 'Bank account (IBAN)'), 22, {
      pattern: '^FI[0-9]{2} ?([0-9]{4} ?){3}[0-9]{2}$',
    }),
    contactEmail,
  },
  ['grantYear', 'amountEur', 'members', 'purpose', 'budget', 'iban', 'contactEmail'],
  [
    {
      registerNumber: '123456',
      grantYear: 2027,
      amountEur: 3500,
      members: 86,
      membersUnder29: 31,
      purpose: 'Kylätalon ylläpito sekä viikoittaiset lasten liikuntakerhot ja kesätapahtuma.',
      activities: [
        { name: 'Kylän kesäjuhla', date: '2027-06-19', participants: 250 },
        { name: 'Lasten liikuntakerho', participants: 24 },
      ],
      budget: { totalCostsEur: 9800, ownIncomeEur: 5300, otherGrantsEur: 1000 },
      iban: 'FI21 1234 5600 0007 85',
      contactEmail: 'hallitus@kylayhdistys.example',
    },
  ],
);

const facilityBooking = form(
  t('Liikuntatilan vakiovuoro', 'Fast tur i idrottslokal', 'Regular sports facility booking'),
  {
    facility: filled(t('Liikuntatila', 'Idrottslokal', 'Facility'), 120),
    activity: choice(t('Laji', 'Gren', 'Activity'), [
      ['floorball', 'Salibandy', 'Innebandy', 'Floorball'],
      ['basketball', 'Koripallo', 'Basket', 'Basketball'],
      ['volleyball', 'Lentopallo', 'Volleyboll', 'Volleyball'],
      ['gymnastics', 'Voimistelu', 'Gymnastik', 'Gymnastics'],
      ['dance', 'Tanssi', 'Dans', 'Dance'],
      ['martial-arts', 'Kamppailulajit', 'Kampsporter', 'Martial arts'],
      ['other', 'Muu', 'Annan', 'Other'],
    ]),
    weekday: choice(t('Viikonpäivä', 'Veckodag', 'Weekday'), [
      ['monday', 'maanantai', 'måndag', 'Monday'],
      ['tuesday', 'tiistai', 'tisdag', 'Tuesday'],
      ['wednesday', 'keskiviikko', 'onsdag', 'Wednesday'],
      ['thursday', 'torstai', 'torsdag', 'Thursday'],
      ['friday', 'perjantai', 'fredag', 'Friday'],
      ['saturday', 'lauantai', 'lördag', 'Saturday'],
      ['sunday', 'sunnuntai', 'söndag', 'Sunday'],
    ]),
    startTime: text(t('Alkamisaika', 'Starttid', 'Start time'), 5, {
      pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
      help: t('Muodossa 18:30', 'I formen 18:30', 'In the form 18:30'),
    }),
    durationMinutes: int(t('Kesto (min)', 'Längd (min)', 'Duration (min)'), 30, 240, { multipleOf: 15 }),
    seasonStart: date(t('Kausi alkaa', 'Säsongen börjar', 'Season starts')),
    seasonEnd: date(t('Kausi päättyy', 'Säsongen slutar', 'Season ends')),
    participants: int(t('Osallistujia', 'Deltagare', 'Participants'), 1, 500),
    ageGroup: choice(t('Ikäryhmä', 'Åldersgrupp', 'Age group'), [
      ['children', 'Lapset', 'Barn', 'Children'],
      ['youth', 'Nuoret', 'Unga', 'Young people'],
      ['adults', 'Aikuiset', 'Vuxna', 'Adults'],
      ['seniors', 'Ikääntyneet', 'Äldre', 'Seniors'],
      ['mixed', 'Kaikenikäiset', 'Alla åldrar', 'All ages'],
    ]),
    accessibilityNeeds: bool(t('Esteettömyystarpeita', 'Behov av tillgänglighet', 'Accessibility needs')),
    additionalInfo,
  },
  ['facility', 'activity', 'weekday', 'startTime', 'durationMinutes', 'seasonStart', 'seasonEnd', 'participants', 'ageGroup'],
  [
    {
      facility: 'Keravan urheilutalo, sali 2',
      activity: 'floorball',
      weekday: 'tuesday',
      startTime: '18:30',
      durationMinutes: 90,
      seasonStart: '2027-08-16',
      seasonEnd: '2028-05-14',
      participants: 18,
      ageGroup: 'youth',
      accessibilityNeeds: false,
    },
  ],
);

const employmentPlan = form(
  t('Työllistymissuunnitelman päivitys', 'Uppdatering av sysselsättningsplan', 'Employment plan update'),
  {
    situation: choice(t('Nykyinen tilanne', 'Nuvarande situation', 'Current situation'), [
      ['unemployed', 'Työtön', 'Arbetslös', 'Unemployed'],
      ['laid-off', 'Lomautettu', 'Permitterad', 'Laid off'],
      ['part-time', 'Osa-aikatyössä', 'Deltidsarbete', 'Working part-time'],
      ['student', 'Opiskelija', 'Studerande', 'Student'],
      ['rehabilitation', 'Kuntoutuksessa', 'I rehabilitering', 'In rehabilitation'],
      ['employed-seeking', 'Työssä, hakee uutta', 'I arbete, söker nytt', 'Employed, seeking a new job'],
    ]),
    availableFrom: date(t('Käytettävissä alkaen', 'Tillgänglig från', 'Available from')),
    workingTime: choice(t('Toivottu työaika', 'Önskad arbetstid', 'Working time sought'), [
      ['full-time', 'Kokoaikatyö', 'Heltid', 'Full-time'],
      ['part-time', 'Osa-aikatyö', 'Deltid', 'Part-time'],
      ['either', 'Kumpi tahansa', 'Vilken som helst', 'Either'],
    ]),
    occupations: list(
      t('Haetut ammatit', 'Sökta yrken', 'Occupations sought'),
      filled(t('Ammatti', 'Yrke', 'Occupation'), 120),
      0,
      5,
    ),
    goals: list(
      t('Tavoitteet', 'Mål', 'Goals'),
      group(
        t('Tavoite', 'Mål', 'Goal'),
        {
          goal: filled(t('Tavoite', 'Mål', 'Goal'), 500),
          deadline: date(t('Määräaika', 'Tidsfrist', 'Deadline')),
        },
        ['goal'],
      ),
      1,
      10,
    ),
    willingToRelocate: bool(t('Valmis muuttamaan työn perässä', 'Beredd att flytta för arbete', 'Willing to move for work')),
    interestedInTraining: bool(t('Kiinnostunut koulutuksesta', 'Intresserad av utbildning', 'Interested in training')),
    trainingWishes: text(t('Koulutustoiveet', 'Önskemål om utbildning', 'Training wishes'), 1000),
    workAbilityLimits: bool(
      t('Työkykyä rajoittavia tekijöitä', 'Faktorer som begränsar arbetsförmågan', 'Limits on ability to work'),
    ),
    workAbilityDescription: text(t('Rajoitusten kuvaus', 'Beskrivning av begränsningarna', 'Description of the limits'), 2000),
    message: text(t('Viesti asiantuntijalle', 'Meddelande till sakkunnig', 'Message to the adviser'), 2000),
  },
  ['situation', 'availableFrom', 'workingTime', 'goals'],
  [
    {
      situation: 'laid-off',
      availableFrom: '2027-03-01',
      workingTime: 'full-time',
      occupations: ['Varastotyöntekijä', 'Trukinkuljettaja'],
      goals: [
        { goal: 'Trukkikortin suorittaminen', deadline: '2027-04-30' },
        { goal: 'Hakea viittä varastoalan paikkaa kuukaudessa' },
      ],
      willingToRelocate: false,
      interestedInTraining: true,
      trainingWishes: 'Logistiikan ammattitutkinto oppisopimuksella',
      workAbilityLimits: false,
    },
  ],
  {
    allOf: [
      when('interestedInTraining', true, ['trainingWishes']),
      when('workAbilityLimits', true, ['workAbilityDescription']),
    ],
  },
);

const feedback = form(
  t('Palaute ja neuvontapyyntö', 'Respons och rådfrågning', 'Feedback and advice request'),
  {
    kind: choice(t('Palautteen laji', 'Typ av respons', 'Kind of feedback'), [
      ['question', 'Kysymys', 'Fråga', 'Question'],
      ['suggestion', 'Kehitysehdotus', 'Förslag', 'Suggestion'],
      ['praise', 'Kiitos', 'Beröm', 'Praise'],
      ['complaint', 'Moite', 'Klagomål', 'Complaint'],
      ['fault-report', 'Vikailmoitus', 'Felanmälan', 'Fault report'],
    ]),
    topic: choice(t('Aihe', 'Ämne', 'Topic'), [
      ['ece', 'Varhaiskasvatus', 'Småbarnspedagogik', 'Early childhood education'],
      ['education', 'Opetus', 'Undervisning', 'Education'],
      ['streets-parks', 'Kadut ja puistot', 'Gator och parker', 'Streets and parks'],
      ['waste-water', 'Jäte- ja vesihuolto', 'Avfall och vatten', 'Waste and water'],
      ['building', 'Rakentaminen', 'Byggande', 'Building'],
      ['housing', 'Asuminen', 'Boende', 'Housing'],
      ['culture-leisure', 'Kulttuuri ja vapaa-aika', 'Kultur och fritid', 'Culture and leisure'],
      ['employment', 'Työllisyys', 'Sysselsättning', 'Employment'],
      ['other', 'Muu', 'Annat', 'Other'],
    ]),
    subject: filled(t('Otsikko', 'Rubrik', 'Subject'), 150),
    message: filled(t('Viesti', 'Meddelande', 'Message'), 4000),
    location: text(
      t('Paikka', 'Plats', 'Location'),
      200,
      { help: t('Osoite tai paikan kuvaus, jos asia koskee paikkaa', 'Adress eller beskrivning om ärendet gäller en plats', 'Address or description if it concerns a place') },
    ),
    wantsReply: bool(t('Haluan vastauksen', 'Jag vill ha svar', 'I would like a reply')),
    replyChannel: choice(t('Vastaustapa', 'Svarssätt', 'Reply by'), [
      ['inbox', 'Asiointipalvelun viestit', 'Meddelanden i e-tjänsten', 'Messages in the service'],
      ['email', 'Sähköposti', 'E-post', 'E-mail'],
      ['phone', 'Puhelin', 'Telefon', 'Phone'],
    ]),
    replyEmail: email(t('Sähköposti vastausta varten', 'E-post för svar', 'E-mail for the reply')),
    replyPhone: phone(t('Puhelin vastausta varten', 'Telefon för svar', 'Phone for the reply')),
  },
  ['kind', 'topic', 'subject', 'message', 'wantsReply'],
  [
    {
      kind: 'fault-report',
      topic: 'streets-parks',
      subject: 'Katuvalo pimeänä',
      message: 'Kävelytien katuvalo on ollut pimeänä viikon, ja tie on illalla hyvin pimeä.',
      location: 'Kävelytie Pohjoisen koulun ja urheilukentän välissä',
      wantsReply: true,
      replyChannel: 'email',
      replyEmail: 'palautteen.antaja@example.fi',
    },
  ],
  {
    allOf: [
      when('wantsReply', true, ['replyChannel']),
      when('replyChannel', 'email', ['replyEmail']),
      when('replyChannel', 'phone', ['replyPhone']),
    ],
  },
);

// ---------------------------------------------------------------------------------------------

/** The form of every service in the catalogue, by service code. */
export const FORMS: Readonly<Record<string, ErrandForm>> = Object.freeze({
  'ece-application': eceApplication,
  'school-transfer': schoolTransfer,
  'ece-income': eceIncome,
  'building-permit': buildingPermit,
  'demolition-notice': demolitionNotice,
  'waste-interval': wasteInterval,
  'water-connection': waterConnection,
  'resident-parking': residentParking,
  'street-use-permit': streetUsePermit,
  'housing-application': housingApplication,
  'association-grant': associationGrant,
  'facility-booking': facilityBooking,
  'employment-plan': employmentPlan,
  feedback,
});
