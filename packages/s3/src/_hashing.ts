/**
 * @module @weir/s3/_hashing
 * The ETags S3 reports for the bytes the store uploads, so content already in the bucket is
 * recognised from a HEAD request without downloading it.
 */
import { createHash, type Hash } from 'node:crypto';

/**
 * The ETags an object with these bytes can have: the MD5 of the whole (a single PUT, or a server
 * that reports it for multipart uploads too) and, when it spans several parts of `partSize`,
 * S3's multipart form (the MD5 of the parts' MD5s, a dash and the number of parts).
 */
export class EtagHash {
  private readonly whole = createHash('md5');
  private part: Hash = createHash('md5');
  private inPart = 0;
  private readonly parts: Buffer[] = [];
  size = 0;

  constructor(private readonly partSize: number) {}

  update(chunk: Uint8Array): void {
    this.whole.update(chunk);
    this.size += chunk.byteLength;
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(this.partSize - this.inPart, chunk.byteLength - offset);
      this.part.update(chunk.subarray(offset, offset + take));
      this.inPart += take;
      offset += take;
      if (this.inPart === this.partSize) {
        this.parts.push(this.part.digest());
        this.part = createHash('md5');
        this.inPart = 0;
      }
    }
  }

  /** The ETags (without quotes) S3 may report for these bytes. */
  digest(): string[] {
    const whole = this.whole.digest('hex');
    if (this.inPart > 0 || this.parts.length === 0) this.parts.push(this.part.digest());
    if (this.parts.length === 1) return [whole];
    const multipart = createHash('md5').update(Buffer.concat(this.parts)).digest('hex');
    return [whole, `${multipart}-${this.parts.length}`];
  }
}

/** An ETag as S3 reports it, without its quotes. */
export function bareEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/"/g, '');
}
