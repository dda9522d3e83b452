// Express 5 with the `cors` package (npm), as a team might ship it: the app's origin, plus a pattern meant for the
// site's other hosts (/notes\.test$/: no dot before the site, and no scheme), with credentials.
import express from 'express';
import cors from 'cors';

const app = express();
app.use(cors({ origin: ['https://app.notes.test', /notes\.test$/], credentials: true }));
app.use(express.json());
app.get('/health', (_req, res) => res.json({ ok: true }));
app.get('/notes', (_req, res) => res.json([{ id: 1 }]));
app.post('/notes', (_req, res) => res.json({ id: 2 }));
app.delete('/notes/:id', (_req, res) => res.json({ deleted: true }));
app.listen(Number(process.env.PORT), '127.0.0.1');
