/**
 * A least-recently-used cache bounded by the summed size of its values (bytes, cells, …), the base of the
 * writer's in-memory caches of immutable data files.
 *
 * @module
 */

/**
 * Values by id, least recently used evicted first once their sizes add up to more than `budget`; a value
 * larger than the whole budget is not kept. `unit` names the size in errors ("bytes").
 */
export class BudgetCache<V> {
  #entries = new Map<string, { value: V; size: number }>();
  #used = 0;

  constructor(readonly budget: number, readonly sizeOf: (value: V) => number, what: string, unit: string) {
    if (!(budget >= 0)) throw new RangeError(`Cannot create a ${what} of ${budget} ${unit}`);
  }

  /** Size held. */
  get used(): number {
    return this.#used;
  }

  get(id: string): V | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.value;
  }

  set(id: string, value: V): void {
    this.delete(id);
    const size = this.sizeOf(value);
    if (size > this.budget) return;
    this.#entries.set(id, { value, size });
    this.#used += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#used <= this.budget) break;
      this.#entries.delete(oldest);
      this.#used -= entry.size;
    }
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    this.#used -= entry.size;
  }
}
