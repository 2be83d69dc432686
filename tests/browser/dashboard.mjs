// Browser tests of the clinician dashboard: Playwright (playwright-core)
// driving Debian's Chromium headless against a real `steady-clinic demo`
// server, with the `steady` CLI as a real patient phone. axe-core runs on
// every page visited. Run by scripts/test-browser.sh, which passes:
//   DEMO_JSON   the demo's --json report   STEADY_BIN  the steady CLI
//   WORK_DIR    scratch directory          SHOTS_DIR   where screenshots go
//   NODE_PATH   where playwright-core and axe-core are installed
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH, 'noop.js'));
const { chromium } = require('playwright-core');
const axePath = require.resolve('axe-core/axe.min.js');

const demo = JSON.parse(fs.readFileSync(process.env.DEMO_JSON, 'utf8'));
const base = demo.server_url;
const shots = process.env.SHOTS_DIR;
const work = process.env.WORK_DIR;
fs.mkdirSync(shots, { recursive: true });
const patient = (name) => demo.patients.find((p) => p.name === name).patient_id;

// The steady CLI as the patient's phone.
const cliEnv = { ...process.env, STEADY_DB: path.join(work, 'me', 'steady.db') };
function steady(...args) {
  const out = execFileSync(process.env.STEADY_BIN, ['--json', ...args], {
    env: cliEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return out.trim() ? JSON.parse(out) : null;
}

class Check extends Error {}
function expect(condition, message) {
  if (!condition) throw new Check(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
// The pages forbid every script (strict CSP); the test context lets
// Playwright inject axe-core anyway. A second context without the bypass
// checks that the policy really blocks an injected script.
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
const page = await context.newPage();
page.setDefaultTimeout(15_000);

// axe-core on every page the tests visit.
const axeResults = [];
async function axe(label) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document);
    return {
      passes: r.passes.length,
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
    };
  });
  // axe really ran: it checked rules on this page.
  expect(result.passes > 10, `axe-core ran no checks on ${label}`);
  axeResults.push({ label, url: page.url(), violations: result.violations });
}
async function visit(url, label) {
  const response = await page.goto(base + url);
  await axe(label);
  return response;
}

async function signIn(p, email, password) {
  await p.goto(base + '/dashboard');
  expect(p.url().endsWith('/dashboard/sign-in'), `not redirected to sign-in: ${p.url()}`);
  await p.fill('#email', email);
  await p.fill('#password', password);
  await p.click('button[type=submit]');
  await p.waitForURL(base + '/dashboard');
}

async function csrfOf(p) {
  return p.getAttribute('input[name=csrf]', 'value');
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
let cliPatientEnrolled = false;

test('sign-in page, then sign in with the demo account', async () => {
  await page.goto(base + '/dashboard');
  await axe('sign-in');
  await signIn(page, demo.staff_email, demo.staff_password);
  expect((await page.textContent('h1')) === 'Caseload', 'caseload heading');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'steady_staff');
  expect(session && session.httpOnly && session.sameSite === 'Strict', 'HttpOnly SameSite=Strict cookie');
  const strict = await browser.newContext();
  const p = await strict.newPage();
  await p.goto(base + '/dashboard/sign-in');
  let blocked = false;
  try {
    await p.addScriptTag({ content: 'document.title = "injected"' });
  } catch {
    blocked = true;
  }
  expect(blocked && (await p.title()) !== 'injected', 'the CSP blocks an inline script');
  await strict.close();
});

test('the caseload lists the flagged patient first, with why', async () => {
  await visit('/dashboard', 'triage');
  const names = await page.$$eval('table.triage tbody th', (ths) => ths.map((t) => t.textContent.trim()));
  expect(names[0] === 'Alex Kim', `flagged patient first, got ${names.join(', ')}`);
  const first = await page.textContent('table.triage tbody tr:first-child');
  expect(/open safety flag/.test(first) && /not acknowledged/.test(first), 'flag reason shown');
  const riley = await page.textContent(`tr:has(a[href$="${patient('Riley Chen')}"])`);
  expect(/PHQ-9 worse/.test(riley), 'worsening PHQ-9 is a reason');
  const jordan = await page.textContent(`tr:has(a[href$="${patient('Jordan Lee')}"])`);
  expect(/missed/.test(jordan), 'missed sessions are a reason');
  expect(!names.includes('Casey Morgan'), "another clinic's patient is not listed");
  await page.screenshot({ path: path.join(shots, 'triage.png'), fullPage: true });
});

