// The access matrix: every route in conf/routes.conf x every kind of
// caller, with the status each must get, and the security headers on
// every one of those responses.  A route added to routes.conf without a
// row here fails the first test: add its row to ROUTES.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { BASE, Client, ROOT, admin, sql } from '../lib/harness.mjs';

export const CALLERS = ['none', 'expired', 'staff', 'org_lead', 'academy_lead',
  'admin', 'org_token', 'other_org_token', 'system_token', 'revoked_token'];
const SESSIONS = ['staff', 'org_lead', 'academy_lead', 'admin'];
const TOKENS = ['org_token', 'other_org_token', 'system_token', 'revoked_token'];

// expect(default, { caller: status, ... })
function expect(dflt, over = {}) {
  const e = {};
  for (const c of CALLERS) e[c] = over[c] ?? dflt;
  return e;
}
// A page behind sign-in: no (valid) session is sent to sign in.
function page(over) {
  return expect(200, { none: 303, expired: 303, org_token: 303, other_org_token: 303,
    system_token: 303, revoked_token: 303, ...over });
}
const ADMIN_ONLY = page({ staff: 403, org_lead: 403, academy_lead: 403 });

// People: the demo staff member works for RY6 only; another person for RR8.
const [[demoStaff]] = sql(`SELECT person_id FROM users WHERE email = 'staff@demo.ihtrack.test'`);
const [[rr8Person]] = sql(`SELECT a.person_id FROM assignments a JOIN organisations o ON o.id = a.org_id
  WHERE o.code = 'RR8' AND a.person_id <> ${demoStaff} ORDER BY a.person_id LIMIT 1`);

