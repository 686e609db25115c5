import type { ExitCodeValue } from './exit-code.js';

/** Where a command's action leaves its exit code; `main` reads it after commander has parsed and run. */
export interface ExitSlot {
  code: ExitCodeValue;
}

/** Wraps a command's async body so its exit code lands in the slot (commander actions cannot return one). */
export function exitWith<A extends unknown[]>(slot: ExitSlot, body: (...args: A) => Promise<ExitCodeValue>) {
  return async (...args: A): Promise<void> => {
    slot.code = await body(...args);
  };
}
