/**
 * A database whose collections run a hook around one chosen call, to play an exact
 * interleaving of two processes (the cleanup, the bot) deterministically, without
 * hooks in the product code.
 */
import type { Collection, Db, Document } from 'mongodb';

/** The promise-returning calls that are wrapped (`find` and `aggregate` return cursors: left alone). */
const WRAPPED = [
  'findOne',
  'updateOne',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
  'findOneAndUpdate',
  'countDocuments',
  'insertOne',
  'insertMany',
] as const;

export interface Hook {
  collection: string;
  method: (typeof WRAPPED)[number];
  /** Which call of that method on that collection (1 = the first). */
  call?: number;
  when: 'before' | 'after';
  run: () => Promise<void>;
}

/** Also counts every call, per `collection.method`, for tests that check how a store talks to the server. */
export function hookedDb(db: Db, hooks: Hook[], calls = new Map<string, unknown[][]>()): Db {
  const wrap = (name: string, collection: Collection<Document>) =>
    new Proxy(collection, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (!(WRAPPED as readonly (string | symbol)[]).includes(property)) return method.bind(target);
        return async (...args: unknown[]) => {
          const key = `${name}.${String(property)}`;
          const seen = [...(calls.get(key) ?? []), args];
          calls.set(key, seen);
          const hook = hooks.find(
            (h) => h.collection === name && h.method === property && (h.call ?? 1) === seen.length,
          );
          if (hook?.when === 'before') await hook.run();
          const result = await method.apply(target, args);
          if (hook?.when === 'after') await hook.run();
          return result;
        };
      },
    });
  return new Proxy(db, {
    get(target, property) {
      if (property === 'collection') return (name: string) => wrap(name, target.collection(name));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A promise with its resolve function, to hold one side of an interleaving until the other is done. */
export function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
