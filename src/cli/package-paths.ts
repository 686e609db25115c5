import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The package root (this file is dist/cli/ or src/cli/, two levels down). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shipped scenarios, used when a command is given none. */
export const SHIPPED_SCENARIOS = join(PACKAGE_ROOT, 'scenarios');
