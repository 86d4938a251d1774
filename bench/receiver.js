// A minimal webhook receiver, run as its own process (as a real one would be) so that it does
// not share an event loop with the client being measured: reads the body, answers 200 "ok"
// like Slack. Plain JavaScript: nothing to compile. Reports its port to the parent.
// With the argument `--mark PREFIX` it also notes, for each body holding PREFIX followed by
// digits, when it arrived (epoch ms, sub-millisecond), and sends the parent every
// [marker, time] pair when asked ('report'): the durable bench's intake-to-delivery latency.
// Asked 'cpu', it sends its CPU time so far.
import { createServer } from 'node:http';

const markAt = process.argv.indexOf('--mark');
const marker = markAt > 0 ? new RegExp(`${process.argv[markAt + 1]}\\d+`) : undefined;
const seen = [];

const server = createServer((req, res) => {
  if (!marker) {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    return;
  }
  let body = '';
  req.setEncoding('utf8').on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const found = marker.exec(body);
    if (found) seen.push([found[0], performance.timeOrigin + performance.now()]);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
process.on('message', (message) => {
  if (message === 'report') process.send?.({ seen: seen.splice(0) });
  // Its own CPU time (user + system, µs) so far: a bench can tell whether the receiver was its bottleneck.
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
  }
});
process.on('disconnect', () => process.exit(0));
