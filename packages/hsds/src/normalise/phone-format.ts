// Writing a ten-digit North American number in the usual styles.

export type NanpStyle = 'national' | 'dashed' | 'dotted' | 'international' | 'e164';

/** `2065550100` as `(206) 555-0100` (national), `206-555-0100`, `206.555.0100`,
 * `+1 206-555-0100` (international) or `+12065550100` (e164). */
export function formatNanp(tenDigits: string, style: NanpStyle): string {
  const area = tenDigits.slice(0, 3);
  const exchange = tenDigits.slice(3, 6);
  const line = tenDigits.slice(6);
  switch (style) {
    case 'national':
      return `(${area}) ${exchange}-${line}`;
    case 'dashed':
      return `${area}-${exchange}-${line}`;
    case 'dotted':
      return `${area}.${exchange}.${line}`;
    case 'international':
      return `+1 ${area}-${exchange}-${line}`;
    case 'e164':
      return `+1${tenDigits}`;
  }
}
