/**
 * The previous version an incremental step may build on: only one its current code made, since
 * other code may have stored another shape (a rebuild is then the safe answer).
 */
import type { AssetContext } from 'weir';

export async function sameCodePrevious<T>(
  ctx: Pick<AssetContext, 'previous' | 'codeVersion' | 'log'>,
): Promise<T | undefined> {
  const previous = await ctx.previous<T>();
  if (previous === undefined) return undefined;
  if (previous.codeVersion !== ctx.codeVersion) {
    ctx.log.info(
      `built from scratch: the previous version was made by other code (${previous.codeVersion.slice(0, 12)})`,
    );
    return undefined;
  }
  return previous.value;
}
