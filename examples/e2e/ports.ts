// Where the example's two servers listen (playwright.config.ts starts them), and the API origin the frontend calls.
// Free ports are picked once, when the runner loads the config, and handed to the workers (and the servers) through
// the environment; E2E_FRONT_PORT and E2E_API_PORT pin them.
import { createServer } from 'node:net';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

process.env['E2E_FRONT_PORT'] ??= String(await freePort());
process.env['E2E_API_PORT'] ??= String(await freePort());
process.env['E2E_API_TLS_PORT'] ??= String(await freePort());

export const FRONT_PORT = Number(process.env['E2E_FRONT_PORT']);
export const API_PORT = Number(process.env['E2E_API_PORT']);
/**
 * The same API over https on 127.0.0.1 (a certificate generated at start): the bench's plain Playwright
 * baseline calls it, so that both sides of the comparison pay for TLS.
 */
export const API_TLS_PORT = Number(process.env['E2E_API_TLS_PORT']);
/** The shop's frontend, as users open it. */
export const FRONT_ORIGIN = `http://127.0.0.1:${FRONT_PORT}`;
/** The API origin the frontend's code calls, as in production; in the tests it is mapped to the local API server. */
export const API_ORIGIN = 'https://api.shop.example';
