import { useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useNavigate } from 'react-router-dom';
import { DeleteAccountDocument, ViewerDocument } from '@gatehouse/shared/generated';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { Section } from '../../../ui/Section';

const PHRASE = 'delete my account';

export function DangerZoneSection() {
  const client = useApolloClient();
  const navigate = useNavigate();
  const [deleteAccount] = useMutation(DeleteAccountDocument);
  const [confirming, setConfirming] = useState(false);
  return (
    <Section
      title="Danger zone"
      description="Deleting your account is permanent. Organizations where you are the only member are deleted with it."
    >
      <div className="form-actions form-actions-start">
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete account
        </Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title="Delete your account?"
          confirmLabel="Delete my account"
          typeToConfirm={PHRASE}
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await deleteAccount({ variables: { confirmation: PHRASE } });
            client.writeQuery({ query: ViewerDocument, data: { viewer: null } });
            navigate('/signin', { replace: true });
          }}
        >
          <p>
            Your name, email and password are erased, every session and API key stops working, and you leave every
            organization. Audit logs keep their events under an anonymous user. If you are the last Admin of an
            organization with other members, make someone else Admin there first.
          </p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
