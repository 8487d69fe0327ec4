/**
 * @module vector/wkt
 * The CRS of a WKT (a shapefile's `.prj`, WKT1 or WKT2): its EPSG code when the WKT names one for
 * the whole CRS (the root's own `AUTHORITY["EPSG", …]` or `ID["EPSG", …]`, not a datum's or a
 * unit's), or when it is the well-known WGS 84 (ESRI's `GCS_WGS_1984` as in lux.prj) → 4326; and
 * whether it is geographic.
 */
import type { Crs } from '../raster.js';

/** A WKT node: `KEYWORD[child, child, …]`; leaves are strings (quoted) or numbers. */
interface WktNode {
  readonly keyword: string;
  readonly children: ReadonlyArray<WktNode | string | number>;
}

const GEOGRAPHIC = new Set(['GEOGCS', 'GEOGCRS', 'GEOGRAPHICCRS', 'GEODCRS', 'GEODETICCRS']);
const WGS84_NAMES = /^(d_)?(wgs_?1984|wgs_?84|world_geodetic_system_1984(_ensemble)?)$/;

/** The CRS of `wkt`: always `wkt`, and `epsg` / `geographic` where they can be told. */
export function crsFromWkt(wkt: string): Crs {
  const text = wkt.trim();
  let root: WktNode | undefined;
  try {
    root = parseWkt(text);
  } catch {
    return { wkt: text };
  }
  const geographic = GEOGRAPHIC.has(root.keyword)
    ? // A WKT2 GEODCRS is geographic only with an ellipsoidal coordinate system.
      root.keyword.startsWith('GEOD')
      ? child(root, 'CS')?.children[0] === 'ellipsoidal'
      : true
    : false;
  const epsg = authority(root) ?? (geographic && isWgs84(root) ? 4326 : undefined);
  return { wkt: text, ...(epsg === undefined ? {} : { epsg }), geographic };
}

function authority(root: WktNode): number | undefined {
  for (const node of root.children) {
    if (typeof node === 'object' && (node.keyword === 'AUTHORITY' || node.keyword === 'ID')) {
      const [name, code] = node.children;
      if (typeof name === 'string' && name.toUpperCase() === 'EPSG') {
        const n = Number(code);
        if (Number.isInteger(n) && n > 0) return n;
      }
    }
  }
  return undefined;
}

/** WGS 84 datum, its ellipsoid, the Greenwich meridian and degrees. */
function isWgs84(root: WktNode): boolean {
  const datum = child(root, 'DATUM') ?? child(root, 'ENSEMBLE');
  const name = typeof datum?.children[0] === 'string' ? datum.children[0] : '';
  const ellipsoid = datum && (child(datum, 'SPHEROID') ?? child(datum, 'ELLIPSOID'));
  const primem = child(root, 'PRIMEM');
  const unit = child(root, 'UNIT') ?? child(root, 'ANGLEUNIT');
  return (
    WGS84_NAMES.test(name.toLowerCase().replace(/[\s-]+/g, '_')) &&
    ellipsoid?.children[1] === 6378137 &&
    Math.abs(Number(ellipsoid.children[2]) - 298.257223563) < 1e-9 &&
    (primem === undefined || primem.children[1] === 0) &&
    (unit === undefined || Math.abs(Number(unit.children[1]) - Math.PI / 180) < 1e-12)
  );
}

function child(node: WktNode, keyword: string): WktNode | undefined {
  for (const c of node.children) if (typeof c === 'object' && c.keyword === keyword) return c;
  return undefined;
}

/** Parses WKT's bracket syntax (`[` or `(`), quoted strings with `""` escapes, numbers, enums. */
function parseWkt(text: string): WktNode {
  let i = 0;
  const space = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const node = (): WktNode => {
    space();
    const start = i;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
    const keyword = text.slice(start, i).toUpperCase();
    space();
    if (!keyword || (text[i] !== '[' && text[i] !== '('))
      throw new Error(`WKT: expected [ at ${i}`);
    i++;
    const children: Array<WktNode | string | number> = [];
    for (;;) {
      space();
      const c = text[i];
      if (c === undefined) throw new Error('WKT: unclosed bracket');
      if (c === ']' || c === ')') {
        i++;
        return { keyword, children };
      }
      if (c === ',') {
        i++;
        continue;
      }
      if (c === '"') {
        let s = '';
        i++;
        while (i < text.length) {
          if (text[i] === '"' && text[i + 1] === '"') {
            s += '"';
            i += 2;
          } else if (text[i] === '"') break;
          else s += text[i++];
        }
        i++;
        children.push(s);
        continue;
      }
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i, i + 40));
      if (m) {
        children.push(Number(m[0]));
        i += m[0].length;
        continue;
      }
      const save = i;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      if (i === save) throw new Error(`WKT: unexpected ${JSON.stringify(c)} at ${i}`);
      space();
      if (text[i] === '[' || text[i] === '(') {
        i = save;
        children.push(node());
      } else {
        children.push(text.slice(save, i).trim());
      }
    }
  };
  return node();
}
