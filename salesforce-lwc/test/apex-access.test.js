/**
 * Apex can't run here (no org), so this reads the Apex source: every @AuraEnabled method of every class
 * that can reach a callout must prove the running user's access (user-mode query, UserRecordAccess or a
 * describe check, in a helper that throws) before anything that builds an HTTP request. The backend acts
 * as the integration user and sees everything; without this a rep could ask about any record id.
 */
const fs = require('node:fs');
const path = require('node:path');
const { auraEntryPoints, blankCommentsAndStrings } = require('./apex-source');

const CLASSES = path.join(__dirname, '..', 'force-app', 'main', 'default', 'classes');
const SOURCES = fs
  .readdirSync(CLASSES)
  .filter((f) => f.endsWith('.cls'))
  .map((f) => [f, fs.readFileSync(path.join(CLASSES, f), 'utf8')]);

describe('Apex entry points check access before any callout', () => {
  const checked = [];

  it.each(SOURCES)('%s: every @AuraEnabled method that calls out checks access first', (_file, source) => {
    for (const entry of auraEntryPoints(source)) {
      if (!entry.reachesCallout) continue;
      expect([entry.name, entry.first]).toEqual([entry.name, 'check']);
      expect([entry.name, 'the access check throws', entry.checkThrows]).toEqual([entry.name, 'the access check throws', true]);
      checked.push(entry.name);
    }
  });

  it('found the controller methods that call the backend', () => {
    expect(checked.sort()).toEqual(
      expect.arrayContaining(['createTask', 'getChange', 'getModelStatus', 'getReasons', 'getWouldRaise', 'rescore']),
    );
  });

  it('gives the LWC the exact no-access text it recognises', () => {
    const controller = fs.readFileSync(path.join(CLASSES, 'ClosewiseController.cls'), 'utf8');
    const apexText = controller.match(/String NO_ACCESS\s*=\s*'([^']+)'/)[1];
    const utils = fs.readFileSync(
      path.join(__dirname, '..', 'force-app', 'main', 'default', 'lwc', 'closewiseUtils', 'closewiseUtils.js'),
      'utf8',
    );
    expect(utils).toContain(`'${apexText}'`);
  });
});

// The rule above must be able to fail: these snippets break it in the ways a change could.
describe('the Apex access rule (self-check)', () => {
  const wrap = (body) => `public with sharing class Fixture {\n${body}\n}`;
  const helpers = `
    private static void requireAccess(Id recordId) {
        if ([SELECT Id FROM Opportunity WHERE Id = :recordId WITH USER_MODE].isEmpty()) {
            throw new AuraHandledException('no access');
        }
    }
    private static HttpResponse send(String endpoint) {
        HttpRequest req = new HttpRequest();
        req.setEndpoint(endpoint);
        return new Http().send(req);
    }
    private static HttpResponse sendVia(String endpoint) { return send(endpoint); }`;
  const first = (body) => auraEntryPoints(wrap(helpers + body)).map((e) => [e.name, e.reachesCallout, e.first]);

  it('flags a callout with no check', () => {
    expect(first("@AuraEnabled public static void a(Id r) { send('x'); }")).toEqual([['a', true, 'callout']]);
  });

  it('flags a check that comes after the callout', () => {
    expect(first("@AuraEnabled public static void a(Id r) { send('x'); requireAccess(r); }")).toEqual([['a', true, 'callout']]);
  });

  it('follows helpers: a callout two calls deep still counts', () => {
    expect(first("@AuraEnabled public static void a(Id r) { sendVia('x'); requireAccess(r); }")).toEqual([['a', true, 'callout']]);
  });

  it('flags a direct Http in the entry point', () => {
    expect(first('@AuraEnabled(cacheable=true) public static String a(Id r) { return new Http().send(null).getBody(); }')).toEqual([
      ['a', true, 'callout'],
    ]);
  });

  it('accepts a check first, and ignores check words inside comments and strings', () => {
    expect(first("@AuraEnabled public static void a(Id r) { requireAccess(r); send('x'); }")).toEqual([['a', true, 'check']]);
    expect(first("@AuraEnabled public static void a(Id r) { /* WITH USER_MODE */ String s = 'UserRecordAccess'; send(s); }")).toEqual([
      ['a', true, 'callout'],
    ]);
  });

  it('notices a check that does not throw', () => {
    const lenient = `
    private static Boolean canSee(Id recordId) {
        return ![SELECT Id FROM Opportunity WHERE Id = :recordId WITH USER_MODE].isEmpty();
    }`;
    const [entry] = auraEntryPoints(wrap(`${helpers}${lenient}\n@AuraEnabled public static void a(Id r) { canSee(r); send('x'); }`));
    expect([entry.first, entry.checkThrows]).toEqual(['check', false]);
  });

  it('leaves methods without callouts alone', () => {
    expect(first('@AuraEnabled public static Integer a() { return 1; }')).toEqual([['a', false, null]]);
  });

  it('keeps offsets when blanking comments and strings', () => {
    const source = "a // x\nb /* y\nz */ 'it''s' c";
    const blanked = blankCommentsAndStrings(source);
    expect(blanked.length).toBe(source.length);
    expect(blanked.split('\n').length).toBe(3);
    expect(blanked).not.toMatch(/[xyz]/);
  });
});
