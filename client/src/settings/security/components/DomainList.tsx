import { Fragment, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { DOMAIN_VERIFICATION_DAYS } from '@gatehouse/shared';
import {
  AddDomainDocument,
  DeleteDomainDocument,
  DomainsDocument,
  UpdateDomainDocument,
  VerifyDomainDocument,
  type DomainFieldsFragment,
} from '@gatehouse/shared/generated';
import { Badge } from '../../../ui/Badge';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { CopyButton } from '../../../ui/CopyButton';
import { DataTable, type Column } from '../../../ui/DataTable';
import { useFormatDateTime } from '../../../ui/dates';
import { Field } from '../../../ui/Field';
import { EmptyState } from '../../../ui/EmptyState';
import { formErrors } from '../../../ui/formErrors';
import { PlusIcon } from '../../../ui/icons';
import { Menu, type MenuItem } from '../../../ui/Menu';
import { QueryResult } from '../../../ui/QueryResult';
import { Section } from '../../../ui/Section';
import { useReportedAction, useToast } from '../../../ui/Toast';

const STATUS = {
  PENDING: <Badge tone="warning">Pending</Badge>,
  VERIFIED: <Badge tone="success">Verified</Badge>,
  FAILED: <Badge tone="danger">Failed</Badge>,
} as const;

function RecordCell({ domain }: { domain: DomainFieldsFragment }) {
  const { type, name, value } = domain.verificationRecord;
  return (
    <dl className="dns-record" aria-label={`DNS record for ${domain.domain}`}>
      <dt>Type</dt>
      <dd className="mono">{type}</dd>
      <dt>Name</dt>
      <dd>
        <code className="mono">{name}</code>
        <CopyButton value={name} label={`Copy record name for ${domain.domain}`} />
      </dd>
      <dt>Value</dt>
      <dd>
        <code className="mono">{value}</code>
        <CopyButton value={value} label={`Copy record value for ${domain.domain}`} />
      </dd>
    </dl>
  );
}

/** A domain name that wraps only after a dot, never inside a label (a narrow column broke "co|m"). */
function DomainName({ name }: { name: string }) {
  const labels = name.split('.');
  return (
    <span className="mono domain-name">
      {labels.map((label, index) => (
        <Fragment key={index}>
          {label}
          {index < labels.length - 1 && (
            <>
              .<wbr />
            </>
          )}
        </Fragment>
      ))}
    </span>
  );
}

/**
 * The Security tab's domains: claimed with a DNS TXT record and verified before single sign-on
 * may route or sign in anyone at them.
 */
export function DomainList() {
  const formatDateTime = useFormatDateTime();
  const { data, error, refetch } = useQuery(DomainsDocument);
  const [addDomain] = useMutation(AddDomainDocument, { refetchQueries: [DomainsDocument] });
  const [verifyDomain] = useMutation(VerifyDomainDocument);
  const [updateDomain] = useMutation(UpdateDomainDocument);
  const [deleteDomain] = useMutation(DeleteDomainDocument, { refetchQueries: [DomainsDocument] });
  const [name, setName] = useState('');
  const [includeSubdomains, setIncludeSubdomains] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<DomainFieldsFragment | null>(null);
  const toast = useToast();
  const run = useReportedAction();

  async function handleAdd(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setNameError('Enter a domain such as example.com.');
      return;
    }
    setAdding(true);
    try {
      const added = await addDomain({ variables: { domain: name.trim(), includeSubdomains } });
      toast({ text: `${added.data?.addDomain.domain ?? name.trim()} added. Publish its DNS record, then verify it.` });
      setName('');
      setIncludeSubdomains(false);
      setNameError(null);
    } catch (caught) {
      const { fields, form } = formErrors(caught, ['domain']);
      setNameError(fields.domain ?? form ?? null);
    } finally {
      setAdding(false);
    }
  }

  async function verify(domain: DomainFieldsFragment) {
    await run(
      () => verifyDomain({ variables: { id: domain.id } }),
      ({ data }) =>
        data?.verifyDomain.status === 'VERIFIED'
          ? { text: `${domain.domain} is verified.` }
          : { tone: 'error', text: `${domain.domain} is not verified yet. ${data?.verifyDomain.lastCheckError ?? ''}` },
    );
  }

  function menuItems(domain: DomainFieldsFragment): MenuItem[] {
    const cover = !domain.includeSubdomains;
    return [
      ...(domain.status === 'VERIFIED' ? [] : [{ label: 'Verify now', onSelect: () => void verify(domain) }]),
      {
        label: cover ? 'Cover subdomains too' : 'Stop covering subdomains',
        onSelect: () =>
          void run(
            () => updateDomain({ variables: { id: domain.id, input: { includeSubdomains: cover } } }),
            () => ({ text: `${domain.domain} ${cover ? 'now covers' : 'no longer covers'} its subdomains.` }),
          ),
      },
      { label: 'Delete', tone: 'danger', onSelect: () => setDeleting(domain) },
    ];
  }

  const columns: Column<DomainFieldsFragment>[] = [
    {
      key: 'domain',
      header: 'Domain',
      cell: (domain) => (
        <div className="cell-stack">
          <DomainName name={domain.domain} />
          <span className="cell-sub">{domain.includeSubdomains ? 'and its subdomains' : 'this domain only'}</span>
        </div>
      ),
    },
    { key: 'status', header: 'Status', cell: (domain) => STATUS[domain.status] },
    {
      key: 'record',
      header: 'Verification',
      cell: (domain) =>
        domain.status === 'VERIFIED' ? (
          <span>Verified {formatDateTime(domain.verifiedAt)}</span>
        ) : (
          <div className="cell-stack">
            <RecordCell domain={domain} />
            <span className="cell-sub" data-testid="last-check">
              {domain.lastCheckedAt
                ? `Checked ${formatDateTime(domain.lastCheckedAt)}: ${domain.lastCheckError ?? ''}`
                : 'Not checked yet.'}
            </span>
          </div>
        ),
    },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (domain) => <Menu label={`Actions for ${domain.domain}`} items={menuItems(domain)} />,
    },
  ];

  return (
    <Section
      wide
      title="Domains"
      description={`Prove your organization controls a domain by publishing a DNS TXT record. Single sign-on works only for verified domains. Gatehouse checks a pending domain regularly for ${DOMAIN_VERIFICATION_DAYS} days; "Verify now" in its menu checks at once.`}
    >
      <form className="form-inline" onSubmit={handleAdd} noValidate>
        <Field
          label="Domain"
          placeholder="example.com"
          autoComplete="off"
          value={name}
          error={nameError}
          onChange={(event) => setName(event.target.value)}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={includeSubdomains}
            onChange={(event) => setIncludeSubdomains(event.target.checked)}
          />
          Also cover its subdomains
        </label>
        <Button type="submit" variant="primary" busy={adding}>
          <PlusIcon />
          Add domain
        </Button>
      </form>
      <QueryResult error={error} data={data} loadingLabel="Loading domains" onRetry={() => void refetch()}>
        {(data) => (
          <DataTable
            caption="Domains"
            columns={columns}
            rows={data.domains}
            rowKey={(domain) => domain.id}
            empty={
              <EmptyState>
                No domains yet. Add one above and publish its DNS record: once it is verified, single sign-on can sign
                in people at it.
              </EmptyState>
            }
          />
        )}
      </QueryResult>
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.domain}?`}
          confirmLabel="Delete domain"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteDomain({ variables: { id: deleting.id } });
            setDeleting(null);
            toast({ text: `${deleting.domain} is deleted.` });
          }}
        >
          <p>
            {deleting.status === 'VERIFIED'
              ? 'Single sign-on stops signing in people at this domain. To use it again you will have to verify it again with a new record.'
              : 'Its DNS record will no longer be checked.'}
          </p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
