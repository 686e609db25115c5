/** A publication as the server API and the client protocol return it (JSON protocol: `data` is the JSON itself). */
export interface Publication {
  offset: number;
  data: unknown;
}

export interface StreamPosition {
  offset: number;
  epoch: string;
}

/**
 * What one server API call came to. `unknown`: no answer (timeout, dropped connection), a 5xx HTTP status or
 * Centrifugo's internal error (100, e.g. a Redis timeout that may have happened after the write): the call may or may
 * not have taken effect. `refused`: the connection was refused, a 4xx (a wrong API key), or Centrifugo answered with an
 * error of its own that it raises before doing anything (bad request, unknown channel, …): nothing was applied.
 */
export type ApiOutcome<T> =
  | { status: 'ok'; value: T; httpStatus: number }
  | { status: 'refused' | 'unknown'; httpStatus?: number; error: { code: string; message: string } };

/** Centrifugo's internal error: raised after the engine was asked, so the effect is unknown. */
const INTERNAL_ERROR = 100;

/**
 * Centrifugo's server HTTP API (`POST /api/<method>`, `X-API-Key`), the way an application backend uses it: `publish`
 * (with an idempotency key) and `history`. Errors are values with a code and a sentence; it never throws.
 */
export class CentrifugoServerApi {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Publishes into a channel's stream. A second publish with the same `idempotencyKey` within Centrifugo's result TTL
   * (5 minutes by default) is not stored again: Centrifugo answers with the first one's position.
   */
  publish(channel: string, data: unknown, idempotencyKey: string): Promise<ApiOutcome<StreamPosition>> {
    return this.call('publish', { channel, data, idempotency_key: idempotencyKey }, (result) => ({
      offset: Number(result['offset'] ?? 0),
      epoch: String(result['epoch'] ?? ''),
    }));
  }

  /** One page of a channel's history: publications after `since` (from the stream's start without it), oldest first. */
  historyPage(
    channel: string,
    limit: number,
    since?: StreamPosition,
  ): Promise<ApiOutcome<{ publications: Publication[]; position: StreamPosition }>> {
    return this.call('history', { channel, limit, ...(since ? { since } : {}) }, (result) => ({
      publications: ((result['publications'] as { offset?: number | string; data?: unknown }[] | undefined) ?? []).map((p) => ({
        offset: Number(p.offset ?? 0),
        data: p.data,
      })),
      position: { offset: Number(result['offset'] ?? 0), epoch: String(result['epoch'] ?? '') },
    }));
  }

  /** Every publication the channel's history holds, read page by page from its start within one epoch. */
  async history(channel: string, pageSize = 1_000): Promise<ApiOutcome<{ publications: Publication[]; position: StreamPosition }>> {
    const publications: Publication[] = [];
    let since: StreamPosition | undefined;
    for (;;) {
      const page = await this.historyPage(channel, pageSize, since);
      if (page.status !== 'ok') return page;
      if (since && page.value.position.epoch !== since.epoch) {
        // The stream was lost and started anew between two pages: read the new one from its start.
        publications.length = 0;
        since = undefined;
        continue;
      }
      publications.push(...page.value.publications);
      const last = page.value.publications.at(-1);
      if (page.value.publications.length < pageSize || !last) return { ...page, value: { publications, position: page.value.position } };
      since = { offset: last.offset, epoch: page.value.position.epoch };
    }
  }

  /** Node info: answers once the node serves its API (and, with the redis engine, was able to start its broker). */
  info(): Promise<ApiOutcome<Record<string, unknown>>> {
    return this.call('info', {}, (result) => result);
  }

  private async call<T>(method: string, body: unknown, read: (result: Record<string, unknown>) => T): Promise<ApiOutcome<T>> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return transportFailure(method, error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return transportFailure(method, error);
    }
    const httpStatus = response.status;
    if (!response.ok) {
      // A 4xx (a wrong API key, a malformed request) is refused before anything is done; a 5xx may come after.
      const status = httpStatus >= 400 && httpStatus < 500 ? 'refused' : 'unknown';
      return { status, httpStatus, error: { code: `HTTP_${httpStatus}`, message: `${method}: HTTP ${httpStatus} ${text.slice(0, 200)}` } };
    }
    let parsed: { result?: Record<string, unknown>; error?: { code?: number; message?: string } };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      return { status: 'unknown', httpStatus, error: { code: 'BAD_RESPONSE', message: `${method}: not JSON: ${text.slice(0, 200)}` } };
    }
    if (parsed.error) {
      const code = parsed.error.code ?? 0;
      return {
        status: code === INTERNAL_ERROR ? 'unknown' : 'refused',
        httpStatus,
        error: { code: `CENTRIFUGO_${code}`, message: `${method}: ${parsed.error.message ?? 'error'} (code ${code})` },
      };
    }
    return { status: 'ok', httpStatus, value: read(parsed.result ?? {}) };
  }
}

function transportFailure(method: string, error: unknown): { status: 'refused' | 'unknown'; error: { code: string; message: string } } {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') {
    return { status: 'refused', error: { code: 'CONNECTION_REFUSED', message: `${method}: connection refused (Centrifugo is not listening)` } };
  }
  if ((error as Error).name === 'TimeoutError') {
    return { status: 'unknown', error: { code: 'TIMEOUT', message: `${method}: no answer in time` } };
  }
  return { status: 'unknown', error: { code: 'NETWORK', message: `${method}: ${(error as Error).message ?? String(error)}` } };
}
