interface Connection {
  nodes: readonly unknown[];
}

/**
 * fetchMore's `updateQuery` for the connection under `field`: the next page's nodes go after the
 * ones already shown, and its pageInfo replaces the old one.
 */
export function appendPage<K extends string>(field: K) {
  return <Q extends Partial<Record<K, Connection | null>>>(
    previous: Q,
    { fetchMoreResult }: { fetchMoreResult: Q },
  ): Q =>
    ({
      ...fetchMoreResult,
      [field]: {
        ...fetchMoreResult[field],
        nodes: [...(previous[field]?.nodes ?? []), ...(fetchMoreResult[field]?.nodes ?? [])],
      },
    }) as Q;
}
