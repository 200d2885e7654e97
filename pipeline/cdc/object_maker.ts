/**
 * Makers of objects with a fixed set of keys: a row built by assigning its columns one by one goes through
 * V8's megamorphic keyed stores (~20 ns a column); an object literal compiled once per key set costs a few ns
 * for the whole row.
 *
 * @module
 */

/** Makes `{[keys[i]]: values[i]}` objects, keys in order; a later duplicate key overwrites, as assignment does. */
export type ObjectMaker = (values: readonly unknown[]) => Record<string, unknown>;

/**
 * Compiles a maker for `keys`. Keys come from message schemas, so they enter the generated source only as
 * `JSON.stringify` literals (valid JavaScript string literals, nothing else can be written with them), and
 * `__proto__`, which a literal would take as the prototype, gets a maker that assigns instead.
 */
export function objectMaker(keys: readonly string[]): ObjectMaker {
  if (keys.includes("__proto__")) {
    return (values) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        Object.defineProperty(o, keys[i], {
          value: values[i],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return o;
    };
  }
  const body = `return {${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(", ")}};`;
  return new Function("v", body) as ObjectMaker;
}
