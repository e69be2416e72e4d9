import { InputType } from 'type-graphql';
import { NamedInput, RenameInput } from '../kernel/named-inputs';

@InputType({ description: "A new group's name and description." })
export class CreateGroupInput extends NamedInput {}

@InputType({ description: "A group's new name or description." })
export class UpdateGroupInput extends RenameInput {}
