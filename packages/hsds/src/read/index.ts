export {
  type DecodedText,
  decodeText,
  encodingName,
  type StrayBytes,
  type TextEncodingName,
} from './decode.js';
export { type GarbleRepair, repairGarbledText } from './garbled.js';
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
