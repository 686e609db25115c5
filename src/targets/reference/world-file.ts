import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { WorldSpec } from '../../chat/world-spec.js';

/**
 * The users and rooms of a case, kept in the `--world` file the server reads at start (the caller also adds them
 * to the running server through the admin endpoint): so a server restarted after a crash knows every room of the
 * runs so far.
 */
export class WorldFile {
  private readonly spec: WorldSpec = { users: [], rooms: [] };

  constructor(
    readonly path: string,
    users: readonly string[],
  ) {
    this.spec.users = users.map((id) => ({ id, token: `${id}-${randomBytes(12).toString('hex')}` }));
    this.write();
  }

  token(userId: string): string {
    const user = this.spec.users.find((u) => u.id === userId);
    if (!user) throw new Error(`no user ${userId} in the world`);
    return user.token;
  }

  addRooms(rooms: WorldSpec['rooms']): void {
    this.spec.rooms.push(...rooms);
    this.write();
  }

  private write(): void {
    writeFileSync(this.path, JSON.stringify(this.spec, null, 2));
  }
}
