import { Foundation1732250000000 } from './1732250000000-foundation';

/** Every migration, in order; listed explicitly so the compiled server and tests load the same set. */
export const MIGRATIONS = [Foundation1732250000000];
