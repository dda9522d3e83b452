// A stand-in for "your server": an Express API with cors, started by cors-matrix.config.ts. Its origin RegExp has
// the classic flaw (every subdomain of example.com is trusted), which the config declares as a finding.
import cors from 'cors';
import express from 'express';

const app = express();
app.use(
  cors({
    origin: ['https://app.example.com', /\.example\.com$/],
    credentials: true,
    methods: ['GET', 'PUT'],
    allowedHeaders: ['Content-Type', 'X-Request-Id'],
  }),
);
app.get('/api/health', (_req, res) => void res.type('text/plain').send('ok'));
app.all('/api/orders', (_req, res) => void res.json({ orders: [] }));
app.listen(Number(process.env['PORT'] ?? 4010), '127.0.0.1');