// route: the pattern exactly as in conf/routes.conf.  Each request: method,
// path, optional form body, and the status per caller.  Forms are posted
// without a valid CSRF token: the matrix must never write.
export const ROUTES = [
  { route: '/healthz', requests: [
    { method: 'GET', path: '/healthz', expect: expect(200) },
    { method: 'HEAD', path: '/healthz', expect: expect(200) },
    { method: 'POST', path: '/healthz', expect: expect(405) },
  ] },
  { route: '/api/v1/modules', requests: [
    { method: 'GET', path: '/api/v1/modules', expect: expect(200) },
    { method: 'DELETE', path: '/api/v1/modules', expect: expect(405) },
  ] },
  { route: '/', requests: [
    { method: 'GET', path: '/', expect: page() },
    { method: 'PUT', path: '/', expect: expect(405) },
  ] },
  { route: '/my-training', requests: [
    { method: 'GET', path: '/my-training', expect: page() },
    { method: 'GET', path: '/my-training?recorded=%3Cscript%3E', expect: page() },
    { method: 'POST', path: '/my-training', expect: expect(405) },
  ] },
  // Putting a completion right (issue 13): none of these exists to anyone
  // (the form's token is checked after).
  { route: '^/completions/[0-9]+$', requests: [
    { method: 'GET', path: '/completions/999999999', expect: page({ staff: 404, org_lead: 404, academy_lead: 404, admin: 404 }) },
    { method: 'POST', path: '/completions/999999999', expect: expect(405) },
  ] },
  { route: '^/completions/[0-9]+/withdraw$', requests: [
    { method: 'POST', path: '/completions/999999999/withdraw', body: { csrf_token: 'forged', reason: 'x' },
      expect: page({ staff: 404, org_lead: 404, academy_lead: 404, admin: 404 }) },
    { method: 'GET', path: '/completions/1/withdraw', expect: expect(405) },
  ] },
  { route: '^/completions/[0-9]+/correct$', requests: [
    { method: 'POST', path: '/completions/999999999/correct', body: { csrf_token: 'forged', reason: 'x' },
      expect: page({ staff: 404, org_lead: 404, academy_lead: 404, admin: 404 }) },
    { method: 'GET', path: '/completions/1/correct', expect: expect(405) },
  ] },
  { route: '/people', requests: [
    { method: 'GET', path: '/people?q=demo', expect: page({ staff: 403 }) },
    { method: 'POST', path: '/people', expect: expect(405) },
  ] },
  { route: '/sign-in', requests: [
    { method: 'GET', path: '/sign-in', expect: expect(200, { staff: 303, org_lead: 303,
      academy_lead: 303, admin: 303 }) },
    { method: 'POST', path: '/sign-in', body: { email: 'staff@demo.ihtrack.test', password: 'x' },
      expect: expect(403) },
    { method: 'PATCH', path: '/sign-in', expect: expect(405) },
  ] },
  { route: '/sign-out', requests: [
    { method: 'POST', path: '/sign-out', body: { csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'GET', path: '/sign-out', expect: expect(405) },
  ] },
  { route: '/record', requests: [
    { method: 'GET', path: '/record', expect: page() },
    // Staff without the form token, and accounts without a training
    // record, are refused.
    { method: 'POST', path: '/record', body: { module_code: 'IHF-01', completed_on: '2025-01-01',
      source: 'other', csrf_token: 'forged' },
    expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'DELETE', path: '/record', expect: expect(405) },
  ] },
  { route: '/admin/audit', requests: [
    { method: 'GET', path: '/admin/audit', expect: ADMIN_ONLY },
    { method: 'GET', path: '/admin/audit?format=csv', expect: ADMIN_ONLY },
    { method: 'GET', path: '/admin/audit?entity=sessions&from=2020-01-01', expect: ADMIN_ONLY },
    { method: 'POST', path: '/admin/audit', expect: expect(405) },
  ] },
  // Accounts (issue 11): asking for a link is for anyone (the form's
  // token is checked first); a link nobody holds is 410 like a used one.
  { route: '/set-password', requests: [
    { method: 'GET', path: '/set-password', expect: expect(200) },
    { method: 'POST', path: '/set-password', body: { email: 'staff@demo.ihtrack.test', csrf_token: 'forged' },
      expect: expect(403) },
    { method: 'PUT', path: '/set-password', expect: expect(405) },
  ] },
  { route: '^/set-password/[0-9a-f]{64}$', requests: [
    { method: 'GET', path: `/set-password/${'0'.repeat(64)}`, expect: expect(410) },
    { method: 'POST', path: `/set-password/${'0'.repeat(64)}`, body: { password: 'x', csrf_token: 'forged' },
      expect: expect(410) },
    { method: 'DELETE', path: `/set-password/${'0'.repeat(64)}`, expect: expect(405) },
  ] },
  { route: '/admin/users', requests: [
    { method: 'GET', path: '/admin/users', expect: page({ staff: 403, org_lead: 403 }) },
    { method: 'GET', path: '/admin/users?q=demo&role=admin', expect: page({ staff: 403, org_lead: 403 }) },
    { method: 'POST', path: '/admin/users', body: { email: 'x@y.test', new_role: 'admin', csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'DELETE', path: '/admin/users', expect: expect(405) },
  ] },
  { route: '^/admin/users/[0-9]+$', requests: [
    { method: 'GET', path: '/admin/users/999999999', expect: page({ staff: 403, org_lead: 403, academy_lead: 404, admin: 404 }) },
    { method: 'POST', path: '/admin/users/999999999', body: { action: 'disable', csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 404, admin: 404 }) },
    { method: 'PUT', path: '/admin/users/1', expect: expect(405) },
  ] },
  { route: '/admin/tokens', requests: [
    { method: 'GET', path: '/admin/tokens', expect: ADMIN_ONLY },
    { method: 'POST', path: '/admin/tokens', body: { org: '', csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'DELETE', path: '/admin/tokens', expect: expect(405) },
  ] },
  { route: '^/admin/tokens/[0-9]+/revoke$', requests: [
    { method: 'POST', path: '/admin/tokens/1/revoke', body: { csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'GET', path: '/admin/tokens/1/revoke', expect: expect(405) },
  ] },
  { route: '/admin/mail', requests: [
    { method: 'GET', path: '/admin/mail', expect: ADMIN_ONLY },
    { method: 'POST', path: '/admin/mail', expect: expect(405) },
  ] },
  { route: '^/assets/.*$', requests: [
    { method: 'GET', path: '/assets/ihtrack.css', expect: expect(200) },
    { method: 'GET', path: '/assets/../conf/ihtrack.conf', expect: expect(404) },
    { method: 'GET', path: '/assets/nothing.css', expect: expect(404) },
    { method: 'POST', path: '/assets/ihtrack.css', expect: expect(405) },
  ] },
  // Bulk import (issue 4): posted as a form, never as CSV, so nothing is
  // written; allowed callers get 415.  Only a bearer token may change
  // data through /api/v1/ (a session cookie is 401), and another
  // organisation's token gets 403 whether or not the organisation exists.
  // Batch ids that do not exist are 404 for everyone who may see batches.
  { route: '^/api/v1/orgs/[A-Z0-9_-]+/staff\\.csv$', requests: [
    { method: 'POST', path: '/api/v1/orgs/RR8/staff.csv', body: { a: 'b' }, expect: expect(401, { org_token: 415, other_org_token: 403, system_token: 415 }) },
    { method: 'POST', path: '/api/v1/orgs/NOSUCH/staff.csv', body: { a: 'b' }, expect: expect(401, { org_token: 403, other_org_token: 403, system_token: 404 }) },
    { method: 'GET', path: '/api/v1/orgs/RR8/staff.csv', expect: expect(405) },
  ] },
  { route: '^/api/v1/orgs/[A-Z0-9_-]+/completions\\.csv$', requests: [
    { method: 'POST', path: '/api/v1/orgs/RR8/completions.csv', body: { a: 'b' }, expect: expect(401, { org_token: 415, other_org_token: 403, system_token: 415 }) },
    { method: 'POST', path: '/api/v1/orgs/RY6/completions.csv', body: { a: 'b' }, expect: expect(401, { org_token: 403, other_org_token: 415, system_token: 415 }) },
    { method: 'POST', path: '/api/v1/orgs/NOSUCH/completions.csv', body: { a: 'b' }, expect: expect(401, { org_token: 403, other_org_token: 403, system_token: 404 }) },
    { method: 'PUT', path: '/api/v1/orgs/RR8/completions.csv', expect: expect(405) },
  ] },
  // Level rules (issue 15): as the imports for an organisation's; the
  // system-wide ones for a system token only.  The page: an
  // organisation's lead keeps its rules, an academy lead the system's
  // (and reads any organisation's).
  { route: '^/api/v1/orgs/[A-Z0-9_-]+/level-rules\\.csv$', requests: [
    { method: 'POST', path: '/api/v1/orgs/RR8/level-rules.csv', body: { a: 'b' }, expect: expect(401, { org_token: 415, other_org_token: 403, system_token: 415 }) },
    { method: 'POST', path: '/api/v1/orgs/NOSUCH/level-rules.csv', body: { a: 'b' }, expect: expect(401, { org_token: 403, other_org_token: 403, system_token: 404 }) },
    { method: 'GET', path: '/api/v1/orgs/RR8/level-rules.csv', expect: expect(405) },
  ] },
  { route: '/api/v1/level-rules.csv', requests: [
    { method: 'POST', path: '/api/v1/level-rules.csv', body: { a: 'b' }, expect: expect(401, { org_token: 403, other_org_token: 403, system_token: 415 }) },
    { method: 'PUT', path: '/api/v1/level-rules.csv', expect: expect(405) },
  ] },
  { route: '/level-rules', requests: [
    { method: 'GET', path: '/level-rules', expect: page({ staff: 403, admin: 403 }) },
    { method: 'GET', path: '/level-rules?org=RY6', expect: page({ staff: 403, org_lead: 403, admin: 403 }) },
    { method: 'POST', path: '/level-rules', body: { csrf_token: 'forged', staff_group: 'x', job_role: '', level: 'advanced', action: 'save' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'DELETE', path: '/level-rules', expect: expect(405) },
  ] },
  { route: '/imports', requests: [
    { method: 'GET', path: '/imports', expect: expect(303, { academy_lead: 200, admin: 403, org_lead: 200, staff: 403 }) },
    { method: 'POST', path: '/imports', body: { csrf_token: 'forged' }, expect: expect(303, { academy_lead: 403, admin: 403, org_lead: 403, staff: 403 }) },
    { method: 'DELETE', path: '/imports', expect: expect(405) },
  ] },
  { route: '^/imports/[0-9]+$', requests: [
    { method: 'GET', path: '/imports/999999', expect: expect(303, { academy_lead: 404, admin: 404, org_lead: 404, staff: 404 }) },
    { method: 'POST', path: '/imports/999999', expect: expect(405) },
  ] },
  { route: '^/imports/[0-9]+/confirm$', requests: [
    { method: 'POST', path: '/imports/999999/confirm', body: { csrf_token: 'forged' }, expect: expect(303, { academy_lead: 403, admin: 403, org_lead: 403, staff: 403 }) },
    { method: 'GET', path: '/imports/999999/confirm', expect: expect(405) },
  ] },
  // Templates to start a file from (issue 13): for whoever sees imports.
  { route: '^/imports/template-(staff|completions)\\.csv$', requests: [
    { method: 'GET', path: '/imports/template-staff.csv', expect: expect(303, { academy_lead: 200, admin: 403, org_lead: 200, staff: 403 }) },
    { method: 'GET', path: '/imports/template-completions.csv', expect: expect(303, { academy_lead: 200, admin: 403, org_lead: 200, staff: 403 }) },
    { method: 'POST', path: '/imports/template-staff.csv', expect: expect(405) },
  ] },
  { route: '^/imports/[0-9]+/errors\\.csv$', requests: [
    { method: 'GET', path: '/imports/999999/errors.csv', expect: expect(404, { expired: 303, none: 303, revoked_token: 303 }) },
    { method: 'POST', path: '/imports/999999/errors.csv', expect: expect(405) },
  ] },
  // Exports as they come (issue 15): an organisation's column mappings
  // as its imports are guarded (tokens only: a session is 401); the
  // shared ones with a system token; module aliases with a system token
  // or as a signed-in academy lead.  Forms posted as forms, never as
  // JSON or CSV, so nothing is written: allowed callers get 415.
  { route: '^/api/v1/orgs/[A-Z0-9_-]+/mappings/[^/]+$', requests: [
    { method: 'GET', path: '/api/v1/orgs/RR8/mappings/none-here', expect: expect(401, { org_token: 404, other_org_token: 403, system_token: 404 }) },
    { method: 'GET', path: '/api/v1/orgs/NOSUCH/mappings/none-here', expect: expect(401, { org_token: 403, other_org_token: 403, system_token: 404 }) },
    { method: 'PUT', path: '/api/v1/orgs/RR8/mappings/none-here', body: { a: 'b' }, expect: expect(401, { org_token: 415, other_org_token: 403, system_token: 415 }) },
    { method: 'DELETE', path: '/api/v1/orgs/RR8/mappings/none-here', expect: expect(401, { org_token: 404, other_org_token: 403, system_token: 404 }) },
    { method: 'POST', path: '/api/v1/orgs/RR8/mappings/none-here', body: { a: 'b' }, expect: expect(405) },
  ] },
  { route: '^/api/v1/mappings/[^/]+$', requests: [
    { method: 'GET', path: '/api/v1/mappings/none-here', expect: expect(401, { org_token: 403, other_org_token: 403, system_token: 404 }) },
    { method: 'PUT', path: '/api/v1/mappings/none-here', body: { a: 'b' }, expect: expect(401, { org_token: 403, other_org_token: 403, system_token: 415 }) },
    { method: 'DELETE', path: '/api/v1/mappings/none-here', expect: expect(401, { org_token: 403, other_org_token: 403, system_token: 404 }) },
    { method: 'POST', path: '/api/v1/mappings/none-here', body: { a: 'b' }, expect: expect(405) },
  ] },
  { route: '/api/v1/module-aliases.csv', requests: [
    { method: 'POST', path: '/api/v1/module-aliases.csv', body: { a: 'b' }, expect: expect(403, { none: 401, expired: 401, revoked_token: 401, academy_lead: 415, system_token: 415 }) },
    { method: 'GET', path: '/api/v1/module-aliases.csv', expect: expect(405) },
  ] },
  { route: '/imports/mappings', requests: [
    { method: 'GET', path: '/imports/mappings', expect: page({ staff: 403, admin: 403 }) },
    { method: 'GET', path: '/imports/mappings?saved=%3Cscript%3E', expect: page({ staff: 403, admin: 403 }) },
    { method: 'POST', path: '/imports/mappings', body: { csrf_token: 'forged', kind: 'staff' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'DELETE', path: '/imports/mappings', expect: expect(405) },
  ] },
  { route: '/imports/mappings/save', requests: [
    { method: 'POST', path: '/imports/mappings/save', body: { csrf_token: 'forged', kind: 'staff', name: 'x' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'GET', path: '/imports/mappings/save', expect: expect(405) },
  ] },
  { route: '^/imports/mappings/[0-9]+/delete$', requests: [
    { method: 'POST', path: '/imports/mappings/999999999/delete', body: { csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'GET', path: '/imports/mappings/1/delete', expect: expect(405) },
  ] },
  { route: '^/imports/mappings/[0-9]+/share$', requests: [
    { method: 'POST', path: '/imports/mappings/999999999/share', body: { csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'GET', path: '/imports/mappings/1/share', expect: expect(405) },
  ] },
  { route: '/module-aliases', requests: [
    { method: 'GET', path: '/module-aliases', expect: page({ staff: 403, org_lead: 403, admin: 403 }) },
    { method: 'POST', path: '/module-aliases', body: { csrf_token: 'forged', alias: 'x', module_code: 'IHF-01' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'PUT', path: '/module-aliases', expect: expect(405) },
  ] },
  { route: '^/module-aliases/[0-9]+/remove$', requests: [
    { method: 'POST', path: '/module-aliases/999999999/remove', body: { csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'GET', path: '/module-aliases/1/remove', expect: expect(405) },
  ] },
  // Coverage (issue 3): the API for tokens; the board's page for academy
  // leads and admins (aggregates); an organisation's page (names) for its
  // lead and academy leads.
  { route: '/api/v1/coverage', requests: [
    { method: 'GET', path: '/api/v1/coverage?as_of=2025-03-31', expect: expect(200, { admin: 403, expired: 401, none: 401, revoked_token: 401, staff: 403 }) },
    { method: 'GET', path: '/api/v1/coverage?org=RY6', expect: expect(403, { academy_lead: 200, expired: 401, none: 401, other_org_token: 200, revoked_token: 401, system_token: 200 }) },
    { method: 'GET', path: '/api/v1/coverage?org=NOSUCH', expect: expect(403, { academy_lead: 400, expired: 401, none: 401, revoked_token: 401, system_token: 400 }) },
    { method: 'POST', path: '/api/v1/coverage', expect: expect(405) },
  ] },
  { route: '/reports/coverage', requests: [
    { method: 'GET', path: '/reports/coverage', expect: expect(303, { academy_lead: 200, admin: 200, org_lead: 403, staff: 403 }) },
    { method: 'GET', path: '/reports/coverage?format=csv', expect: expect(303, { academy_lead: 200, admin: 200, org_lead: 403, staff: 403 }) },
    { method: 'POST', path: '/reports/coverage', expect: expect(405) },
  ] },
  { route: '^/reports/coverage/[A-Z0-9][A-Z0-9_-]{0,15}$', requests: [
    { method: 'GET', path: '/reports/coverage/RR8', expect: expect(303, { academy_lead: 200, admin: 403, org_lead: 200, staff: 403 }) },
    { method: 'GET', path: '/reports/coverage/RY6?format=csv&list=chase', expect: expect(303, { academy_lead: 200, admin: 403, org_lead: 403, staff: 403 }) },
    { method: 'POST', path: '/reports/coverage/RR8', expect: expect(405) },
  ] },
  // What each printed page of a report repeats (issue 13): dates and a
  // code from the query, no one's data, so for anyone.
  { route: '/reports/coverage/print.css', requests: [
    { method: 'GET', path: '/reports/coverage/print.css?as_of=2026-03-31&org=RR8', expect: expect(200) },
    { method: 'GET', path: '/reports/coverage/print.css?as_of=yesterday', expect: expect(400) },
    { method: 'POST', path: '/reports/coverage/print.css', expect: expect(405) },
  ] },
  // Reminders (issue 12): an organisation's, for its lead and academy
  // leads; the stages, for administrators.
  { route: '^/reports/coverage/[A-Z0-9][A-Z0-9_-]{0,15}/reminders$', requests: [
    { method: 'GET', path: '/reports/coverage/RR8/reminders', expect: expect(303, { academy_lead: 200, admin: 403, org_lead: 200, staff: 403 }) },
    { method: 'GET', path: '/reports/coverage/RY6/reminders?format=csv', expect: expect(303, { academy_lead: 200, admin: 403, org_lead: 403, staff: 403 }) },
    { method: 'POST', path: '/reports/coverage/RR8/reminders', expect: expect(405) },
  ] },
  { route: '/admin/reminders', requests: [
    { method: 'GET', path: '/admin/reminders', expect: ADMIN_ONLY },
    { method: 'POST', path: '/admin/reminders', body: { csrf_token: 'forged', days_expiry_minus_60: '1' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'PUT', path: '/admin/reminders', expect: expect(405) },
  ] },
  // Another person's record is 404, as if it did not exist.
  { route: '^/people/[0-9]+$', requests: [
    { method: 'GET', path: `/people/${demoStaff}`, expect: page({ org_lead: 404 }) },
    { method: 'GET', path: `/people/${rr8Person}`, expect: page({ staff: 404 }) },
    { method: 'GET', path: '/people/999999999', expect: page({ staff: 404, org_lead: 404, academy_lead: 404, admin: 404 }) },
    { method: 'GET', path: '/people/99999999999999999999999', expect: page({ staff: 404, org_lead: 404, academy_lead: 404, admin: 404 }) },
    { method: 'POST', path: `/people/${demoStaff}`, expect: expect(405) },
  ] },
  // People and sessions in the browser (issue 15): the writes are the
  // organisation lead's, for their own people; another's is 404.
  { route: '/people/new', requests: [
    { method: 'GET', path: '/people/new', expect: page({ staff: 403, academy_lead: 403, admin: 403 }) },
    { method: 'POST', path: '/people/new', body: { staff_id: 'X', csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'PUT', path: '/people/new', expect: expect(405) },
  ] },
  { route: '^/people/[0-9]+/change$', requests: [
    { method: 'GET', path: `/people/${rr8Person}/change`, expect: page({ staff: 403, academy_lead: 403, admin: 403 }) },
    { method: 'GET', path: `/people/${demoStaff}/change`, expect: page({ staff: 403, org_lead: 404, academy_lead: 403, admin: 403 }) },
    { method: 'POST', path: `/people/${rr8Person}/change`, body: { level: 'advanced', csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'DELETE', path: `/people/${rr8Person}/change`, expect: expect(405) },
  ] },
  { route: '^/people/[0-9]+/leave$', requests: [
    { method: 'GET', path: `/people/${rr8Person}/leave`, expect: page({ staff: 403, academy_lead: 403, admin: 403 }) },
    { method: 'GET', path: '/people/999999999/leave', expect: page({ staff: 403, org_lead: 404, academy_lead: 403, admin: 403 }) },
    { method: 'POST', path: `/people/${rr8Person}/leave`, body: { end_date: '2025-01-01', csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'PUT', path: `/people/${rr8Person}/leave`, expect: expect(405) },
  ] },
  { route: '/sessions/new', requests: [
    { method: 'GET', path: '/sessions/new', expect: page({ staff: 403, academy_lead: 403, admin: 403 }) },
    { method: 'GET', path: '/sessions/new?q=demo&staff_ids=DEMO-0001&add=DEMO-0002', expect: page({ staff: 403, academy_lead: 403, admin: 403 }) },
    { method: 'POST', path: '/sessions/new', body: { staff_ids: 'DEMO-0001', module_code: 'IHF-01', completed_on: '2025-01-01', csrf_token: 'forged' },
      expect: page({ staff: 403, org_lead: 403, academy_lead: 403, admin: 403 }) },
    { method: 'DELETE', path: '/sessions/new', expect: expect(405) },
  ] },
  { route: '^/.*$', requests: [
    { method: 'GET', path: '/no/such/page', expect: expect(404) },
    { method: 'GET', path: '/api/v1/no-such-thing', expect: expect(404) },
    { method: 'POST', path: '/no/such/page', expect: expect(404) },
  ] },
];

export const SECURITY_HEADERS = {
  'content-security-policy': /default-src 'self'.*frame-ancestors 'none'/,
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^same-origin$/,
  'x-frame-options': /^DENY$/,
  'cache-control': /./,
};

export function assertSecurityHeaders(res, what) {
  for (const [h, re] of Object.entries(SECURITY_HEADERS)) {
    assert.match(res.headers.get(h) ?? '', re, `${what}: header ${h}`);
  }
  assert.doesNotMatch(res.headers.get('content-security-policy'), /unsafe-inline|unsafe-eval/,
    `${what}: no unsafe CSP`);
}

const creds = {};

function sha256(s) { return createHash('sha256').update(s).digest('hex'); }

before(async () => {
  const emails = {
    staff: 'staff@demo.ihtrack.test', org_lead: 'lead.rr8@demo.ihtrack.test',
    academy_lead: 'academy@demo.ihtrack.test', admin: 'admin@demo.ihtrack.test',
  };
  for (const role of SESSIONS) {
    const c = new Client();
    await c.signIn(emails[role]);
    creds[role] = { cookie: `ihtrack_session=${c.cookies.get('ihtrack_session')}` };
  }
  const old = new Client();
  await old.signIn(emails.staff);
  const tok = old.cookies.get('ihtrack_session');
  sql(`UPDATE sessions SET expires_at = now() - interval '1 second'
    WHERE token_hash = '${sha256(tok)}'`);
  creds.expired = { cookie: `ihtrack_session=${tok}` };
  creds.org_token = { authorization: `Bearer ${admin('create-token', 'RR8')}` };
  creds.other_org_token = { authorization: `Bearer ${admin('create-token', 'RY6')}` };
  creds.system_token = { authorization: `Bearer ${admin('create-token', '--system')}` };
  const revoked = admin('create-token', 'RR8');
  admin('revoke-token', revoked);
  creds.revoked_token = { authorization: `Bearer ${revoked}` };
  creds.none = {};
});

test('every route in conf/routes.conf has its rows in the matrix', () => {
  const conf = readFileSync(path.join(ROOT, 'conf/routes.conf'), 'utf8');
  const routes = [...conf.matchAll(/^route\s+(\S+)\s+\S+/gm)].map((m) => m[1]);
  assert.ok(routes.length >= 8, 'routes.conf parsed');
  const covered = new Set(ROUTES.map((r) => r.route));
  const missing = routes.filter((r) => !covered.has(r));
  assert.deepEqual(missing, [], 'routes without rows in tests/http/access_matrix.test.mjs');
  for (const r of ROUTES) {
    for (const q of r.requests) {
      assert.deepEqual(Object.keys(q.expect).sort(), [...CALLERS].sort(), `${q.method} ${q.path}`);
    }
  }
});

test('every route x every caller gets its status, with the security headers', async () => {
  const wrong = [];
  let n = 0;
  for (const r of ROUTES) {
    for (const q of r.requests) {
      for (const caller of CALLERS) {
        const headers = { ...creds[caller] };
        let body;
        if (q.body) {
          body = new URLSearchParams(q.body).toString();
          headers['content-type'] = 'application/x-www-form-urlencoded';
        }
        const res = await fetch(BASE + q.path, { method: q.method, headers, body, redirect: 'manual' });
        await res.arrayBuffer();
        n += 1;
        const what = `${q.method} ${q.path} as ${caller}`;
        if (res.status !== q.expect[caller]) wrong.push(`${what}: ${res.status}, want ${q.expect[caller]}`);
        assertSecurityHeaders(res, what);
        if (res.status === 405) assert.ok(res.headers.get('allow'), `${what}: Allow`);
        if (res.status === 303 && q.expect[caller] === 303 && !q.path.startsWith('/sign-in')) {
          // Back to the page after signing in (issue 13): this site's only.
          assert.match(res.headers.get('location'), /^\/sign-in(\?next=%2F[^&]*(&ended=1)?|\?ended=1)?$/, what);
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(n >= 200, `${n} requests`);
});

test('the audit trail and CSV reveal nothing to a non-admin', async () => {
  for (const role of ['staff', 'org_lead', 'academy_lead']) {
    const res = await fetch(`${BASE}/admin/audit?format=csv`, { headers: creds[role], redirect: 'manual' });
    const text = await res.text();
    assert.equal(res.status, 403, role);
    assert.doesNotMatch(text, /token_hash|actor|entity_id/, role);
  }
});

test('a session of a disabled account stops working at once', async () => {
  const c = new Client();
  await c.signIn('academy@demo.ihtrack.test');
  assert.equal((await c.get('/')).status, 200);
  sql(`UPDATE users SET disabled_at = now() WHERE email = 'academy@demo.ihtrack.test'`);
  try {
    assert.equal((await c.get('/')).status, 303);
  } finally {
    sql(`UPDATE users SET disabled_at = NULL WHERE email = 'academy@demo.ihtrack.test'`);
  }
});

test('HSTS only when the loopback TLS front says the client used TLS', async () => {
  const plain = await fetch(`${BASE}/sign-in`);
  assert.equal(plain.headers.get('strict-transport-security'), null);
  assert.doesNotMatch(plain.headers.get('set-cookie') ?? '', /Secure/);
  const viaFront = await fetch(`${BASE}/sign-in`, { headers: { 'x-forwarded-proto': 'https' } });
  assert.match(viaFront.headers.get('strict-transport-security'), /max-age=31536000/);
  assert.match(viaFront.headers.get('set-cookie'), /; Secure/);
});
