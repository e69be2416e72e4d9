import { Field, ID, ObjectType } from 'type-graphql';
import type { SessionEntity } from './session.entity';

/** "Chrome on macOS" from a user agent: enough to recognise one's own devices. */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser =
    [
      ['Edge', /Edg\//],
      ['Opera', /OPR\//],
      ['Firefox', /Firefox\//],
      ['Chrome', /Chrome\/|CriOS\//],
      ['Safari', /Safari\//],
    ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0] ?? 'A browser';
  const system = [
    ['Android', /Android/],
    ['iOS', /iPhone|iPad/],
    ['Windows', /Windows/],
    ['macOS', /Mac OS X|Macintosh/],
    ['Linux', /Linux/],
  ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0];
  return system ? `${browser} on ${system}` : String(browser);
}

@ObjectType({ description: 'A signed-in browser of the viewer' })
export class Session {
  @Field(() => ID, { description: "The session's id." })
  id: string;

  @Field({ description: 'Browser and system, from the user agent' })
  device: string;

  @Field(() => String, { nullable: true, description: "The browser's User-Agent." })
  userAgent: string | null;

  @Field(() => String, { nullable: true, description: 'The IP address of the session.' })
  ip: string | null;

  @Field({ description: 'When it signed in.' })
  createdAt: Date;

  @Field({ description: 'When it was last used.' })
  lastSeenAt: Date;

  @Field({ description: 'When it ends.' })
  expiresAt: Date;

  @Field({ description: 'The session of this request' })
  current: boolean;

  static from(entity: SessionEntity, currentSessionId: string | null): Session {
    return Object.assign(new Session(), {
      id: entity.id,
      device: describeUserAgent(entity.userAgent),
      userAgent: entity.userAgent,
      ip: entity.ip,
      createdAt: entity.createdAt,
      lastSeenAt: entity.lastSeenAt,
      expiresAt: entity.expiresAt,
      current: entity.id === currentSessionId,
    });
  }
}
