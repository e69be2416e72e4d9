import { type Filter, parse } from 'scim2-parse-filter';
import { AppError } from '../errors/app-error';

/** A SCIM protocol error: its HTTP status comes from the AppError code, its scimType rides along. */
export function scimError(code: 'BAD_USER_INPUT' | 'CONFLICT', scimType: string, message: string): AppError {
  return new AppError(code, message, undefined, { scimType });
}

/** The SQL expression of each filterable attribute, by lower-cased SCIM path; text compares ignore case. */
export type FilterColumns = Record<string, { sql: string; type: 'text' | 'boolean' | 'uuid' }>;

/**
 * Turns a SCIM filter (parsed by scim2-parse-filter) into a SQL condition with bound values. Only
 * the attributes listed are filterable; anything else is refused as invalidFilter rather than
 * matching nothing, so an identity provider never mistakes a typo for "no such user".
 */
export function filterToSql(text: string | undefined, columns: FilterColumns, params: unknown[]): string {
  if (text === undefined || text.trim() === '') return 'TRUE';
  let ast: Filter;
  try {
    ast = parse(text);
  } catch {
    throw scimError('BAD_USER_INPUT', 'invalidFilter', 'The filter is not valid SCIM filter syntax.');
  }
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const walk = (node: Filter, prefix = ''): string => {
    switch (node.op) {
      case 'and':
      case 'or':
        return `(${node.filters.map((f) => walk(f, prefix)).join(` ${node.op.toUpperCase()} `)})`;
      case 'not':
        return `(NOT ${walk(node.filter, prefix)})`;
      case '[]':
        return walk(node.valFilter, `${prefix}${node.attrPath}.`);
      case 'pr': {
        const column = columnOf(prefix + node.attrPath);
        return `(${column.sql} IS NOT NULL)`;
      }
      default: {
        const column = columnOf(prefix + node.attrPath);
        const value = node.compValue;
        if (column.type === 'boolean') {
          const wanted = typeof value === 'string' ? value.toLowerCase() === 'true' : value === true;
          if (node.op !== 'eq' && node.op !== 'ne') throw unsupported(node.op);
          return `(${column.sql} ${node.op === 'eq' ? '=' : '<>'} ${bind(wanted)})`;
        }
        if (value === null) return node.op === 'eq' ? `(${column.sql} IS NULL)` : `(${column.sql} IS NOT NULL)`;
        const given = String(value).toLowerCase();
        const left = `lower(${column.sql}::text)`;
        switch (node.op) {
          case 'eq':
            return `(${left} = ${bind(given)})`;
          case 'ne':
            return `(${left} IS DISTINCT FROM ${bind(given)})`;
          case 'co':
            return `(strpos(${left}, ${bind(given)}) > 0)`;
          case 'sw':
            return `(starts_with(${left}, ${bind(given)}))`;
          case 'ew':
            return `(right(${left}, ${bind(given.length)}) = ${bind(given)})`;
          default:
            throw unsupported(node.op);
        }
      }
    }
  };
  const columnOf = (path: string) => {
    const name = path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '').toLowerCase();
    const column = columns[name];
    if (!column) throw scimError('BAD_USER_INPUT', 'invalidFilter', `Filtering on ${path} is not supported.`);
    return column;
  };
  return walk(ast);
}

const unsupported = (op: string) =>
  scimError('BAD_USER_INPUT', 'invalidFilter', `The ${op} operator is not supported on this attribute.`);
