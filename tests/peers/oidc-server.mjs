// OAuth2 client_credentials peer for the probe tests: panva's oidc-provider on loopback, plus a
// tiny protected resource that accepts only live tokens it issued (oidc-provider's own /me
// refuses client_credentials tokens).
//
//   CC_TTL=2 TOKEN_PATH=/oauth/token RESOURCE_PATH=/customers node oidc-server.mjs 0
//   -> prints "listening http://127.0.0.1:PORT" once ready; SIGTERM stops it.
//
// Clients: good_id / good_secret (HTTP Basic), post_id / post_secret (secret in the form body).
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? 0);
const ttl = Number(process.env.CC_TTL ?? 600);
const resourcePath = process.env.RESOURCE_PATH ?? '/customers';
const server = http.createServer();

server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'good_id', client_secret: 'good_secret', grant_types: ['client_credentials'],
        redirect_uris: [], response_types: [], token_endpoint_auth_method: 'client_secret_basic' },
      { client_id: 'post_id', client_secret: 'post_secret', grant_types: ['client_credentials'],
        redirect_uris: [], response_types: [], token_endpoint_auth_method: 'client_secret_post' },
    ],
    features: { clientCredentials: { enabled: true }, introspection: { enabled: true },
                revocation: { enabled: true }, devInteractions: { enabled: false } },
    ttl: { ClientCredentials: ttl },
    routes: { token: process.env.TOKEN_PATH ?? '/token' },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (new URL(req.url, issuer).pathname !== resourcePath) return callback(req, res);
    const auth = req.headers.authorization ?? '';
    const value = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const token = value ? await provider.ClientCredentials.find(value).catch(() => undefined) : undefined;
    const live = token && !token.isExpired;
    res.writeHead(live ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(live ? { data: [], has_more: false }
                                : { error: 'invalid_token', error_description: 'invalid or expired token' }));
  });
  console.log(`listening ${issuer}`);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => { server.close(() => process.exit(0)); server.closeAllConnections(); });
}