test("the digest's figures match the synced records", async () => {
  const signin = await fetch(base + '/v1/staff/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demo.staff_email, password: demo.staff_password }),
  });
  const { token } = await signin.json();
  for (const name of ['Alex Kim', 'Sam Rivera']) {
    const id = patient(name);
    await visit(`/dashboard/patients/${id}`, `patient ${name}`);
    const since = Number(await page.getAttribute('#digest-since', 'data-since-ms'));
    const now = Number(await page.getAttribute('#digest-since', 'data-now-ms'));
    const records = await (await fetch(`${base}/v1/staff/patients/${id}/records?purpose=treatment`, {
      headers: { authorization: `Bearer ${token}` },
    })).json();
    const live = records.records.filter((r) => !r.deleted);
    const within = (t) => t > since && t <= now;
    const cravings = live.filter((r) => r.record_type === 'craving' && within(r.payload.occurred_at_ms));
    const lapses = live.filter((r) => r.record_type === 'lapse' && within(r.payload.occurred_at_ms));
    const taken = live.filter((r) => r.record_type === 'dose' && ['taken', 'taken_late'].includes(r.payload.status) && within(r.payload.confirmed_at_ms));
    const shown = async (sel) => Number((await page.textContent(sel)).trim());
    expect(await shown('#digest-cravings') === cravings.length, `${name}: cravings ${await shown('#digest-cravings')} vs ${cravings.length}`);
    expect(await shown('#digest-lapses') === lapses.length, `${name}: lapses`);
    expect(await shown('#digest-doses-taken') === taken.length, `${name}: doses taken`);
    if (cravings.length) {
      const mean = cravings.reduce((s, r) => s + r.payload.intensity, 0) / cravings.length;
      expect((await page.textContent('#digest-craving-mean')).trim() === mean.toFixed(1), `${name}: mean intensity`);
    }
    if (name === 'Alex Kim') expect(lapses.length === 1, 'Alex lapsed once');
    if (name === 'Sam Rivera') expect(taken.length > 0, 'Sam took doses');
  }
});

test('acknowledge a safety flag, then resolve it with an outcome', async () => {
  await visit(`/dashboard/patients/${patient('Alex Kim')}`, 'patient with a new flag');
  await page.screenshot({ path: path.join(shots, 'patient.png'), fullPage: true });
  await page.click('article.flag-new button:has-text("Acknowledge")');
  await page.waitForSelector('p.notice');
  const flag = await page.textContent('article.flag');
  expect(/acknowledged/.test(flag) && /Acknowledged by Dana Ortiz/.test(flag), 'acknowledged by a named staff member');
  await page.goto(base + '/dashboard');
  const first = await page.textContent('table.triage tbody tr:first-child');
  expect(/Alex Kim/.test(first) && /0 not acknowledged/.test(first), 'an acknowledged flag stays on top');
  await page.goto(`${base}/dashboard/patients/${patient('Alex Kim')}`);
  await page.selectOption('article.flag select[name=assessment]', 'contact_phone');
  await page.fill('article.flag textarea[name=outcome]', 'Safe, plan reviewed, sees counselor tomorrow');
  await page.click('article.flag button:has-text("Resolve")');
  await page.waitForSelector('article.flag-resolved');
  await page.goto(base + '/dashboard');
  const after = await page.textContent('table.triage tbody');
  expect(!/open safety flag/.test(after), 'a resolved flag leaves the top');
});

test('a category without consent is not shown', async () => {
  await visit(`/dashboard/patients/${patient('Jordan Lee')}`, 'patient sharing attendance only');
  expect((await page.textContent('#consent-cravings td')).trim() === 'not shared', 'cravings: not shared');
  expect((await page.textContent('#consent-attendance td')).trim() === 'current', 'attendance: current');
  const html = await page.content();
  expect(!html.includes('Cravings per week'), 'no cravings chart');
  expect((await page.textContent('#digest-cravings')).trim() === '0', 'no craving figures');
});

