// `cargo xtask lighthouse`: Lighthouse's mobile profile (simulated slow 4G, 4× CPU) on the
// pages a resident opens first, against a server xtask started on a fresh database.
//
// usage: node xtask/lighthouse.mjs BASE_URL STAFF_USER STAFF_PASSWORD RESIDENT_USER RESIDENT_PASSWORD
// Prints one line per page and writes the figures as JSON to target/lighthouse.json.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { writeFileSync, mkdirSync } from 'node:fs';

const [base, staffUser, staffPassword, residentUser, residentPassword] = process.argv.slice(2);
if (!residentPassword) {
  console.error('usage: node xtask/lighthouse.mjs BASE_URL STAFF_USER STAFF_PASSWORD RESIDENT_USER RESIDENT_PASSWORD');
  process.exit(2);
}

/** Signs in through the API and returns the `name=value` of the session cookie. */
async function signIn(username, password) {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${username}: ${response.status}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('shouwang_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
}

async function post(cookie, path, body) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

// A board as a community has it on a lockdown day: a pinned notice with its provenance
// and a few more, so the pages measured are not empty ones.
const staff = await signIn(staffUser, staffPassword);
let noticeId;
for (let i = 0; i < 6; i++) {
  const created = await post(staff, '/api/notices', {
    title: i === 0 ? '关于全小区实行封闭管理的通告' : `社区通知 第${i}号：核酸检测安排`,
    body: '各位居民：\n\n为切断传播途径，自即日起本小区实行封闭管理。请居家等候通知，**不要下楼**。\n\n1. 生活物资由志愿者送到楼下。\n2. 就医需求请拨打社区电话。\n\n'.repeat(3),
    category: i === 0 ? 'announcement' : 'prevention',
    issuing_body: '某某街道疫情防控指挥部',
    doc_number: `街防控〔2026〕${i + 1}号`,
    issued_on: '2026-12-07',
    pinned: i === 0,
  });
  await post(staff, `/api/notices/${created.id}/publish`);
  if (i === 0) noticeId = created.id;
}
const resident = await signIn(residentUser, residentPassword);

const pages = [
  { name: '/', path: '/' },
  { name: '/notices/{id}', path: `/notices/${noticeId}` },
  { name: '/register', path: '/register' },
  { name: '/my-household (signed in)', path: '/my-household', cookie: resident },
];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const results = [];
try {
  for (const page of pages) {
    const { lhr } = await lighthouse(
      `${base}${page.path}`,
      {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility'],
        extraHeaders: page.cookie ? { Cookie: page.cookie } : undefined,
      },
      // The default config is the mobile profile: Moto G Power, slow 4G, 4× CPU.
    );
    const audit = (id) => lhr.audits[id];
    const failed = Object.values(lhr.categories.accessibility.auditRefs)
      .map((ref) => lhr.audits[ref.id])
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
      .map((a) => a.id);
    results.push({
      page: page.name,
      performance: Math.round(lhr.categories.performance.score * 100),
      lcp_ms: Math.round(audit('largest-contentful-paint').numericValue),
      tbt_ms: Math.round(audit('total-blocking-time').numericValue),
      bytes: Math.round(audit('total-byte-weight').numericValue),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      accessibility_failures: failed,
    });
  }
} finally {
  await chrome.kill();
}

console.log('page                       perf   LCP ms   TBT ms    bytes   a11y');
for (const r of results) {
  console.log(
    `${r.page.padEnd(26)} ${String(r.performance).padStart(4)} ${String(r.lcp_ms).padStart(8)} ${String(r.tbt_ms).padStart(8)} ${String(r.bytes).padStart(8)} ${String(r.accessibility).padStart(6)}` +
      (r.accessibility_failures.length ? `  fails: ${r.accessibility_failures.join(', ')}` : ''),
  );
}
mkdirSync('target', { recursive: true });
writeFileSync('target/lighthouse.json', JSON.stringify(results, null, 2));
