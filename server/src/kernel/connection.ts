import { LIMITS } from '@gatehouse/shared';
import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { AppError } from '../errors/app-error';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** `first` and `after` of every Relay connection; a domain adds its own `filter` argument. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(LIMITS.pageSizeMax)
  first?: number;

  @Field(() => String, { nullable: true })
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
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements Page<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [nodeType])
    nodes!: T[];

    @Field(() => PageInfo)
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
 * next page, so no count query is ever needed.
 */
export function toPage<T>(rows: T[], first: number, cursorOf: (row: T) => string): Page<T> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

export const DEFAULT_PAGE_SIZE = 50;

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally (trigram indexes serve it). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
