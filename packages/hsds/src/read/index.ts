export { type ApdExport, type ApdReadOptions, readApdExport, readApdExportFile } from './apd.js';
export { type CsvReadOptions, type CsvTable, readCsv, readCsvFile } from './csv.js';
export {
  type CsvCell,
  type CsvParse,
  type CsvProblem,
  type CsvRow,
  parseCsv,
} from './csv-parse.js';
export {
  type DecodedText,
  decodeText,
  encodingName,
  type StrayBytes,
  type TextEncodingName,
} from './decode.js';
export { type GarbleRepair, repairGarbledText } from './garbled.js';
export {
  type JsonDocument,
  type JsonReadOptions,
  type JsonRecord,
  readJson,
  readJsonFile,
} from './json.js';
export { countLineEndings, type LineEndings } from './lines.js';
export { decodeSingleByte, type SingleByteEncoding } from './single-byte.js';
export {
  type FlaggedValue,
  formatIssue,
  type ReadIssue,
  type RepairedValue,
  SourceError,
  type SourcePosition,
  type SourceRecord,
  whereIs,
} from './source.js';
