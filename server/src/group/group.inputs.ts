import { InputType } from 'type-graphql';
import { NamedInput, RenameInput } from '../kernel/named-inputs';

@InputType()
export class CreateGroupInput extends NamedInput {}

@InputType()
export class UpdateGroupInput extends RenameInput {}
