// One Ajv instance for the HSDS 3.0 schemas, each table compiled on first use and kept.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { HsdsTable } from './generated.js';
import { hsdsSchemas } from './schemas/index.js';

// The schemas carry no $schema; HSDS's OpenAPI document declares JSON Schema 2020-12 as its
// dialect, hence Ajv2020. Their $refs ("phone.json") are relative, so each schema gets the URI
// it has in the specification's repository and the references resolve among them.
const schemaBase = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';

// Keywords of Open Referral's Frictionless Data layer: annotations, not assertions.
const annotationKeywords = [
  'name',
  'path',
  'datapackage_metadata',
  'datapackage_type',
  'tabular_required',
  'constraints',
  'example',
  'core',
];

let ajv: Ajv2020 | undefined;
const validators = new Map<HsdsTable, ValidateFunction>();

function createAjv(): Ajv2020 {
  // verbose: errors carry the offending value, so messages can quote it.
  const instance = new Ajv2020({ allErrors: true, verbose: true, strict: true });
  instance.addVocabulary(annotationKeywords);
  // ajv-formats is CommonJS; under Node's ESM interop its default export is module.exports,
  // whose `default` is the plugin itself.
  formats.default(instance, ['uuid', 'uri', 'email', 'date-time']);
  for (const [table, schema] of Object.entries(hsdsSchemas)) {
    instance.addSchema({ ...schema, $id: `${schemaBase}${table}.json` });
  }
  return instance;
}

/** The compiled validator of one table's schema. */
export function tableValidator(table: HsdsTable): ValidateFunction {
  let validate = validators.get(table);
  if (validate === undefined) {
    ajv ??= createAjv();
    validate = ajv.getSchema(`${schemaBase}${table}.json`);
    if (validate === undefined) throw new Error(`'${table}' is not an HSDS 3.0 table`);
    validators.set(table, validate);
  }
  return validate;
}
