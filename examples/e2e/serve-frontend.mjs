// The shop's frontend: static files from ./app on its own origin. Run: node serve-frontend.mjs PORT
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';

const [port = '47311'] = process.argv.slice(2);
const root = join(import.meta.dirname, 'app');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript' };

createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const file = join(root, path === '/' ? 'index.html' : path);
  if (!file.startsWith(root)) return res.writeHead(403).end();
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}).listen(Number(port), '127.0.0.1', () => console.log(`frontend on http://127.0.0.1:${port}`));
