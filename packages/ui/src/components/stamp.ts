/** A compact moment for tables: `Dec 3 19:39:57` (the year only when it is not this one). */
export function stamp(at: number | null | undefined): string {
  if (at === null || at === undefined) return '—';
  const date = new Date(at);
  const sameYear = date.getFullYear() === new Date().getFullYear();
  const day = date.toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
  const clock = date.toLocaleTimeString('en-GB', { hour12: false });
  return `${day} ${clock}`;
}
