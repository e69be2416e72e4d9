import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { JSONScalar } from '../kernel/scalars';
import { Viewer } from '../auth/viewer.types';
import { FinishPasskeyRegistrationInput, FinishPasskeySignInInput, RenamePasskeyInput } from './passkey.inputs';
import {
  deletePasskey,
  finishPasskeyRegistration,
  listPasskeys,
  renamePasskey,
  startPasskeyRegistration,
} from './passkey.service';
import { finishPasskeySignIn, startPasskeySignIn } from './passkey-sign-in.service';
import { Passkey } from './passkey.types';

@Resolver()
export class PasskeyResolver {
  @Authorized('profile:read')
  @Query(() => [Passkey], { description: "The viewer's passkeys, oldest first" })
  passkeys(@Ctx() ctx: RequestContext): Promise<Passkey[]> {
    return listPasskeys(ctx);
  }

  @Authorized('profile:update')
  @Mutation(() => JSONScalar, {
    description: 'PublicKeyCredentialCreationOptionsJSON for startRegistration; finish within 5 minutes',
  })
  startPasskeyRegistration(@Ctx() ctx: RequestContext): Promise<unknown> {
    return startPasskeyRegistration(ctx);
  }

  @Authorized('profile:update')
  @Mutation(() => Passkey, { description: 'Verifies and keeps the new passkey under the given name' })
  finishPasskeyRegistration(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: "The browser's registration answer and the passkey's name." })
    input: FinishPasskeyRegistrationInput,
  ): Promise<Passkey> {
    return finishPasskeyRegistration(ctx, input);
  }

  @Authorized('profile:update')
  @Mutation(() => Passkey, { description: "Renames one of the caller's passkeys. Needs profile:update." })
  renamePasskey(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The passkey and its new name.' }) input: RenamePasskeyInput,
  ): Promise<Passkey> {
    return renamePasskey(ctx, input);
  }

  @Authorized('profile:update')
  @Mutation(() => Boolean, {
    description: 'Removes a passkey and signs out other sessions; CONFLICT when it is the last second factor required',
  })
  deletePasskey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The passkey's id." }) id: string,
  ): Promise<boolean> {
    return deletePasskey(ctx, id);
  }

  // A query although it stores a challenge: issuing one changes nothing anyone could audit, and
  // the sign-in page asks for one on every visit (for passkey autofill).
  @Query(() => JSONScalar, {
    description:
      'PublicKeyCredentialRequestOptionsJSON for startAuthentication (discoverable passkeys, also as autofill); a new single-use challenge, valid 5 minutes',
  })
  passkeySignInOptions(@Ctx() ctx: RequestContext): Promise<unknown> {
    return startPasskeySignIn(ctx);
  }

  @Mutation(() => Viewer, { description: 'Signs in with a passkey alone (no password or code)' })
  finishPasskeySignIn(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: "The browser's authentication answer." }) input: FinishPasskeySignInInput,
  ): Promise<Viewer> {
    return finishPasskeySignIn(ctx, input.response);
  }
}
