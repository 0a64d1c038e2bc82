import { spawn } from 'node:child_process';
import { type Page } from '@playwright/test';
import { admin, apiAs, expect, layOutGrid, registerThrough, resident, signIn, test, unique } from './fixtures';

// A lockdown's networks are overloaded and basements have no signal: the app keeps
// opening, the board last seen stays readable, and a check-in made offline waits on the
// phone and is sent, once, when the connection returns.

/** Waits until the service worker controls the page (it claims open pages on activation). */
async function controlled(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
      );
    }
  });
}

test('a check-in made offline waits in 待发送 through a reload and is stored once back online', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  const stamp = Date.now().toString(36);
  const gridName = `离线网格${stamp}`;
  const phoneNumber = `137${String(Date.now() % 1e8).padStart(8, '0')}`;
  const day = (offset: number) =>
    new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

  await test.step('a household under observation is registered on this phone', async () => {
    const grid = await layOutGrid(playwright, baseURL!, gridName, `离线-${stamp}号楼`, ['1单元/101']);
    const risk = { observation_start: day(-2), observation_end: day(5), category: 'close_contact' };
    await registerThrough(page.request, baseURL!, grid.buildings[0].units[0].rooms[0].id, phoneNumber, 'my-family-2026', [
      { name: '李秀英', phone: phoneNumber, relation: 'self', birth_year: 1968, risk },
    ]);
  });

  const her = page.getByRole('listitem', { name: '李秀英' });
  await test.step('she opens her household page; the app is kept for offline use', async () => {
    await page.goto('/my-household');
    await controlled(page);
    await expect(page.getByRole('heading', { name: '今日健康打卡' })).toBeVisible();
  });

  await test.step('in the basement, without signal, she checks in: it waits in 待发送', async () => {
    await context.setOffline(true);
    await her.getByText('填写体温和症状').click();
    await her.getByLabel('体温（℃）').fill('37.9');
    await her.getByRole('button', { name: '提交' }).click();
    await expect(page.getByText('没有网络：已存入“待发送”，联网后自动发送。')).toBeVisible();
    const outbox = page.getByRole('region', { name: /待发送/ });
    await expect(outbox.getByText('健康打卡')).toBeVisible();
    await expect(outbox.getByText('37.9 °C')).toBeVisible();
  });

  await test.step('the page reloads while still offline: the app opens and the check-in still waits', async () => {
    await page.reload();
    const outbox = page.getByRole('region', { name: /待发送/ });
    await expect(outbox.getByRole('heading', { name: '待发送 (1)' })).toBeVisible();
    await expect(outbox.getByText('37.9 °C')).toBeVisible();
    await page.screenshot({ path: '/tmp/offline-outbox.png', fullPage: true });
  });

  await test.step('the signal returns: it is sent, once, and leaves the list', async () => {
    await context.setOffline(false);
    await expect(page.getByRole('region', { name: /待发送/ })).toBeHidden();
    const today = await (await page.request.get('/api/health/me')).json();
    const member = today.members[0];
    expect(member.today.temperature).toBe(37.9);
    const api = await apiAs(playwright, baseURL!, admin);
    const history = await (await api.get(`/api/health/members/${member.member_id}`)).json();
    expect(history.check_ins.length).toBe(1);
    await api.dispose();
  });
});

test('the board seen online stays readable offline, with the time it was fetched', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  const title = unique('离线可读的停水通知');
  const api = await apiAs(playwright, baseURL!, admin);
  const created = await api.post('/api/notices', { data: { title, body: '明日 9:00—12:00 停水，请提前储水。' } });
  const { id } = await created.json();
  expect((await api.post(`/api/notices/${id}/publish`)).ok()).toBeTruthy();
  await api.dispose();

  await test.step('online, a resident reads the board and the notice', async () => {
    await page.goto('/');
    await controlled(page);
    await page.reload();
    await page.getByRole('link', { name: title }).click();
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('link', { name: title })).toBeVisible();
  });

  await test.step('offline, a reload shows the same board under a banner saying when it was fetched', async () => {
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('link', { name: title })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /^离线 · 显示的是 \d{2}-\d{2} \d{2}:\d{2} 的内容$/ })).toBeVisible();
    await page.screenshot({ path: '/tmp/offline-board.png', fullPage: true });
  });

  await test.step('the notice opens, and going back keeps the list', async () => {
    await page.getByRole('link', { name: title }).click();
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await page.goBack();
    await expect(page.getByRole('link', { name: title })).toBeVisible();
  });
  await context.setOffline(false);
});

test('a write sent again with the same Idempotency-Key gets the first answer', async ({ page, baseURL }) => {
  await signIn(page, resident);
  const send = (text: string) =>
    page.request.post('/api/submissions', {
      headers: { Origin: baseURL!, 'Idempotency-Key': `e2e-${Date.now().toString(36)}` },
      data: { category: 'other', text },
    });
  const key = `e2e-replay-${Date.now().toString(36)}`;
  const sendWithKey = (text: string) =>
    page.request.post('/api/submissions', {
      headers: { Origin: baseURL!, 'Idempotency-Key': key },
      data: { category: 'other', text },
    });
  const first = await sendWithKey('楼道灯坏了');
  expect(first.status()).toBe(201);
  const again = await sendWithKey('楼道灯坏了');
  expect(again.status()).toBe(201);
  expect(again.headers()['idempotent-replayed']).toBe('true');
  expect(await again.json()).toEqual(await first.json());
  const reused = await sendWithKey('电梯坏了');
  expect(reused.status()).toBe(422);
  expect((await reused.json()).error.code).toBe('idempotency_key_reused');
  // Another key is another write.
  expect((await send('楼道灯坏了')).status()).toBe(201);
});

test('a new version of the app reaches a phone that has the old one', async ({ browser }) => {
  // Its own server on its own port, restarted as a new release would be.
  const port = Number(process.env.E2E_PORT ?? 3737) + 1;
  const origin = `http://127.0.0.1:${port}`;
  const start = async (version: string) => {
    const server = spawn('bash', ['serve.sh', String(port)], {
      env: { ...process.env, SHOUWANG_APP_VERSION: version },
      detached: true,
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${origin}/api/health`)).ok) return server;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the server did not start');
  };
  const stop = async (server: ReturnType<typeof spawn>) => {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
  };
  const shellCaches = (page: Page) =>
    page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('shouwang-shell-')));

  let server = await start('release-1');
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/`);
    await controlled(page);
    // A later visit: the page now opens under the worker, as on any day after the first.
    await page.reload();
    await expect(page.getByRole('heading', { name: '公告栏' })).toBeVisible();
    expect(await shellCaches(page)).toEqual([expect.stringMatching(/-release-1$/)]);

    await stop(server);
    server = await start('release-2');
    // The phone comes back to the app: the browser checks the worker, finds a new one,
    // which takes over, and the page reloads itself on the new shell.
    const reloaded = page.waitForEvent('load');
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    await reloaded;
    await expect(page.getByRole('heading', { name: '公告栏' })).toBeVisible();
    await expect.poll(() => shellCaches(page)).toEqual([expect.stringMatching(/-release-2$/)]);
  } finally {
    await context.close();
    await stop(server);
  }
});
