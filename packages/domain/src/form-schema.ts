/** The texts an errand form's JSON Schema carries for people (server forms/forms.ts writes them; the web renderer reads them). */

/** A text in the three languages of the service. */
export interface FormTexts {
  readonly fi: string;
  readonly sv: string;
  readonly en: string;
}

/** The titles of an enum's values, in the enum's order, per language. */
export interface FormEnumTitles {
  readonly fi: readonly string[];
  readonly sv: readonly string[];
  readonly en: readonly string[];
}
