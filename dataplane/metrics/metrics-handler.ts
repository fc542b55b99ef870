import type { IncomingMessage, ServerResponse } from 'node:http';
import { adminTokenMatches, bearerToken } from '../shared-cache/admin-token.ts';
import type { DataplaneMetrics } from './dataplane-metrics.ts';

/**
 * `GET /metrics`. With a token (e.g. `metrics.token_env`), scrapers must send it as a bearer token:
 * metrics reveal traffic volumes and reason codes, so a proxy reachable from user machines should
 * not hand them to everyone. Without one, bind the proxy's metrics where only Prometheus reaches.
 */
export function createMetricsHandler(metrics: DataplaneMetrics, options: { token?: string } = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return function serveMetrics(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { code: 'method_not_allowed', message: 'aigate: /metrics only answers GET' } }));
    }
    if (options.token !== undefined) {
      const token = bearerToken(req.headers.authorization);
      if (token === null || !adminTokenMatches(token, options.token)) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
        return void res.end(JSON.stringify({ error: { code: token === null ? 'auth_missing' : 'auth_invalid', message: 'aigate: /metrics needs the metrics token' } }));
      }
    }
    const body = Buffer.from(metrics.render());
    res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
