// Generates the HSDS 3.0 model from Open Referral's JSON Schemas. Run by hand when the schemas
// change; its output is committed and a test regenerates it to prove the two have not drifted.
//
//   node packages/hsds/scripts/generate-model.mjs [--from <schema dir>] [--out <model dir>]
//
// --from  the specification's schema/ folder (default: the shared data's hsds-3.0/schema, or
//         $WEIR_SHARED_DATA/social-services/hsds-3.0/schema); its LICENSE is looked for there
//         and one folder up
// --out   where src/model lives (default: this package's src/model)
//
// Writes <out>/schemas/<table>.json (the schemas, re-indented as Biome formats JSON, otherwise
// unchanged), <out>/schemas/LICENSE, <out>/schemas/index.ts (the schemas as one typed map)
// and <out>/generated.ts (a TypeScript interface per table).
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sharedData = process.env.WEIR_SHARED_DATA
  ? resolve(process.env.WEIR_SHARED_DATA)
  : resolve(packageRoot, '../../../shared/data');

const options = parseArguments(process.argv.slice(2));
const from = options.from ?? join(sharedData, 'social-services/hsds-3.0/schema');
const out = options.out ?? join(packageRoot, 'src/model');

const tables = readTables(from);
mkdirSync(join(out, 'schemas'), { recursive: true });
for (const { table, schema } of tables) {
  writeFileSync(join(out, 'schemas', `${table}.json`), formatJson(schema));
}
copyLicence(from, join(out, 'schemas', 'LICENSE'));
writeFileSync(join(out, 'schemas', 'index.ts'), schemaIndex(tables));
writeFileSync(join(out, 'generated.ts'), modelSource(tables));

function parseArguments(args) {
  const parsed = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    const value = args[i + 1];
    if ((name !== '--from' && name !== '--out') || value === undefined) {
      throw new Error(`usage: generate-model.mjs [--from <schema dir>] [--out <model dir>]`);
    }
    parsed[name.slice(2)] = resolve(value);
  }
  return parsed;
}

/** Every table schema in the folder: an object schema with properties (not openapi.json). */
function readTables(folder) {
  if (!existsSync(folder)) throw new Error(`no HSDS schema folder at ${folder}`);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json') && file !== 'openapi.json')
    .sort()
    .map((file) => {
      const schema = JSON.parse(readFileSync(join(folder, file), 'utf8'));
      const table = file.slice(0, -'.json'.length);
      if (schema.type !== 'object' || typeof schema.properties !== 'object') {
        throw new Error(`${file}: not a table schema (no object type with properties)`);
      }
      if (schema.name !== table) throw new Error(`${file}: its name is '${schema.name}'`);
      return { table, schema };
    });
}

function copyLicence(folder, target) {
  const candidates = [join(folder, 'LICENSE'), join(folder, '..', 'LICENSE')];
  const licence = candidates.find((path) => existsSync(path));
  if (licence === undefined) throw new Error(`no LICENSE beside or above ${folder}`);
  if (resolve(licence) !== resolve(target)) copyFileSync(licence, target);
}

// JSON as Biome prints it (2 spaces; an array of scalars on one line when it fits in 100
// columns), so the copies pass `biome check` unchanged and regenerating them is byte-exact.
function formatJson(value) {
  return `${jsonValue(value, '', '')}\n`;
}

function jsonValue(value, indent, prefix) {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every((item) => item === null || typeof item !== 'object');
    const inline = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    // The prefix is what precedes the value on its line; the trailing comma may follow it.
    if (scalars && indent.length + prefix.length + inline.length + 1 <= 100) return inline;
    const inner = `${indent}  `;
    return `[\n${value.map((item) => inner + jsonValue(item, inner, '')).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const lines = entries.map(([key, item]) => {
      const keyText = `${JSON.stringify(key)}: `;
      return inner + keyText + jsonValue(item, inner, keyText);
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function typeName(table) {
  return table
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

function tableOfReference(reference) {
  const match = /^([a-z_]+)\.json$/.exec(reference);
  if (!match) throw new Error(`unexpected $ref '${reference}'`);
  return match[1];
}

function propertyType(property, where) {
  if (property.$ref !== undefined) return typeName(tableOfReference(property.$ref));
  if (Array.isArray(property.enum)) {
    return property.enum.map((value) => `'${String(value).replaceAll("'", "\\'")}'`).join(' | ');
  }
  switch (property.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      if (property.items === undefined) throw new Error(`${where}: an array without items`);
      return `${propertyType(property.items, `${where}[]`)}[]`;
    default:
      throw new Error(`${where}: unsupported type ${JSON.stringify(property.type)}`);
  }
}

/** A JSDoc block wrapped to fit 100 columns at the given indent. */
function docComment(text, indent) {
  const width = 100 - indent.length - 3;
  const words = text.replaceAll('*/', '*\\/').split(/\s+/).filter(Boolean);
  const lines = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length === 1 && indent.length + lines[0].length + 7 <= 100) {
    return `${indent}/** ${lines[0]} */\n`;
  }
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}\n`).join('')}${indent} */\n`;
}

function propertyDoc(property) {
  const notes = [];
  if (property.format !== undefined) notes.push(`Format: ${property.format}.`);
  else if (property.datapackage_type !== undefined) notes.push(`As ${property.datapackage_type}.`);
  return [property.description ?? '', ...notes].join(' ').trim();
}

function interfaceSource({ table, schema }) {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties).map(([name, property]) => {
    const optional = required.has(name) ? '' : '?';
    const type = propertyType(property, `${table}.${name}`);
    return `${docComment(propertyDoc(property), '  ')}  ${name}${optional}: ${type};\n`;
  });
  return `${docComment(`${schema.description} (HSDS table \`${table}\`.)`, '')}export interface ${typeName(table)} {\n${fields.join('')}}\n`;
}

function modelSource(tables) {
  const names = tables.map(({ table }) => table);
  const tableList = names.map((table) => `  '${table}',\n`).join('');
  const byTable = names.map((table) => `  ${table}: ${typeName(table)};\n`).join('');
  return `// Generated by scripts/generate-model.mjs from the HSDS 3.0 JSON Schemas (src/model/schemas,
// CC-BY-SA 4.0, Open Referral). Do not edit by hand: run the script again.

${tables.map(interfaceSource).join('\n')}
/** The tables of HSDS 3.0, in the order of their schema files. */
export const hsdsTables = [
${tableList}] as const;

/** One of HSDS 3.0's tables, named as its schema names it. */
export type HsdsTable = (typeof hsdsTables)[number];

/** The record type of each table. */
export interface HsdsRecordByTable {
${byTable}}
`;
}

function schemaIndex(tables) {
  const imports = tables
    .map(
      ({ table }) => `import ${camelCase(table)} from './${table}.json' with { type: 'json' };\n`,
    )
    .join('');
  const entries = tables
    .map(({ table }) => {
      const name = camelCase(table);
      return name === table ? `  ${table},\n` : `  ${table}: ${name},\n`;
    })
    .join('');
  return `// Generated by scripts/generate-model.mjs: the HSDS 3.0 JSON Schemas (CC-BY-SA 4.0, Open
// Referral; see LICENSE beside this file), embedded so validation needs no files at run time.
import type { HsdsTable } from '../generated.js';
import type { HsdsTableSchema } from '../table-schema.js';
${imports}
/** The JSON Schema of each HSDS table, as the specification ships it. */
export const hsdsSchemas: Readonly<Record<HsdsTable, HsdsTableSchema>> = {
${entries}};
`;
}

function camelCase(table) {
  return table.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase());
}
