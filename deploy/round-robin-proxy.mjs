// A small round-robin HTTP reverse proxy for deploy/local-stack.sh: the load balancer in front of the replicas, so
// the local stack has the topology of the container deployments. Local testing only: no TLS, no health checks.
//   node round-robin-proxy.mjs LISTEN_PORT UPSTREAM_HOST:PORT [UPSTREAM_HOST:PORT ...]
// Each request goes to the next upstream in turn, bodies streamed both ways. It logs one line per request on stdout,
// `upstream=<index> <method> <path> <status>` (path without its query string, which may carry credentials), so tests
// can see which replica served what.
import http from 'node:http';

const [listenPort, ...upstreamArguments] = process.argv.slice(2);
if (!listenPort || upstreamArguments.length === 0) {
  console.error('usage: node round-robin-proxy.mjs LISTEN_PORT UPSTREAM_HOST:PORT [UPSTREAM_HOST:PORT ...]');
  process.exit(2);
}
const upstreams = upstreamArguments.map((argument) => {
  const separator = argument.lastIndexOf(':');
  return {
    host: argument.slice(0, separator),
    port: Number(argument.slice(separator + 1)),
    agent: new http.Agent({ keepAlive: true }),
  };
});
// Per connection, not per hop: they must not be forwarded.
const hopByHopHeaders = ['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer'];

let next = 0;

function withoutHopByHop(headers) {
  const copy = { ...headers };
  for (const name of hopByHopHeaders) delete copy[name];
  return copy;
}

const server = http.createServer((request, response) => {
  const index = next;
  next = (next + 1) % upstreams.length;
  const upstream = upstreams[index];
  const path = request.url.split('?')[0];
  const headers = withoutHopByHop(request.headers);
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${request.socket.remoteAddress}` : request.socket.remoteAddress;

  const forwarded = http.request(
    { host: upstream.host, port: upstream.port, method: request.method, path: request.url, headers, agent: upstream.agent },
    (answer) => {
      console.log(`upstream=${index} ${request.method} ${path} ${answer.statusCode}`);
      response.writeHead(answer.statusCode, withoutHopByHop(answer.headers));
      answer.pipe(response);
    },
  );
  forwarded.on('error', (error) => {
    console.log(`upstream=${index} ${request.method} ${path} 502 (${error.code || error.message})`);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error_code: 'TEMPORARILY_UNAVAILABLE', message: `upstream ${index} failed: ${error.message}` }));
  });
  request.pipe(forwarded);
});

server.listen(Number(listenPort), '127.0.0.1', () => {
  console.log(`round-robin proxy listening on 127.0.0.1:${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  });
}
