/**
 * Validates the DX project's metadata the way a deploy would reject it: well-formed XML in the
 * Metadata API namespace, the required elements of each type, and every cross-reference resolved
 * (fields used by the LWCs and the permission sets, Apex methods imported by the LWCs, credentials).
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', 'force-app', 'main', 'default');
const NS = 'http://soap.sforce.com/2006/04/metadata';

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : walk(full);
    return [full];
  });
}

function parse(file) {
  const doc = new DOMParser().parseFromString(fs.readFileSync(file, 'utf8'), 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`${path.relative(ROOT, file)} is not well-formed: ${error.textContent}`);
  return doc.documentElement;
}

const children = (el, name) => Array.from(el.children).filter((c) => c.localName === name);
const text = (el, name) => {
  const child = children(el, name)[0];
  return child ? child.textContent.trim() : undefined;
};

const FILES = walk(ROOT);
const XML_FILES = FILES.filter((f) => f.endsWith('.xml'));

// The field list: the project must ship exactly these (object → field → type).
const EXPECTED_FIELDS = {
  Opportunity: {
    Closewise_Win_Probability__c: 'Percent',
    Closewise_Deal_Score__c: 'Picklist',
    Closewise_Trend__c: 'Picklist',
    Closewise_Top_Reasons__c: 'LongTextArea',
    Closewise_Next_Action__c: 'Text',
    Closewise_Scored_At__c: 'DateTime',
  },
  Lead: {
    Closewise_Likelihood_To_Close__c: 'Percent',
    Closewise_Priority__c: 'Picklist',
    Closewise_Lead_Grade__c: 'Text',
    Closewise_Trend__c: 'Picklist',
    Closewise_Top_Reasons__c: 'LongTextArea',
    Closewise_Next_Action__c: 'Text',
    Closewise_Scored_At__c: 'DateTime',
  },
  Account: {
    Closewise_Engagement_Level__c: 'Picklist',
    Closewise_Next_Action__c: 'Text',
    Closewise_Scored_At__c: 'DateTime',
  },
};
EXPECTED_FIELDS.Contact = EXPECTED_FIELDS.Lead;

const EXPECTED_PICKLISTS = {
  Closewise_Deal_Score__c: ['1', '2', '3', '4', '5'],
  Closewise_Priority__c: ['Very High', 'High', 'Medium', 'Low'],
  Closewise_Engagement_Level__c: ['High', 'Medium', 'Lonely'],
  Closewise_Trend__c: ['Improving', 'Steady', 'Declining'],
};

function loadFields() {
  const fields = {};
  for (const file of XML_FILES.filter((f) => f.endsWith('.field-meta.xml'))) {
    const object = path.basename(path.dirname(path.dirname(file)));
    const root = parse(file);
    fields[object] = fields[object] || {};
    fields[object][path.basename(file, '.field-meta.xml')] = root;
  }
  return fields;
}

function apexMethods() {
  const methods = {};
  for (const file of FILES.filter((f) => f.endsWith('.cls'))) {
    const source = fs.readFileSync(file, 'utf8');
    const name = path.basename(file, '.cls');
    methods[name] = {};
    const re = /@AuraEnabled(\(cacheable=true\))?\s+public\s+static\s+[\w<>.]+\s+(\w+)\s*\(/g;
    for (const match of source.matchAll(re)) methods[name][match[2]] = { cacheable: Boolean(match[1]) };
  }
  return methods;
}

describe('metadata XML', () => {
  it('finds the metadata to check', () => {
    expect(XML_FILES.length).toBeGreaterThan(30);
  });

  it.each(XML_FILES.map((f) => [path.relative(ROOT, f), f]))('%s is well-formed and in the Metadata API namespace', (_name, file) => {
    const root = parse(file);
    expect(root.namespaceURI).toBe(NS);
  });

  it('rejects malformed XML (the parser check can fail)', () => {
    const doc = new DOMParser().parseFromString('<CustomField><label>x</CustomField>', 'application/xml');
    expect(doc.getElementsByTagName('parsererror').length).toBeGreaterThan(0);
  });

  it('has an object definition for each object with fields', () => {
    for (const object of Object.keys(EXPECTED_FIELDS)) {
      const file = path.join(ROOT, 'objects', object, `${object}.object-meta.xml`);
      expect(fs.existsSync(file)).toBe(true);
      expect(parse(file).localName).toBe('CustomObject');
    }
  });

  it('ships exactly the fields of the issue, with their types', () => {
    const fields = loadFields();
    const shipped = Object.fromEntries(
      Object.entries(fields).map(([object, byName]) => [
        object,
        Object.fromEntries(Object.entries(byName).map(([n, r]) => [n, text(r, 'type')])),
      ]),
    );
    expect(shipped).toEqual(EXPECTED_FIELDS);
  });

  it('gives every field its required elements', () => {
    for (const [object, byName] of Object.entries(loadFields())) {
      for (const [name, root] of Object.entries(byName)) {
        const where = `${object}.${name}`;
        expect([where, root.localName]).toEqual([where, 'CustomField']);
        expect([where, text(root, 'fullName')]).toEqual([where, name]);
        expect([where, Boolean(text(root, 'label'))]).toEqual([where, true]);
        expect([where, (text(root, 'label') || '').length <= 40]).toEqual([where, true]);
        const type = text(root, 'type');
        if (type === 'Percent' || type === 'Number') {
          const precision = Number(text(root, 'precision'));
          const scale = Number(text(root, 'scale'));
          expect([where, precision >= 3 && precision <= 18 && scale >= 0 && scale < precision]).toEqual([where, true]);
        }
        if (type === 'Text')
          expect([where, Number(text(root, 'length')) > 0 && Number(text(root, 'length')) <= 255]).toEqual([where, true]);
        if (type === 'LongTextArea') {
          expect([where, Number(text(root, 'length')) >= 256]).toEqual([where, true]);
          expect([where, Number(text(root, 'visibleLines')) > 0]).toEqual([where, true]);
        }
        if (type === 'Picklist') {
          const definition = children(children(root, 'valueSet')[0], 'valueSetDefinition')[0];
          const values = children(definition, 'value').map((v) => text(v, 'fullName'));
          expect([where, values]).toEqual([where, EXPECTED_PICKLISTS[name]]);
        }
      }
    }
  });

  it('exposes the cards on the right record pages', () => {
    const expected = {
      closewiseOpportunityCard: ['Opportunity'],
      closewiseLeadCard: ['Lead', 'Contact'],
      closewiseAccountCard: ['Account'],
    };
    for (const [bundle, objects] of Object.entries(expected)) {
      const root = parse(path.join(ROOT, 'lwc', bundle, `${bundle}.js-meta.xml`));
      expect(text(root, 'isExposed')).toBe('true');
      expect(Number(text(root, 'apiVersion'))).toBeGreaterThanOrEqual(59);
      const targets = children(children(root, 'targets')[0], 'target').map((t) => t.textContent.trim());
      expect(targets).toContain('lightning__RecordPage');
      const config = children(children(root, 'targetConfigs')[0], 'targetConfig')[0];
      expect(config.getAttribute('targets')).toBe('lightning__RecordPage');
      expect(children(children(config, 'objects')[0], 'object').map((o) => o.textContent.trim())).toEqual(objects);
    }
  });

  it('has a js-meta.xml with an apiVersion for every LWC bundle', () => {
    for (const bundle of fs.readdirSync(path.join(ROOT, 'lwc'))) {
      const meta = path.join(ROOT, 'lwc', bundle, `${bundle}.js-meta.xml`);
      expect([bundle, fs.existsSync(meta)]).toEqual([bundle, true]);
      expect([bundle, Boolean(text(parse(meta), 'apiVersion'))]).toEqual([bundle, true]);
    }
  });

  it('references only fields that exist from the LWCs', () => {
    const fields = loadFields();
    let checked = 0;
    for (const bundle of fs.readdirSync(path.join(ROOT, 'lwc'))) {
      const jsFile = path.join(ROOT, 'lwc', bundle, `${bundle}.js`);
      let source = fs.readFileSync(jsFile, 'utf8');
      for (const match of source.matchAll(/\b(\w+)\.(Closewise_\w+__c)\b/g)) {
        expect([bundle, `${match[1]}.${match[2]}`, Boolean(fields[match[1]] && fields[match[1]][match[2]])]).toEqual([
          bundle,
          `${match[1]}.${match[2]}`,
          true,
        ]);
        checked += 1;
      }
      source = source.replace(/\b\w+\.Closewise_\w+__c\b/g, '');
      // Unqualified names are qualified at run time with the page's object: they must exist on every object the bundle targets.
      const meta = parse(path.join(ROOT, 'lwc', bundle, `${bundle}.js-meta.xml`));
      const objects = Array.from(meta.getElementsByTagName('object')).map((o) => o.textContent.trim());
      for (const match of source.matchAll(/\b(Closewise_\w+__c)\b/g)) {
        expect(objects.length).toBeGreaterThan(0);
        for (const object of objects) {
          expect([bundle, `${object}.${match[1]}`, Boolean(fields[object]?.[match[1]])]).toEqual([bundle, `${object}.${match[1]}`, true]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('imports only Apex methods that exist, and wires only cacheable ones', () => {
    const methods = apexMethods();
    let checked = 0;
    for (const bundle of fs.readdirSync(path.join(ROOT, 'lwc'))) {
      const source = fs.readFileSync(path.join(ROOT, 'lwc', bundle, `${bundle}.js`), 'utf8');
      for (const match of source.matchAll(/import (\w+) from '@salesforce\/apex\/(\w+)\.(\w+)'/g)) {
        const [, local, cls, method] = match;
        const found = methods[cls]?.[method];
        expect([bundle, `${cls}.${method}`, Boolean(found)]).toEqual([bundle, `${cls}.${method}`, true]);
        if (new RegExp(`@wire\\(${local}\\b`).test(source)) expect([bundle, method, found.cacheable]).toEqual([bundle, method, true]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it('grants read access to every Closewise field and the Apex class, and references only what exists', () => {
    const fields = loadFields();
    const userSet = parse(path.join(ROOT, 'permissionsets', 'Closewise_User.permissionset-meta.xml'));
    expect(text(userSet, 'label')).toBeTruthy();
    const granted = children(userSet, 'fieldPermissions').map((fp) => ({
      field: text(fp, 'field'),
      readable: text(fp, 'readable'),
      editable: text(fp, 'editable'),
    }));
    const all = Object.entries(fields).flatMap(([object, byName]) => Object.keys(byName).map((name) => `${object}.${name}`));
    expect(granted.map((g) => g.field).sort()).toEqual(all.sort());
    for (const g of granted) expect([g.field, g.readable, g.editable]).toEqual([g.field, 'true', 'false']);
    const classes = children(userSet, 'classAccesses').map((c) => [text(c, 'apexClass'), text(c, 'enabled')]);
    expect(classes).toEqual([['ClosewiseController', 'true']]);
    for (const [cls] of classes) expect(fs.existsSync(path.join(ROOT, 'classes', `${cls}.cls`))).toBe(true);

    for (const file of XML_FILES.filter((f) => f.endsWith('.permissionset-meta.xml'))) {
      for (const fp of children(parse(file), 'fieldPermissions')) {
        const [object, name] = text(fp, 'field').split('.');
        expect([path.basename(file), text(fp, 'field'), Boolean(fields[object]?.[name])]).toEqual([
          path.basename(file),
          text(fp, 'field'),
          true,
        ]);
      }
    }
  });

  it('gives the integration user API access, read with View All on the synced objects, and edit only for write-back', () => {
    const set = parse(path.join(ROOT, 'permissionsets', 'Closewise_Integration.permissionset-meta.xml'));
    const objects = children(set, 'objectPermissions').map((op) => ({
      object: text(op, 'object'),
      read: text(op, 'allowRead'),
      edit: text(op, 'allowEdit'),
      create: text(op, 'allowCreate'),
      del: text(op, 'allowDelete'),
      viewAll: text(op, 'viewAllRecords'),
      modifyAll: text(op, 'modifyAllRecords'),
    }));
    expect(objects.map((o) => o.object)).toEqual(['Account', 'Contact', 'Lead', 'Opportunity']);
    for (const o of objects) {
      expect(o).toEqual({
        object: o.object,
        read: 'true',
        edit: 'true',
        create: 'false',
        del: 'false',
        viewAll: 'true',
        modifyAll: 'false',
      });
    }
    const perms = children(set, 'userPermissions').map((up) => [text(up, 'name'), text(up, 'enabled')]);
    expect(perms).toEqual([
      ['ApiEnabled', 'true'],
      ['EditTask', 'true'],
    ]);
    // Write-back needs edit on every Closewise field, and the set grants no other field.
    const fields = loadFields();
    const all = Object.entries(fields).flatMap(([object, byName]) => Object.keys(byName).map((name) => `${object}.${name}`));
    const granted = children(set, 'fieldPermissions').map((fp) => [text(fp, 'field'), text(fp, 'readable'), text(fp, 'editable')]);
    expect(granted.map((g) => g[0]).sort()).toEqual(all.sort());
    for (const g of granted) expect(g).toEqual([g[0], 'true', 'true']);
  });

  it('uses only permission-set permissions Salesforce accepts, on objects that have object permissions', () => {
    // Task and Event access is the EditTask / EditEvent user permissions; history objects and
    // OpportunityContactRole follow their parents: none of them can appear in objectPermissions.
    const NO_OBJECT_PERMISSIONS = /^(Task|Event|OpportunityContactRole|\w*History)$/;
    const VALID_USER_PERMISSIONS = new Set(['ApiEnabled', 'EditTask', 'EditEvent']);
    // Org-wide powers a security review rejects in a packaged permission set.
    const FORBIDDEN = new Set(['ModifyAllData', 'ViewAllData', 'ManageUsers', 'CustomizeApplication', 'AuthorApex']);
    const sets = XML_FILES.filter((f) => f.endsWith('.permissionset-meta.xml'));
    expect(sets.length).toBe(2);
    for (const file of sets) {
      const root = parse(file);
      const where = path.basename(file);
      for (const op of children(root, 'objectPermissions')) {
        expect([where, text(op, 'object'), NO_OBJECT_PERMISSIONS.test(text(op, 'object'))]).toEqual([where, text(op, 'object'), false]);
      }
      for (const up of children(root, 'userPermissions')) {
        const name = text(up, 'name');
        expect([where, name, VALID_USER_PERMISSIONS.has(name) && !FORBIDDEN.has(name)]).toEqual([where, name, true]);
      }
    }
  });

  it('adds no object access for reps: their profile decides which records they see', () => {
    const userSet = parse(path.join(ROOT, 'permissionsets', 'Closewise_User.permissionset-meta.xml'));
    expect(children(userSet, 'objectPermissions')).toEqual([]);
    expect(children(userSet, 'userPermissions').map((up) => [text(up, 'name'), text(up, 'enabled')])).toEqual([['EditTask', 'true']]);
  });

  it('lets permission-set users use the external credential principal that exists', () => {
    const userSet = parse(path.join(ROOT, 'permissionsets', 'Closewise_User.permissionset-meta.xml'));
    const principals = children(userSet, 'externalCredentialPrincipalAccesses').map((a) => text(a, 'externalCredentialPrincipal'));
    expect(principals.length).toBe(1);
    const [credential, principal] = principals[0].split('-');
    const ec = parse(path.join(ROOT, 'externalCredentials', `${credential}.externalCredential-meta.xml`));
    const named = children(ec, 'externalCredentialParameters')
      .filter((p) => text(p, 'parameterType') === 'NamedPrincipal')
      .map((p) => text(p, 'parameterName'));
    expect(named).toContain(principal);
  });

  it('calls the backend through a Named Credential bound to the External Credential, with no secret in the repository', () => {
    const nc = parse(path.join(ROOT, 'namedCredentials', 'Closewise_Backend.namedCredential-meta.xml'));
    expect(text(nc, 'namedCredentialType')).toBe('SecuredEndpoint');
    const params = children(nc, 'namedCredentialParameters');
    const external = params.find((p) => text(p, 'parameterType') === 'Authentication');
    expect(
      fs.existsSync(path.join(ROOT, 'externalCredentials', `${text(external, 'externalCredential')}.externalCredential-meta.xml`)),
    ).toBe(true);
    const ec = parse(path.join(ROOT, 'externalCredentials', 'Closewise.externalCredential-meta.xml'));
    for (const p of children(ec, 'externalCredentialParameters')) {
      const value = text(p, 'parameterValue');
      // Only a formula that reads the principal's stored credential is allowed, never a literal key.
      if (value !== undefined) expect(value).toMatch(/^\{!.*\$Credential\.Closewise\.\w+\}$/);
    }
    const apex = fs.readFileSync(path.join(ROOT, 'classes', 'ClosewiseController.cls'), 'utf8');
    expect(apex).toContain("'callout:Closewise_Backend");
    expect(apex).not.toMatch(/https?:\/\//);
    expect(apex).not.toMatch(/Authorization/);
  });

  it('pairs every Apex class with its meta file and a test class using HttpCalloutMock', () => {
    const classes = FILES.filter((f) => f.endsWith('.cls'));
    for (const file of classes) {
      expect(fs.existsSync(`${file}-meta.xml`)).toBe(true);
      expect(text(parse(`${file}-meta.xml`), 'status')).toBe('Active');
    }
    const testSource = fs.readFileSync(path.join(ROOT, 'classes', 'ClosewiseControllerTest.cls'), 'utf8');
    expect(testSource).toMatch(/@IsTest/);
    expect(testSource).toMatch(/implements HttpCalloutMock/);
    for (const method of Object.keys(apexMethods().ClosewiseController)) {
      expect([method, testSource.includes(`ClosewiseController.${method}(`)]).toEqual([method, true]);
    }
  });
});
