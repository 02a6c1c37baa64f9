/**
 * The External Client App the backend signs in with. Salesforce splits it across types: the header and
 * the OAuth settings (scopes) are packageable and live in force-app; the global OAuth settings (callback
 * URL, PKCE, and the consumer key and secret Salesforce generates) are documented as not packageable and
 * not for source control, and the OAuth policies belong to the admin, so both live in eca-source-org/,
 * deployed only to the org that owns the app.
 */
const fs = require('node:fs');
const path = require('node:path');

const PROJECT = path.join(__dirname, '..');
const PACKAGED = path.join(PROJECT, 'force-app', 'main', 'default');
const SOURCE_ORG = path.join(PROJECT, 'eca-source-org', 'main', 'default');
const NS = 'http://soap.sforce.com/2006/04/metadata';

function parse(file) {
  const doc = new DOMParser().parseFromString(fs.readFileSync(file, 'utf8'), 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`${file} is not well-formed: ${error.textContent}`);
  return doc.documentElement;
}
const children = (el, name) => Array.from(el.children).filter((c) => c.localName === name);
const text = (el, name) => children(el, name)[0]?.textContent.trim();

const header = () => parse(path.join(PACKAGED, 'externalClientApps', 'Closewise.eca-meta.xml'));
const oauthSettings = () => parse(path.join(PACKAGED, 'extlClntAppOauthSettings', 'Closewise_oauth.ecaOauth-meta.xml'));
const globalSettings = () => parse(path.join(SOURCE_ORG, 'extlClntAppGlobalOauthSets', 'Closewise_glbloauth.ecaGlblOauth-meta.xml'));
const policies = () => parse(path.join(SOURCE_ORG, 'extlClntAppOauthPolicies', 'Closewise_oauthPlcy.ecaOauthPlcy-meta.xml'));

function walk(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('Closewise External Client App', () => {
  it('sends Salesforce back to /oauth/salesforce/callback over https', () => {
    const url = new URL(text(globalSettings(), 'callbackUrl'));
    expect(url.protocol).toBe('https:');
    expect(url.pathname).toBe('/oauth/salesforce/callback');
    expect(url.host).toBe('api.closewise.io');
    expect(url.search + url.hash).toBe('');
  });

  it('requires PKCE, and the consumer secret for the code exchange and for refreshes', () => {
    const settings = globalSettings();
    expect(text(settings, 'isPkceRequired')).toBe('true');
    expect(text(settings, 'isConsumerSecretOptional')).toBe('false');
    expect(text(settings, 'isSecretRequiredForRefreshToken')).toBe('true');
    expect(text(settings, 'isIntrospectAllTokens')).toBe('false');
  });

  it('never holds the consumer key, secret or a certificate in the repository', () => {
    const settings = globalSettings();
    for (const secret of ['consumerKey', 'consumerSecret', 'certificate'])
      expect([secret, children(settings, secret)]).toEqual([secret, []]);
  });

  it('asks for exactly the scopes the backend requests: api and refresh_token', () => {
    const scopes = text(oauthSettings(), 'commaSeparatedOauthScopes')
      .split(',')
      .map((s) => s.trim());
    expect(scopes).toEqual(['Api', 'RefreshToken']);
  });

  it('is packageable, and every part points at the same app', () => {
    const app = header();
    expect(text(app, 'distributionState')).toBe('Packaged');
    expect(text(app, 'label')).toBe('Closewise');
    expect(text(app, 'contactEmail')).toMatch(/^[^@\s]+@[^@\s]+$/);
    for (const part of [oauthSettings(), globalSettings(), policies()]) {
      expect([part.localName, text(part, 'externalClientApplication')]).toEqual([part.localName, 'Closewise']);
      expect([part.localName, Boolean(text(part, 'label'))]).toEqual([part.localName, true]);
    }
  });

  it('lets only pre-authorized users connect, with no client-credentials or token-exchange flow', () => {
    const p = policies();
    expect(text(p, 'permittedUsersPolicyType')).toBe('AdminApprovedPreAuthorized');
    expect(text(p, 'ipRelaxationPolicyType')).toBe('Enforce');
    expect(text(p, 'isClientCredentialsFlowEnabled')).toBe('false');
    expect(text(p, 'isTokenExchangeFlowEnabled')).toBe('false');
  });

  it('keeps the global OAuth settings and the admin policies out of the packaged directory', () => {
    const packagedFiles = walk(PACKAGED).map((f) => path.basename(f));
    expect(packagedFiles.filter((f) => /\.ecaGlblOauth-meta\.xml$|\.ecaOauthPlcy-meta\.xml$/.test(f))).toEqual([]);
    const project = JSON.parse(fs.readFileSync(path.join(PROJECT, 'sfdx-project.json'), 'utf8'));
    const sourceOrgDir = project.packageDirectories.find((d) => d.path === 'eca-source-org');
    expect(sourceOrgDir).toBeDefined();
    // A package built from force-app must not pull the source-org directory in with it.
    expect(sourceOrgDir.default).toBeUndefined();
    expect(sourceOrgDir.package).toBeUndefined();
  });

  it.each(walk(SOURCE_ORG).map((f) => [path.relative(PROJECT, f), f]))(
    '%s is well-formed and in the Metadata API namespace',
    (_n, file) => {
      expect(parse(file).namespaceURI).toBe(NS);
    },
  );
});
