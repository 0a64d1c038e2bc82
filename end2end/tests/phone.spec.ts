import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { expect, staff, test, unique } from './fixtures';

// A resident on an old phone and an overloaded network: the board must be readable from
// the page the server sends, before the WebAssembly has arrived, or without scripts.

async function publishPinnedNotice(
  playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } },
  baseURL: string | undefined,
  title: string,
): Promise<number> {
  const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
  expect((await request.post('/api/auth/login', { data: staff })).ok()).toBeTruthy();
  const created = await request.post('/api/notices', {
    data: {
      title,
      body: '各位居民：\n\n自即日起本小区实行**封闭管理**，请居家等候通知。',
      category: 'announcement',
      issuing_body: '守望街道疫情防控指挥部',
      doc_number: '守防发[2026]12号',
      issued_on: '2026-12-07',
      pinned: true,
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  expect((await request.post(`/api/notices/${id}/publish`)).ok()).toBeTruthy();
  await request.dispose();
  return id;
}

async function pageWithoutScripts(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 360, height: 800 },
    isMobile: true,
  });
  return context.newPage();
}

/** `name = N` from frontend-budget.txt, the file the build's budget check reads too. */
function budget(name: string): number {
  const file = readFileSync(join(__dirname, '../../frontend-budget.txt'), 'utf8');
  const line = file.split('\n').find((l) => l.trim().startsWith(`${name} =`));
  if (!line) throw new Error(`frontend-budget.txt has no ${name}`);
  return Number(line.split('=')[1].trim());
}

test('with scripts disabled, a resident reads the pinned notice and where it comes from', async ({ browser, playwright, baseURL }) => {
  const title = unique('关于全小区实行封闭管理的通告');
  const id = await publishPinnedNotice(playwright, baseURL, title);
  const phone = await pageWithoutScripts(browser);

  await test.step('the board shows the notice, pinned, with its issuing body and 文号', async () => {
    await phone.goto('/');
    await expect(phone.getByRole('heading', { name: '公告栏', level: 1 })).toBeVisible();
    const card = phone.getByRole('link', { name: new RegExp(title) });
    await expect(card).toBeVisible();
    await expect(card).toContainText('置顶');
    await expect(card).toContainText('守望街道疫情防控指挥部 · 守防发〔2026〕12号 · 2026-12-07');
    await phone.screenshot({ path: '/tmp/phone-board-nojs.png', fullPage: true });
  });

  await test.step('following the link opens the notice, still without scripts', async () => {
    await phone.getByRole('link', { name: new RegExp(title) }).click();
    await expect(phone).toHaveURL(new RegExp(`/notices/${id}$`));
    await expect(phone.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(phone.getByRole('definition').filter({ hasText: '守防发〔2026〕12号' })).toBeVisible();
    await expect(phone.getByText('守望街道疫情防控指挥部')).toBeVisible();
    await expect(phone.getByText('封闭管理', { exact: true })).toBeVisible();
    await phone.screenshot({ path: '/tmp/phone-notice-nojs.png', fullPage: true });
  });
  await phone.context().close();
});

test('the app takes over the board without a second copy and without moving it', async ({ page, playwright, baseURL }) => {
  const title = unique('居家隔离期间生活物资配送安排');
  await publishPinnedNotice(playwright, baseURL, title);

  // The module is held back, as a slow network would: what the phone shows meanwhile is
  // the server's board.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByRole('button', { name: '大字' })).toHaveCount(0);
  const before = await page.getByRole('heading', { name: title }).boundingBox();
  await page.screenshot({ path: '/tmp/phone-board-before-wasm.png', fullPage: true });

  release();
  // The app's own switches (大字, English) work only once it runs: it has taken over.
  await expect(page.getByRole('button', { name: '大字' })).toBeEnabled();
  await expect(page.getByRole('heading', { name: title })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: '公告栏', level: 1 })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  const after = await page.getByRole('heading', { name: title }).boundingBox();
  expect(before).not.toBeNull();
  expect(after).not.toBeNull();
  expect(Math.abs(after!.y - before!.y), 'the notice stays where the reader saw it').toBeLessThanOrEqual(2);
  await page.screenshot({ path: '/tmp/phone-board-app.png', fullPage: true });

  await test.step('opening a notice in the app shows it once too', async () => {
    await page.getByRole('link', { name: new RegExp(title) }).click();
    await expect(page.getByRole('heading', { name: title, level: 1 })).toHaveCount(1);
    await expect(page.getByRole('heading', { name: '公告栏', level: 1 })).toHaveCount(0);
  });
});

test('a notice opened directly is taken over by the app once', async ({ page, playwright, baseURL }) => {
  const title = unique('核酸检测点位调整的通知');
  const id = await publishPinnedNotice(playwright, baseURL, title);
  await page.goto(`/notices/${id}`);
  await expect(page.getByRole('button', { name: '大字' })).toBeEnabled();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toHaveCount(1);
  await expect(page.getByRole('link', { name: '返回公告栏' })).toHaveCount(1);
});

test('the board first load, everything on the wire, stays within the first-load budget', async ({ page }) => {
  const limit = budget('first_load_brotli_bytes');
  const sizes: Promise<number>[] = [];
  // Deployed behind https, phones are sent brotli; plain-http Chromium would ask for gzip.
  await page.setExtraHTTPHeaders({ 'Accept-Encoding': 'br, gzip' });
  page.on('requestfinished', (request) => {
    sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  });
  await page.goto('/');
  await expect(page.getByRole('button', { name: '大字' })).toBeEnabled();
  await page.waitForLoadState('networkidle');
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  console.log(`board first load: ${total} bytes on the wire (budget ${limit})`);
  expect(total).toBeLessThanOrEqual(limit);
});
