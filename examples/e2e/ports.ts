// Where the example's two servers listen (playwright.config.ts starts them), and the API origin the frontend calls.
export const FRONT_PORT = Number(process.env['E2E_FRONT_PORT'] ?? 47311);
export const API_PORT = Number(process.env['E2E_API_PORT'] ?? 47312);
/** The shop's frontend, as users open it. */
export const FRONT_ORIGIN = `http://127.0.0.1:${FRONT_PORT}`;
/** The API origin the frontend's code calls, as in production; in the tests it is mapped to the local API server. */
export const API_ORIGIN = 'https://api.shop.example';
