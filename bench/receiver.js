// Plain JavaScript: worker threads do not inherit the tsx loader on Node 20.
import { createServer } from 'node:http';
import { parentPort } from 'node:worker_threads';

// A minimal webhook receiver in its own thread, so that it does not share the event loop
// with the client being measured: reads the body, answers 200 "ok" like Slack.
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  parentPort?.postMessage(typeof address === 'object' && address ? address.port : 0);
});
parentPort?.on('message', (message) => {
  if (message === 'close') server.close(() => process.exit(0));
});
