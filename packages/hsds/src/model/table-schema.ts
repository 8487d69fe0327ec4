/** The parts of an HSDS 3.0 property schema that this package reads. */
export interface HsdsPropertySchema {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly string[];
  readonly $ref?: string;
  readonly items?: HsdsPropertySchema;
  readonly description?: string;
  /** Open Referral's Frictionless Data hint: values unique across the table. */
  readonly constraints?: { readonly unique?: boolean };
}

/** The parts of an HSDS 3.0 table schema that this package reads. */
export interface HsdsTableSchema {
  readonly name: string;
  readonly description: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, HsdsPropertySchema>>;
  readonly required?: readonly string[];
  /** Fields required in the tabular (CSV) form, where links are foreign keys. */
  readonly tabular_required?: readonly string[];
}