test('a POST without the CSRF token is refused and changes nothing', async () => {
  const id = patient('Sam Rivera');
  await page.goto(`${base}/dashboard/patients/${id}/messages`);
  const before = await page.$$eval('ol.thread li', (l) => l.length);
  for (const form of [{ body: 'no token' }, { body: 'wrong token', csrf: 'x'.repeat(64) }]) {
    const r = await page.request.post(`${base}/dashboard/patients/${id}/messages`, { form, maxRedirects: 0 });
    expect(r.status() === 403, `refused with 403, got ${r.status()}`);
  }
  const good = await csrfOf(page);
  const foreign = await page.request.post(`${base}/dashboard/patients/${id}/messages`, {
    form: { body: 'cross-site', csrf: good },
    maxRedirects: 0,
    headers: { origin: 'https://evil.example' },
  });
  expect(foreign.status() === 403, 'a foreign Origin is refused');
  await page.reload();
  const after = await page.$$eval('ol.thread li', (l) => l.length);
  expect(after === before, 'no message was added');
});

test("another clinic's patient is unreachable", async () => {
  const other = demo.other_clinic_patient_id;
  const response = await visit(`/dashboard/patients/${other}`, 'not found page');
  expect(response.status() === 404, `404, got ${response.status()}`);
  await page.goto(`${base}/dashboard/patients/${patient('Sam Rivera')}`);
  const csrf = await csrfOf(page);
  const r = await page.request.post(`${base}/dashboard/patients/${other}/messages`, { form: { body: 'hi', csrf }, maxRedirects: 0 });
  expect(r.status() === 404, 'writes refused too');
  // And the other clinic's staff do not see this clinic's patients.
  const ctx2 = await browser.newContext();
  const p2 = await ctx2.newPage();
  await signIn(p2, demo.other_clinic_staff_email, demo.staff_password);
  const names = await p2.$$eval('table.triage tbody th', (ths) => ths.map((t) => t.textContent.trim()));
  expect(names.length === 1 && names[0] === 'Casey Morgan', `other clinic sees only its patient: ${names}`);
  const r2 = await p2.goto(`${base}/dashboard/patients/${patient('Alex Kim')}`);
  expect(r2.status() === 404, 'and cannot open ours');
  await ctx2.close();
});

test('record attendance and see it on the patient side after a sync', async () => {
  fs.mkdirSync(path.join(work, 'me'), { recursive: true });
  steady('init');
  steady('enroll', demo.cli_enrollment_code, '--server', base);
  steady('consent', 'grant', 'attendance', 'messages', '--signature', 'Test Patient');
  steady('sync');
  cliPatientEnrolled = true;
  await visit(`/dashboard/patients/${demo.cli_patient_id}`, 'CLI patient page');
  const occurrence = await page.$eval('#occurrence option', (o) => o.value);
  await page.selectOption('#occurrence', occurrence);
  await page.selectOption('#attendance-status', 'attended');
  await page.click('button:has-text("Record attendance")');
  await page.waitForSelector('p.notice');
  expect(/clinic record \(verified\)/.test(await page.textContent('table.attendance')), 'shown as verified');
  steady('sync');
  const records = steady('clinic', 'attendance');
  const mine = records.find((a) => a.occurrence_id === occurrence);
  expect(mine && mine.status === 'attended' && mine.recorded_by === 'Dana Ortiz', `phone has the verified record: ${JSON.stringify(records)}`);
});

