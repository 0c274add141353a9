// A real OpenID provider for the tests: panva's certified oidc-provider, on loopback.
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG: {port, clients: [...], keys: [private JWKs], people: {login: {claims}}, scopes: {scope: [claims]}}
// Prints "listening PORT" once it answers. The login form is oidc-provider's devInteractions: the
// login name picks the person in `people`.
//
// One addition for the tests of refused log-ins: POST /test/forge?mode=MODE makes the NEXT token
// response carry a forged ID token (an empty MODE: none) (what an attacker between certify and the provider would
// hand over): "other-key" (signed by a key the provider never published, under the provider's own
// key id), "unknown-key" (a key id the provider never published), "expired", "audience",
// "issuer", "nonce". All but the key modes are signed with the provider's real key.
//
// And for the staff log-in tests: POST /test/person?login=LOGIN with a JSON body replaces that
// person's claims (a kommun's administrator removing someone from a group). Like Entra ID, the
// provider puts the `groups` claim in every ID token (the openid scope), when the person has one.
import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: { keys: config.keys },
  cookies: { keys: ['certify-test-provider-cookies'] },
  pkce: { required: () => true },
  conformIdTokenClaims: false, // the claims ride in the ID token, as with Sweden Connect
  claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'], ...config.scopes },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const person = config.people[id];
    if (!person) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...person }) };
  },
});

let forge = null; // the mode for the next token response
const ownKey = config.keys[0];
const attackerKey = (await jose.generateKeyPair('RS256', { extractable: true })).privateKey;

async function forged(idToken, mode) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = await jose.importJWK(ownKey, 'RS256');
  let kid = ownKey.kid;
  if (mode === 'other-key') key = attackerKey;
  if (mode === 'unknown-key') [key, kid] = [attackerKey, 'never-published'];
  if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (mode === 'audience') claims.aud = 'another-service';
  if (mode === 'issuer') claims.iss = 'https://impostor.example';
  if (mode === 'nonce') claims.nonce = 'not-the-nonce-certify-sent';
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/test/forge' && ctx.method === 'POST') {
    forge = ctx.query.mode;
    ctx.status = 204;
    return;
  }
  if (ctx.path === '/test/person' && ctx.method === 'POST') {
    let body = '';
    for await (const chunk of ctx.req) body += chunk;
    config.people[ctx.query.login] = JSON.parse(body);
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && forge && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await forged(ctx.body.id_token, forge) };
    forge = null;
  }
});

provider.listen(config.port, '127.0.0.1', () => console.log(`listening ${config.port}`));
