/** The explorer's first tabs: the jobs integrators most often start with. */
export const EXAMPLE_TABS = [
  {
    query: `# Read the audit log since a sequence number: a collector remembers the last sequence it
# processed and asks for what came after it (newest first; follow pageInfo.endCursor with \`after\`).
# Needs auditLog:read.
query AuditLogSince($afterSequence: Int!, $after: String) {
  auditEvents(first: 100, after: $after, filter: { afterSequence: $afterSequence }) {
    nodes {
      sequence
      occurredAt
      action
      outcome
      actor { type id name }
      target { type id name }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    variables: '{ "afterSequence": 0 }',
  },
  {
    query: `# List the organization's members and pending invitations, by email. Needs members:read.
query ListMembers($after: String) {
  members(first: 50, after: $after) {
    nodes {
      id
      email
      status
      role { name }
      lastActiveAt
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
  {
    query: `# Create an API key for yourself. The secret is in the answer once and never again: store it.
# Scopes limit it to part of what you may do (["*"]: everything). Needs apiKeys:manage.
mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey { id name scopes expiresAt }
  }
}
`,
    variables: '{ "input": { "name": "Audit collector", "scopes": ["auditLog:read"] } }',
  },
];
