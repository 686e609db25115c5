import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WsGateway, type WsGatewayOptions } from '../server/ws-gateway.js';

export interface GatewayServer {
  gateway: WsGateway;
  url: string;
  close(): Promise<void>;
}

/** The WebSocket gateway alone on a plain HTTP server on a free port (no HTTP API, no pattern). */
export async function startGatewayServer(options: WsGatewayOptions): Promise<GatewayServer> {
  const gateway = new WsGateway(options);
  const http = createServer();
  gateway.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    gateway,
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`,
    async close() {
      gateway.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
