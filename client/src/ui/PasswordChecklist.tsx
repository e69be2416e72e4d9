import type { PasswordRuleResult } from '@gatehouse/shared';
import { CheckIcon, CircleIcon, CrossIcon } from './icons';

/**
 * The checklist rules, ticked as they pass; the other rules (common password, length in bytes,
 * personal data) only appear once the password breaks them.
 */
export function PasswordChecklist({ id, rules }: { id?: string; rules: PasswordRuleResult[] }) {
  const problems = rules.filter((rule) => !rule.checklist && !rule.ok);
  return (
    <div id={id} className="password-rules">
      <ul className="checklist" aria-label="Password requirements">
        {rules
          .filter((rule) => rule.checklist)
          .map((rule) => (
            <li key={rule.id} data-state={rule.ok ? 'passed' : 'pending'}>
              {rule.ok ? <CheckIcon /> : <CircleIcon />}
              <span>{rule.label}</span>
              <span className="visually-hidden">{rule.ok ? ' (done)' : ' (not yet)'}</span>
            </li>
          ))}
      </ul>
      {problems.length > 0 && (
        <ul className="checklist checklist-problems" aria-label="Password problems">
          {problems.map((rule) => (
            <li key={rule.id} data-state="failed">
              <CrossIcon />
              <span>{rule.label}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
