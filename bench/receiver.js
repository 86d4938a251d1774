// A minimal webhook receiver, run as its own process (as a real one would be) so that it does
// not share an event loop with the client being measured: reads the body, answers 200 "ok"
// like Slack. Plain JavaScript: nothing to compile. Reports its port to the parent.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
process.on('disconnect', () => process.exit(0));
