/**
 * A value read again on every read until what it depends on is final, then computed once and kept:
 * what a service reads at synth (its task facts, its endpoints, its redeploy nonce) can still change
 * while the app is being built, and is read many times once it is complete.
 */
export class KeptOnceFinal<T> {
  private kept?: { readonly value: T };

  /**
   * @param isFinal whether what `compute` reads can no longer change
   * @param compute the value, from what it reads now
   */
  constructor(private readonly isFinal: () => boolean, private readonly compute: () => T) {}

  /** The value: kept from the first read once final, computed anew before that. */
  public get value(): T {
    if (this.kept) {
      return this.kept.value;
    }
    if (!this.isFinal()) {
      return this.compute();
    }
    this.kept = { value: this.compute() };
    return this.kept.value;
  }
}
