/**
 * The demo API clients' display names (the e-service named in the usage log), by client id. Kept
 * beside the seed, not in `fixtures/demo.json`: that file stays identical to the shared fixture the
 * acceptance checks use. A fixture client's own `displayName` wins.
 */
export const DEMO_CLIENT_NAMES: Readonly<Record<string, { fi: string; sv: string; en: string }>> = {
  'demo-245': { fi: 'Keravan asiointipalvelu', sv: 'Kervo stads e-tjänst', en: 'Kerava e-services' },
  'demo-753': { fi: 'Sipoon asiointipalvelu', sv: 'Sibbo kommuns e-tjänst', en: 'Sipoo e-services' },
  'demo-445': { fi: 'Paraisten asiointipalvelu', sv: 'Pargas stads e-tjänst', en: 'Parainen e-services' },
  'demo-049': { fi: 'Espoon asiointipalvelu', sv: 'Esbo stads e-tjänst', en: 'Espoo e-services' },
  'demo-853': { fi: 'Turun asiointipalvelu', sv: 'Åbo stads e-tjänst', en: 'Turku e-services' },
  'demo-111': { fi: 'Heinolan asiointipalvelu', sv: 'Heinola stads e-tjänst', en: 'Heinola e-services' },
};
