import { LIMITS } from '@gatehouse/shared';
import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { AppError } from '../errors/app-error';

@ObjectType({ description: 'Where a page sits in its list (Relay cursor connections). Lists page forward only.' })
export class PageInfo {
  @Field({ description: 'True when more items follow: ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field({
    description:
      'True when items come before this page: it was asked for with `after`, a cursor from an earlier page. ' +
      'Lists page forward only, so to go back ask again with an earlier cursor (or none, for the first page).',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "The first item's cursor; null when the page is empty." })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The last item's cursor, to pass as `after` for the next page; null when the page is empty.",
  })
  endCursor!: string | null;
}

/** `first` and `after` of every Relay connection; a domain adds its own `filter` argument. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'How many items to return (1-100, default 50).' })
  @Min(1)
  @Max(LIMITS.pageSizeMax)
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page; omitted: the first page.' })
  after?: string;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
}

/**
 * The GraphQL type of a connection over `nodeType`: `<name>Connection` with `<name>Edge`.
 * One definition so that every list in the API pages the same way.
 */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its cursor.` })
  class Edge {
    @Field({ description: `Pass as \`after\` to continue after this ${name}.` })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of ${name} items (a Relay connection): ask for \`first\` items \`after\` a cursor.`,
  })
  class ConnectionType implements Page<T> {
    @Field(() => [Edge], { description: `The page's ${name} items with their cursors.` })
    edges!: Edge[];

    @Field(() => [nodeType], { description: `The page's ${name} items, for when cursors are not needed.` })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Whether more items follow, and the cursors to ask for them.' })
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

/** Cursors are opaque to clients: base64url JSON of the keyset position. */
export function encodeCursor(position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(position) &&
      position.length === arity &&
      position.every((part) => typeof part === 'string' || typeof part === 'number')
    ) {
      return position as (string | number)[];
    }
  } catch {
    // falls through to the one error every malformed cursor gets
  }
  throw AppError.badInput('after', 'The cursor is not valid.');
}

/**
 * Turns `first + 1` fetched rows into a page: the extra row only tells whether there is a
 * next page, so no count query is ever needed. A page asked for `after` a cursor has items before
 * it: every cursor is handed out for an item of an earlier page (decodeCursor refuses others).
 */
export function toPage<T>(rows: T[], first: number, cursorOf: (row: T) => string, after?: string | null): Page<T> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export const DEFAULT_PAGE_SIZE = 50;

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally (trigram indexes serve it). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
