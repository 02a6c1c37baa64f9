/**
 * issue #19: a task from "Create task" belongs to the rep who clicked. In Salesforce the Apex controller creates it
 * itself, as the running user: OwnerId = UserInfo.getUserId() and a user-mode insert (so the rep's sharing and
 * permissions apply), after asking the backend only what to suggest. Apex can't run here (no org), so this reads
 * the source; ClosewiseControllerTest.cls checks the same in an org.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseMethods } = require('./apex-source');

const CLASSES = path.join(__dirname, '..', 'force-app', 'main', 'default', 'classes');
const read = (file) => fs.readFileSync(path.join(CLASSES, file), 'utf8');

/** How a createTask method sets the owner of the Task it inserts. */
function taskOwnership(source) {
  const method = parseMethods(source).find((m) => m.name === 'createTask');
  if (!method) return null;
  const construction = /new\s+Task\s*\(([\s\S]*?)\);/.exec(method.body);
  return {
    ownerIsRunningUser: /\bOwnerId\s*=\s*UserInfo\.getUserId\(\)/.test(construction?.[1] ?? ''),
    ownerSetLater: /\.\s*OwnerId\s*=/.test(method.body),
    insertsAsUser: /\binsert\s+as\s+user\b/.test(method.body),
  };
}

describe('Create task in Salesforce is owned by the running user', () => {
  it('ClosewiseController.createTask inserts the Task as the running user, owned by them', () => {
    expect(taskOwnership(read('ClosewiseController.cls'))).toEqual({ ownerIsRunningUser: true, ownerSetLater: false, insertsAsUser: true });
  });

  it('the Apex test checks OwnerId of the created tasks, for the admin and for another rep', () => {
    const test = read('ClosewiseControllerTest.cls');
    expect(test).toMatch(/Assert\.areEqual\(UserInfo\.getUserId\(\), task\.OwnerId\)/);
    expect(test).toMatch(/System\.runAs\(rep\)[\s\S]*createTask\([\s\S]*Assert\.areEqual\(rep\.Id, task\.OwnerId\)/);
  });

  // The rule above must be able to fail.
  it('notices a task left to the default owner, an owner set to someone else, or a system-mode insert', () => {
    const wrap = (body) => `public with sharing class Fixture {\n@AuraEnabled public static Id createTask(Id r) {\n${body}\n}\n}`;
    expect(taskOwnership(wrap("Task t = new Task(Subject = 'x');\ninsert as user t;\nreturn t.Id;"))).toMatchObject({
      ownerIsRunningUser: false,
    });
    expect(
      taskOwnership(wrap('Task t = new Task(OwnerId = UserInfo.getUserId());\nt.OwnerId = integration;\ninsert as user t;\nreturn t.Id;')),
    ).toMatchObject({ ownerSetLater: true });
    expect(taskOwnership(wrap('Task t = new Task(OwnerId = UserInfo.getUserId());\ninsert t;\nreturn t.Id;'))).toMatchObject({
      insertsAsUser: false,
    });
  });
});
