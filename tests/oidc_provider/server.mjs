// A real OpenID Provider on loopback for the single sign-on tests: panva's certified oidc-provider (version 8,
// which runs on Debian 12's Node.js 18 as well as on Node.js 20).
//
// Started by tests/oidc.py (`node server.mjs`, port 0); it prints "listening <port>" once it serves.
// Everything below /_test/ is a control interface for the tests (loopback only, never a production thing):
//   POST /_test/reset       {clients, accounts, logout}  a fresh provider: new signing key, no sessions, counters at
//                                                zero; logout: false leaves RP-initiated logout out of discovery
//   POST /_test/accounts    {accounts}           replace the accounts (e.g. an e-mail address changed at the provider)
//   POST /_test/rotate                           publish a new signing key and sign with it (the old one stays listed)
//   POST /_test/hang        {ms}                 answer every provider request only after ms milliseconds
//   POST /_test/substitute  {...}                change the next token response (see substitute() below)
//   GET  /_test/stats                            how often each provider path was requested
// The login page (/interaction/<uid>) takes a login name and the amr/acr values the provider will assert.
import http from 'node:http';
import crypto from 'node:crypto';

import { exportJWK, generateKeyPair, importJWK, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider from 'oidc-provider';

const HOST = '127.0.0.1';
const SCOPES = 'openid email profile';

let issuer = '';
let provider = null;
let handler = null;
let keys = [];          // private JWKs; the first one signs
let clients = [];
let accounts = {};      // login name -> claims (with sub)
let hangMs = 0;
let offersLogout = true;
let pendingSubstitution = null;
let stats = {};

async function newSigningKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
}

function accountBySub(sub) {
  return Object.values(accounts).find((claims) => claims.sub === sub);
}

function configuration() {
  return {
    clients,
    jwks: { keys },
    cookies: { keys: ['test-provider-cookie-key'] },
    // As Entra ID (with the optional claims), Google and Keycloak do: scope claims in the ID token itself.
    conformIdTokenClaims: false,
    claims: {
      // acr and amr travel with every ID token, as with providers that assert how the user signed in.
      sid: null, iss: null,
      openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'],
    },
    acrValues: ['urn:test:loa:1', 'urn:test:loa:2'],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: offersLogout, logoutSource },
    },
    // PKCE on every authorization request: a client that does not send an S256 challenge is refused.
    pkce: { required: () => true },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const claims = accountBySub(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ ...claims }) };
    },
    // First-party clients: no consent screen, the requested scopes are granted.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  };
}

async function logoutSource(ctx, form) {
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head>
<body><main><h1>Sign out of the test provider?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
}

function build() {
  provider = new Provider(issuer, configuration());
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && pendingSubstitution && ctx.body && ctx.body.id_token) {
      const change = pendingSubstitution;
      pendingSubstitution = null;
      Object.assign(ctx.body, await substitute(ctx.body, change));
    }
  });
  handler = provider.callback();
}

// What the next token response carries instead of the provider's own answer:
//   {id_token, access_token}  a token issued to another client, passed in whole (token substitution)
//   {resign: {claim: value}}  the provider's ID token with claims changed, signed again with the provider's own key
//   {forge: 'same-kid'}       the provider's ID token signed with a key the provider never published, same kid
//   {forge: 'unknown-kid'}    the same, under a key id the provider never published
async function substitute(body, change) {
  if (change.id_token) {
    return { id_token: change.id_token, access_token: change.access_token || body.access_token };
  }
  const claims = decodeJwt(body.id_token);
  const header = decodeProtectedHeader(body.id_token);
  let signingKey;
  if (change.forge) {
    signingKey = (await generateKeyPair('RS256')).privateKey;
  } else {
    const jwk = keys.find((key) => key.kid === header.kid);
    signingKey = await importJWK(jwk, 'RS256');
  }
  const payload = { ...claims, ...(change.resign || {}) };
  const kid = change.forge === 'unknown-kid' ? crypto.randomUUID() : header.kid;
  const token = await new SignJWT(payload).setProtectedHeader({ alg: header.alg, kid }).sign(signingKey);
  return { id_token: token };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
}

function loginPage(uid, clientId, problem) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider: sign in</title></head>
<body><main><h1>Sign in at the test provider</h1>
<p>Signing in to ${escapeHtml(clientId)}.</p>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">Login name</label> <input id="login" name="login" autocomplete="off">
<label for="amr">Methods used (amr)</label> <input id="amr" name="amr" value="pwd">
<label><input type="checkbox" name="mfa" value="1"> Second factor used</label>
<label for="acr">Assurance (acr)</label> <input id="acr" name="acr" value="">
<button type="submit">Sign in</button>
<button type="submit" name="cancel" value="1">Cancel</button>
</form></main></body></html>`;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function interaction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(details.uid, details.params.client_id, ''));
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  if (form.get('cancel')) {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const claims = accounts[form.get('login') || ''];
  if (!claims) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(details.uid, details.params.client_id, 'Unknown login name.'));
    return;
  }
  const amr = (form.get('amr') || '').split(/\s+/).filter(Boolean);
  if (form.get('mfa') && !amr.includes('mfa')) amr.push('mfa');
  const login = { accountId: claims.sub, ...(amr.length ? { amr } : {}) };
  if (form.get('acr')) login.acr = form.get('acr');
  await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
}

function json(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

async function control(req, res, url) {
  const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : {};
  switch (url.pathname) {
    case '/_test/reset':
      clients = body.clients || [];
      accounts = body.accounts || {};
      offersLogout = body.logout !== false;
      keys = [await newSigningKey()];
      hangMs = 0;
      pendingSubstitution = null;
      stats = {};
      build();
      return json(res, 200, { issuer, kid: keys[0].kid });
    case '/_test/accounts':
      accounts = body.accounts || {};
      return json(res, 200, {});
    case '/_test/rotate':
      keys = [await newSigningKey(), ...keys];
      build();
      return json(res, 200, { kid: keys[0].kid });
    case '/_test/hang':
      hangMs = Number(body.ms) || 0;
      return json(res, 200, {});
    case '/_test/substitute':
      pendingSubstitution = body;
      return json(res, 200, {});
    case '/_test/stats':
      return json(res, 200, stats);
    default:
      return json(res, 404, { error: 'unknown control path' });
  }
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    if (url.pathname.startsWith('/_test/')) {
      await control(req, res, url);
      return;
    }
    if (!provider) {
      json(res, 503, { error: 'not configured: POST /_test/reset first' });
      return;
    }
    stats[url.pathname] = (stats[url.pathname] || 0) + 1;
    if (hangMs) await new Promise((resolve) => { setTimeout(resolve, hangMs); });
    if (url.pathname.startsWith('/interaction/')) {
      await interaction(req, res, url);
      return;
    }
    handler(req, res);
  } catch (err) {
    if (!res.headersSent) json(res, 500, { error: String(err && err.message) });
  }
});

server.listen(Number(process.env.PORT || 0), HOST, () => {
  issuer = `http://${HOST}:${server.address().port}`;
  process.stdout.write(`listening ${server.address().port}\n`);
});

process.on('SIGTERM', () => { server.close(); process.exit(0); });
