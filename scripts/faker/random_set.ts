/**
 * A set of items with numeric ids that supports add, remove and uniform random pick in O(1) (swap-remove),
 * with a deterministic order for a given sequence of operations.
 */
export class RandomSet<T extends { id: number }> {
  #items: T[] = [];
  #index = new Map<number, number>();

  get size(): number {
    return this.#items.length;
  }

  has(id: number): boolean {
    return this.#index.has(id);
  }

  get(id: number): T | undefined {
    const i = this.#index.get(id);
    return i === undefined ? undefined : this.#items[i];
  }

  /** Adds `item`, replacing an item with the same id. */
  add(item: T): void {
    const i = this.#index.get(item.id);
    if (i !== undefined) {
      this.#items[i] = item;
      return;
    }
    this.#index.set(item.id, this.#items.length);
    this.#items.push(item);
  }

  /** Removes the item with `id`; returns it, or undefined when absent. */
  remove(id: number): T | undefined {
    const i = this.#index.get(id);
    if (i === undefined) return undefined;
    const item = this.#items[i];
    const last = this.#items.pop()!;
    this.#index.delete(id);
    if (last !== item) {
      this.#items[i] = last;
      this.#index.set(last.id, i);
    }
    return item;
  }

  /** The item at position `i` (0 ≤ i < size), for picking with an external random source. */
  at(i: number): T {
    if (!(i >= 0 && i < this.#items.length)) {
      throw new RangeError(`Cannot pick item ${i} of a set of ${this.#items.length}`);
    }
    return this.#items[i];
  }

  values(): IterableIterator<T> {
    return this.#items.values();
  }
}
