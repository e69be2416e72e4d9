import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { API_KEY_GRACE_PERIODS_SECONDS } from '@gatehouse/shared';
import { RotateApiKeyDocument, type ApiKeyFieldsFragment } from '@gatehouse/shared/generated';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { SegmentedControl, type SegmentedOption } from '../../../ui/SegmentedControl';
import { SecretDialog } from './SecretDialog';

type GracePeriod = `${(typeof API_KEY_GRACE_PERIODS_SECONDS)[number]}`;

const GRACE_LABELS: Record<GracePeriod, string> = { 0: 'None', 3600: '1 hour', 86400: '24 hours', 604800: '7 days' };

const GRACE_OPTIONS: readonly SegmentedOption<GracePeriod>[] = API_KEY_GRACE_PERIODS_SECONDS.map((seconds) => ({
  value: `${seconds}`,
  label: GRACE_LABELS[`${seconds}`],
}));

export function RotateApiKeyDialog({ apiKey, onClose }: { apiKey: ApiKeyFieldsFragment; onClose: () => void }) {
  const [rotate] = useMutation(RotateApiKeyDocument);
  const [grace, setGrace] = useState<GracePeriod>('0');
  const [secret, setSecret] = useState<string | null>(null);

  if (secret) return <SecretDialog title={`New secret for ${apiKey.name}`} secret={secret} onDone={onClose} />;

  return (
    <ConfirmDialog
      title={`Rotate ${apiKey.name}?`}
      confirmLabel="Rotate key"
      onClose={onClose}
      onConfirm={async () => {
        const result = await rotate({ variables: { id: apiKey.id, gracePeriodSeconds: Number(grace) } });
        if (result.data) setSecret(result.data.rotateApiKey.secret);
      }}
    >
      <p>
        A new secret replaces the current one and is shown once. Programs using the current secret must switch to the
        new one.
      </p>
      <fieldset className="fieldset">
        <legend className="field-label">Keep the current secret working for</legend>
        <SegmentedControl label="Grace period" options={GRACE_OPTIONS} value={grace} onChange={setGrace} />
        <p className="field-hint">
          {grace === '0'
            ? 'The current secret stops working at once.'
            : `The current secret keeps working for ${GRACE_LABELS[grace]}, then stops.`}
        </p>
      </fieldset>
    </ConfirmDialog>
  );
}
