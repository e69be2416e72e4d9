import DataLoader from 'dataloader';
import type { RequestContext } from './context';

const perRequest = new WeakMap<RequestContext, Map<string, DataLoader<string, unknown>>>();

/**
 * A DataLoader that lives as long as the request: fields of many list rows asking for the same
 * kind of data are answered with one batched statement instead of one per row.
 */
export function requestLoader<V>(
  ctx: RequestContext,
  name: string,
  batch: (keys: readonly string[]) => Promise<Map<string, V>>,
  missing: () => V,
): DataLoader<string, V> {
  let loaders = perRequest.get(ctx);
  if (!loaders) {
    loaders = new Map();
    perRequest.set(ctx, loaders);
  }
  let loader = loaders.get(name) as DataLoader<string, V> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V>(async (keys) => {
      const found = await batch(keys);
      return keys.map((key) => found.get(key) ?? missing());
    });
    loaders.set(name, loader as DataLoader<string, unknown>);
  }
  return loader;
}

/** Groups rows by a key, for batch functions that answer a list per key. */
export function groupBy<T>(rows: T[], keyOf: (row: T) => string): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    grouped.set(key, [...(grouped.get(key) ?? []), row]);
  }
  return grouped;
}
