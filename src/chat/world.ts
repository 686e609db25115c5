import { ValidationError } from './chat-error.js';
import type { WorldSpec } from './world-spec.js';

/** Who may act where: users by bearer token, rooms with their members. Grows at run time (admin endpoint). */
export class World {
  private readonly tokens = new Map<string, string>();
  private readonly users = new Map<string, string>();
  private readonly rooms = new Map<string, Set<string>>();

  constructor(spec?: WorldSpec) {
    if (spec) this.add(spec);
  }

  /**
   * Adds users and rooms; idempotent. A known user gets its new token; a known room gains the listed members.
   * Checked first and applied whole, so a rejected spec changes nothing.
   */
  add(spec: WorldSpec): void {
    const tokenOwner = new Map(this.tokens);
    const userIds = new Set(this.users.keys());
    for (const [i, user] of spec.users.entries()) {
      const owner = tokenOwner.get(user.token);
      if (owner !== undefined && owner !== user.id) {
        throw new ValidationError(`users[${i}].token: already the token of user "${owner}"`, 'TOKEN_IN_USE');
      }
      tokenOwner.set(user.token, user.id);
      userIds.add(user.id);
    }
    for (const [i, room] of spec.rooms.entries()) {
      const unknown = room.members.find((m) => !userIds.has(m));
      if (unknown !== undefined) {
        throw new ValidationError(`rooms[${i}].members: unknown user "${unknown}"`, 'UNKNOWN_USER');
      }
    }
    for (const user of spec.users) {
      const previous = this.users.get(user.id);
      if (previous !== undefined) this.tokens.delete(previous);
      this.users.set(user.id, user.token);
      this.tokens.set(user.token, user.id);
    }
    for (const room of spec.rooms) {
      const members = this.rooms.get(room.id) ?? new Set<string>();
      for (const member of room.members) members.add(member);
      this.rooms.set(room.id, members);
    }
  }

  /** The user a bearer token belongs to. */
  userFor(token: string | undefined): string | undefined {
    return token === undefined ? undefined : this.tokens.get(token);
  }

  hasRoom(roomId: string): boolean {
    return this.rooms.has(roomId);
  }

  isMember(roomId: string, userId: string): boolean {
    return this.rooms.get(roomId)?.has(userId) ?? false;
  }

  toSpec(): WorldSpec {
    return {
      users: [...this.users].map(([id, token]) => ({ id, token })),
      rooms: [...this.rooms].map(([id, members]) => ({ id, members: [...members] })),
    };
  }
}
