// The yardstick for `npm run bench`: a bare Express 5 app, no middleware, one small JSON body.
// Run by scripts/bench.ts as its own process with PORT set; listens on loopback only.
import express from 'express';

const app = express();
app.get('/', (_req, res) => {
  res.json({ ok: true, service: 'bare-express', message: 'Xin chào' });
});
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
