/** The write concern the store writes with (DESIGN.md §2: journaled by default), as parsed from `--write-concern`. */
export interface WriteConcernSetting {
  w: number | 'majority';
  j: boolean;
  wtimeoutMS?: number;
}

export const DEFAULT_WRITE_CONCERN: WriteConcernSetting = { w: 1, j: true };

/** Parses `w=1,j=true,wtimeout=5000` (or `majority`, or `journaled`); `null` names nothing valid. */
export function parseWriteConcern(text: string): WriteConcernSetting | null {
  const trimmed = text.trim();
  if (trimmed === 'journaled') return { ...DEFAULT_WRITE_CONCERN };
  if (trimmed === 'majority') return { w: 'majority', j: true };
  const setting: WriteConcernSetting = { ...DEFAULT_WRITE_CONCERN };
  for (const part of trimmed.split(',')) {
    const [key, value] = part.split(/[=:]/).map((s) => s.trim());
    if (key === 'w' && value === 'majority') setting.w = 'majority';
    else if (key === 'w' && value !== undefined && /^\d+$/.test(value)) setting.w = Number(value);
    else if (key === 'j' && (value === 'true' || value === 'false')) setting.j = value === 'true';
    else if (key === 'wtimeout' && value !== undefined && /^\d+$/.test(value)) setting.wtimeoutMS = Number(value);
    else return null;
  }
  return setting;
}

/** The form reports and /healthz show, e.g. `w:1,j:true`. */
export function describeWriteConcern(setting: WriteConcernSetting): string {
  return `w:${setting.w},j:${setting.j}${setting.wtimeoutMS !== undefined ? `,wtimeout:${setting.wtimeoutMS}` : ''}`;
}
