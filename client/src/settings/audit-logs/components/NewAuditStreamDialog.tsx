import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { LIMITS } from '@gatehouse/shared';
import {
  AuditStreamsDocument,
  CreateAuditStreamDocument,
  type AuditCategory,
  type AuditStreamKind,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { CheckboxList } from '../../../ui/CheckboxList';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { formErrors } from '../../../ui/formErrors';
import { SecretReveal } from '../../../ui/SecretReveal';
import { SelectField } from '../../../ui/SelectField';
import { CATEGORY_LABELS } from './AuditFilters';

const KINDS = [
  { value: 'WEBHOOK', label: 'Webhook: one signed JSON event per request' },
  { value: 'BATCH', label: 'Batch: NDJSON, many events per request (Splunk HEC, Datadog)' },
] as const;

const FIELDS = ['name', 'url', 'headers', 'actions', 'batchSize'] as const;
type FieldName = (typeof FIELDS)[number];

/** "Add audit stream": the form, then the one-time reveal of the stream's signing secret. */
export function NewAuditStreamDialog({ onClose }: { onClose: () => void }) {
  const [createStream, { loading }] = useMutation(CreateAuditStreamDocument, {
    refetchQueries: [AuditStreamsDocument],
  });
  const [name, setName] = useState('');
  const [kind, setKind] = useState<AuditStreamKind>('WEBHOOK');
  const [url, setUrl] = useState('');
  const [headerName, setHeaderName] = useState('');
  const [headerValue, setHeaderValue] = useState('');
  const [categories, setCategories] = useState<ReadonlySet<string>>(new Set());
  const [actions, setActions] = useState('');
  const [batchSize, setBatchSize] = useState('100');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  if (secret) {
    return (
      <Dialog
        title="Save the signing secret"
        onClose={onClose}
        dismissible={false}
        footer={
          <Button variant="primary" disabled={!saved} onClick={onClose}>
            Done
          </Button>
        }
      >
        <p>
          Every request carries Standard Webhooks headers (<code>webhook-id</code>, <code>webhook-timestamp</code>,{' '}
          <code>webhook-signature</code>): verify them with this secret.
        </p>
        <SecretReveal
          secret={secret}
          label="signing secret"
          kept="Gatehouse keeps it encrypted and never returns it."
          saved={saved}
          onSavedChange={setSaved}
        />
      </Dialog>
    );
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    if (!name.trim() || !url.trim()) {
      setErrors({ name: name.trim() ? undefined : 'Enter a name.', url: url.trim() ? undefined : 'Enter a URL.' });
      return;
    }
    try {
      const result = await createStream({
        variables: {
          input: {
            name: name.trim(),
            kind,
            url: url.trim(),
            headers: headerName.trim() ? [{ name: headerName.trim(), value: headerValue }] : [],
            categories: [...categories] as AuditCategory[],
            actions: actions
              .split(',')
              .map((action) => action.trim())
              .filter(Boolean),
            batchSize: kind === 'BATCH' ? Number(batchSize) : undefined,
          },
        },
      });
      setSecret(result.data?.createAuditStream.secret ?? null);
    } catch (caught) {
      const { fields, form } = formErrors(caught, FIELDS);
      setErrors(fields);
      setProblem(form ?? null);
    }
  }

  return (
    <Dialog
      title="Add audit stream"
      description="Gatehouse delivers every new event of this organization to the URL, in order, and retries until the receiver accepts it."
      onClose={onClose}
      size="lg"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="new-audit-stream" busy={loading}>
            Add stream
          </Button>
        </>
      }
    >
      <form id="new-audit-stream" className="form" onSubmit={handleSubmit} noValidate>
        {problem && <Alert tone="error">{problem}</Alert>}
        <Field
          label="Name"
          value={name}
          maxLength={LIMITS.nameMaxLength}
          error={errors.name}
          onChange={(event) => setName(event.target.value)}
        />
        <SelectField
          label="Kind"
          options={KINDS}
          value={kind}
          onChange={(value) => setKind(value as AuditStreamKind)}
        />
        <Field
          label="URL"
          placeholder="https://siem.example.com/gatehouse"
          value={url}
          error={errors.url}
          onChange={(event) => setUrl(event.target.value)}
        />
        {kind === 'BATCH' && (
          <Field
            label="Events per request"
            type="number"
            min={1}
            max={1000}
            value={batchSize}
            error={errors.batchSize}
            onChange={(event) => setBatchSize(event.target.value)}
          />
        )}
        <div className="form-row">
          <Field
            label="Custom header"
            placeholder="Authorization"
            value={headerName}
            error={errors.headers}
            onChange={(event) => setHeaderName(event.target.value)}
          />
          <Field
            label="Header value"
            type="password"
            autoComplete="off"
            hint="A vendor token, kept encrypted and never shown again."
            value={headerValue}
            onChange={(event) => setHeaderValue(event.target.value)}
          />
        </div>
        <CheckboxList
          legend="Categories (none checked: all)"
          options={Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label }))}
          selected={categories}
          onChange={setCategories}
          empty={null}
        />
        <Field
          label="Actions"
          placeholder="member.removed, apiKey.revoked"
          hint="Separate actions with commas; empty: all actions."
          value={actions}
          error={errors.actions}
          onChange={(event) => setActions(event.target.value)}
        />
      </form>
    </Dialog>
  );
}
