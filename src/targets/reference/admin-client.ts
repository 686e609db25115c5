import type { WorldSpec } from '../../chat/world-spec.js';

/** A fault point as the admin endpoint reports it. */
export interface ArmedFault {
  point: string;
  params: Record<string, unknown>;
  fired: number;
}

/** A non-2xx answer from the admin endpoint, with the contract's error code. */
export class AdminError extends Error {
  override readonly name = 'AdminError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The harness's side of the admin endpoint (DESIGN.md §7): fault points and world additions, over HTTP only. */
export class AdminClient {
  constructor(private readonly adminUrl: string) {}

  async armFault(point: string, params: Record<string, unknown> = {}): Promise<ArmedFault> {
    return (await this.call<{ fault: ArmedFault }>('PUT', `/_ackproof/faults/${encodeURIComponent(point)}`, params)).fault;
  }

  /** True when it was armed. */
  async disarmFault(point: string): Promise<boolean> {
    return (await this.call<{ disarmed: boolean }>('DELETE', `/_ackproof/faults/${encodeURIComponent(point)}`)).disarmed;
  }

  async listFaults(): Promise<ArmedFault[]> {
    return (await this.call<{ faults: ArmedFault[] }>('GET', '/_ackproof/faults')).faults;
  }

  /** Adds users and rooms (idempotent); returns the whole world. */
  async addWorld(spec: Partial<WorldSpec>): Promise<WorldSpec> {
    return (await this.call<{ world: WorldSpec }>('POST', '/_ackproof/world', spec)).world;
  }

  async world(): Promise<WorldSpec> {
    return (await this.call<{ world: WorldSpec }>('GET', '/_ackproof/world')).world;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.adminUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json().catch(() => undefined)) as
      | (T & { error?: { code: string; message: string } })
      | undefined;
    if (!response.ok || payload === undefined) {
      throw new AdminError(
        response.status,
        payload?.error?.code ?? 'ADMIN_ERROR',
        `admin ${method} ${path}: ${response.status} ${payload?.error?.message ?? response.statusText}`,
      );
    }
    return payload;
  }
}
