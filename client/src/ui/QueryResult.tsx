import type { ReactNode } from 'react';
import { Alert } from './Alert';
import { Button } from './Button';
import { formErrors } from './formErrors';
import { Spinner } from './Spinner';

/** A query's three states in one place: why it failed (with a retry), a spinner, or what it loaded. */
export function QueryResult<T>({
  error,
  data,
  loadingLabel,
  onRetry,
  children,
}: {
  error: unknown;
  data: T | null | undefined;
  loadingLabel: string;
  onRetry: () => void;
  children: (data: T) => ReactNode;
}) {
  if (error) {
    return (
      <div className="load-error">
        <Alert tone="error">{formErrors(error, []).form}</Alert>
        <Button onClick={onRetry}>Try again</Button>
      </div>
    );
  }
  if (!data) {
    return (
      <div className="page-loading">
        <Spinner label={loadingLabel} />
      </div>
    );
  }
  return <>{children(data)}</>;
}

/** "Load more" under a paged list, while the connection says there is a next page. */
export function LoadMore({
  pageInfo,
  loading,
  onLoadMore,
}: {
  pageInfo: { hasNextPage: boolean } | undefined;
  loading: boolean;
  onLoadMore: () => void;
}) {
  if (!pageInfo?.hasNextPage) return null;
  return (
    <div className="load-more">
      <Button busy={loading} onClick={onLoadMore}>
        Load more
      </Button>
    </div>
  );
}
