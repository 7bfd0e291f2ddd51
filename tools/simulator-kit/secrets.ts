// Credentials a simulator accepts, held by digest: a lookup hashes what was presented and compares digests in
// constant time, as a real service would (never `===` on a secret).
import { createHash, timingSafeEqual } from "node:crypto";

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** Whether `presented` is exactly `expected`, compared in constant time (by digest, so lengths may differ). */
export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export class SecretRing<T> {
  private readonly byDigest = new Map<string, { digest: Buffer; item: T }>();

  /** `secretOf` gives the exact string a caller must present for an item (never trimmed). */
  constructor(
    private readonly secretOf: (item: T) => string,
    items: Iterable<T> = [],
  ) {
    for (const item of items) this.add(item);
  }

  /** Stores a copy, so later changes to the caller's object do not change the ring. */
  add(item: T): void {
    const d = digest(this.secretOf(item));
    this.byDigest.set(d.toString("hex"), { digest: d, item: structuredClone(item) });
  }

  find(secret: string): T | undefined {
    const d = digest(secret);
    const entry = this.byDigest.get(d.toString("hex"));
    if (!entry || !timingSafeEqual(entry.digest, d)) return undefined;
    return entry.item;
  }

  list(): T[] {
    return [...this.byDigest.values()].map((e) => e.item);
  }
}
