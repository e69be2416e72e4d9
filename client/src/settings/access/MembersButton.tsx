import { Button } from '../../ui/Button';

/** A group's or workspace's member count, opening its members. Named "3 members of Platform". */
export function MembersButton({ count, of, onClick }: { count: number; of: string; onClick: () => void }) {
  return (
    <Button size="sm" onClick={onClick}>
      {count === 1 ? '1 member' : `${count} members`}
      <span className="visually-hidden"> of {of}</span>
    </Button>
  );
}