test('messages both ways, with read state from the phone', async () => {
  expect(cliPatientEnrolled, 'needs the enrolled CLI patient');
  await visit(`/dashboard/patients/${demo.cli_patient_id}/messages`, 'messages');
  expect(/not for emergencies/.test(await page.textContent('.banner')) && /988/.test(await page.textContent('.banner')), 'emergency banner with crisis lines');
  await page.fill('#body', 'See you Thursday at group.');
  await page.click('button:has-text("Send")');
  await page.waitForSelector('text=See you Thursday at group.');
  steady('sync');
  const thread = steady('message', 'list');
  const ours = thread.find((m) => m.body === 'See you Thursday at group.');
  expect(ours && !ours.from_patient && ours.from === 'Dana Ortiz', 'the phone received it');
  steady('message', 'read', ours.id);
  steady('message', 'send', 'Thanks, I will be there.', '--reply-to', ours.id);
  steady('sync');
  await page.reload();
  const text = await page.textContent('ol.thread');
  expect(/Thanks, I will be there\./.test(text), "the patient's reply is shown");
  const mine = await page.textContent('ol.thread li:has-text("See you Thursday")');
  expect(/Read /.test(mine), `read state from the phone: ${mine}`);
  await axe('messages after reply');
});

test('a drug screen: a missing prescribed substance is flagged; released, the phone shows it', async () => {
  expect(cliPatientEnrolled, 'needs the enrolled CLI patient');
  await page.goto(`${base}/dashboard/patients/${demo.cli_patient_id}`);
  await page.click('summary:has-text("Record a drug screen")');
  await page.selectOption('select[name=result_buprenorphine]', 'negative');
  await page.check('input[name=expected_buprenorphine]');
  await page.selectOption('select[name=result_fentanyl]', 'negative');
  await page.selectOption('select[name=method_fentanyl]', 'confirmed');
  await page.click('button:has-text("Record the screen")');
  await page.waitForSelector('p.notice');
  expect(/expected \(prescribed\) but not found/.test(await page.textContent('article.screen')), 'the unexpected negative is marked');
  expect(/Unexpected drug screen result/.test(await page.textContent('article.flag')), 'and flagged');
  steady('sync');
  expect(steady('clinic', 'screens').length === 0, 'not on the phone before release');
  await page.click('button:has-text("Release to the patient")');
  await page.waitForSelector('text=Released to the patient');
  await axe('patient with a drug screen');
  steady('sync');
  const screens = steady('clinic', 'screens');
  expect(screens.length === 1 && screens[0].results.includes('buprenorphine: negative (presumptive, prescribed)'), JSON.stringify(screens));
});

test('enroll a patient: a one-time code and its QR code', async () => {
  await visit('/dashboard/patients/new', 'add patient');
  await page.fill('#name', 'Morgan Test');
  await page.click('button:has-text("Add and show")');
  await page.waitForSelector('.code');
  expect(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){2}$/.test((await page.textContent('.code')).trim()), 'a code');
  expect(await page.$('.qr svg[role=img]'), 'a QR code');
  await axe('enrollment code');
});

test('audit view and clinic hours pages', async () => {
  await visit('/dashboard/audit', 'audit');
  const rows = await page.textContent('table.audit');
  expect(/flag\.acknowledge/.test(rows) && /patient\.page\.read/.test(rows), 'audit rows for flags and page views');
  await visit(`/dashboard/audit?patient_id=${patient('Alex Kim')}`, 'audit filtered');
  const patients = await page.$$eval('table.audit tbody td:nth-child(4)', (tds) => [...new Set(tds.map((t) => t.textContent.trim()))]);
  expect(patients.length === 1 && patients[0] === 'Alex Kim', `filtered by patient: ${patients}`);
  await visit('/dashboard/settings', 'settings');
});

test('axe-core: no serious or critical violation on any page', async () => {
  const bad = axeResults.flatMap((r) => r.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${r.label}: ${v.id} (${v.impact}, ${v.nodes})`));
  console.log(`axe-core checked ${axeResults.length} pages`);
  for (const r of axeResults) {
    for (const v of r.violations) console.log(`  axe ${r.label}: ${v.id} ${v.impact}`);
  }
  expect(bad.length === 0, bad.join('; '));
});

let passed = 0;
let failed = 0;
for (const t of tests) {
  try {
    await t.fn();
    passed += 1;
    console.log(`ok   ${t.name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${t.name}: ${e instanceof Check ? e.message : e.stack}`);
  }
}
await browser.close();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
