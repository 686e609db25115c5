import type { WorldSpec } from '../chat/world-spec.js';
import type { SwarmMember } from './subscriber-swarm.js';

/** Bench users are u0..u(n-1) with token `tok-u<i>`; u0 is the sender of every room it is in. */
export const userId = (i: number) => `u${i}`;
export const tokenOf = (i: number) => `tok-u${i}`;

export interface BenchRoom {
  id: string;
  /** Members are u0..u(size-1). */
  size: number;
}

/** The users and rooms that give each room `size` members. */
export function benchWorld(rooms: BenchRoom[], extraUsers = 0): WorldSpec {
  const users = Math.max(extraUsers, ...rooms.map((r) => r.size));
  return {
    users: Array.from({ length: users }, (_, i) => ({ id: userId(i), token: tokenOf(i) })),
    rooms: rooms.map((room) => ({ id: room.id, members: Array.from({ length: room.size }, (_, i) => userId(i)) })),
  };
}

/** One socket per user, subscribed to every bench room the user is a member of. */
export function swarmMembers(rooms: BenchRoom[], sockets: number): SwarmMember[] {
  return Array.from({ length: sockets }, (_, i) => ({
    token: tokenOf(i),
    rooms: rooms.filter((room) => i < room.size).map((room) => room.id),
  }));
}
