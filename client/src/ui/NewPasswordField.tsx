import { useId } from 'react';
import type { PasswordRuleResult } from '@gatehouse/shared';
import { Field, type FieldProps } from './Field';
import { PasswordChecklist } from './PasswordChecklist';

/** A password being chosen, with the live checklist of the rules it must pass. */
export function NewPasswordField({
  rules,
  ...field
}: Omit<FieldProps, 'type' | 'children'> & { rules: PasswordRuleResult[] }) {
  const checklistId = useId();
  return (
    <Field type="password" autoComplete="new-password" aria-describedby={checklistId} {...field}>
      <PasswordChecklist id={checklistId} rules={rules} />
    </Field>
  );
}

export function passwordAcceptable(rules: PasswordRuleResult[]): boolean {
  return rules.every((rule) => rule.ok);
}
