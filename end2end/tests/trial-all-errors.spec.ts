import { type PlaywrightWorkerArgs } from '@playwright/test';
import { apiAs, expect, mobile, registerHousehold, signIn, staff, staffBuilding, test } from './fixtures';

// Issue 14, items 2, 3 and 19 on a 360 × 800 phone: every form shows all its errors at
// once and brings the first to the person; a limit is said before it is reached and in
// every refusal; what the server records reads in the reader's language.

type Playwright = PlaywrightWorkerArgs['playwright'];

let counter = 0;

/** A household of one in a new building of the fixtures' staff grid; its sign-in. */
async function household(playwright: Playwright, baseURL: string) {
  const stamp = `${Date.now().toString(36)}${(counter += 1)}`;
  const place = await staffBuilding(playwright, baseURL, `E2E错误网格${stamp}`, `E2E错误-${stamp}号楼`, ['101']);
  const family = await registerHousehold(playwright, baseURL, place.rooms[0], { name: 'Mia', birth_year: 1988 }, 'all-errors-2026');
  return { ...family, buildingName: place.buildingName };
}

test('2. a grid worker taps save on empty forms and sees every error at once, the first field focused', async ({ page }) => {
  await test.step('sign-in with nothing typed marks both fields and starts at the first', async () => {
    await page.goto('/login');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByText('此项必填。')).toHaveCount(2);
    await expect(page.getByLabel('用户名或手机号')).toBeFocused();
  });

  await signIn(page, staff);

  await test.step('a new notice with neither title nor body: both are marked, the title has focus', async () => {
    await page.goto('/staff/notices/new');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect(page.getByText('此项必填。')).toHaveCount(2);
    await expect(page.getByLabel('标题')).toBeFocused();
    await expect(page.getByLabel('标题')).toBeInViewport();
  });

  await test.step('a new shift without a place or a day: both are marked at once', async () => {
    await page.goto('/staff/shifts');
    await page.getByRole('button', { name: '创建班次' }).click();
    // The place and the day, both in the same tap.
    await expect(page.getByText('此项必填。')).toHaveCount(2);
    await expect(page.getByLabel('地点')).toBeFocused();
    await expect(page.getByLabel('地点')).toBeInViewport();
    await page.screenshot({ path: '/tmp/trial-all-errors-shift.png', fullPage: true });
  });

  await test.step('a testing round with no name, place, building or slot: every part is marked', async () => {
    await page.goto('/staff/testing');
    await page.getByText('安排检测轮次').click();
    await page.getByRole('button', { name: '发布检测安排' }).click();
    await expect(page.getByText('此项必填。')).toHaveCount(4);
    await expect(page.getByLabel('名称')).toBeFocused();
    await page.screenshot({ path: '/tmp/trial-all-errors-testing.png', fullPage: true });
  });
});

test('2. a resident sends an empty report and an empty request and is shown what is missing', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const family = await household(playwright, baseURL!);
  const phone = await (await browser.newContext({ viewport: { width: 360, height: 800 } })).newPage();
  await signIn(phone, family);

  await test.step('an empty report: the text is marked and has focus', async () => {
    await phone.goto('/submit');
    await phone.getByRole('button', { name: '提交', exact: true }).click();
    await expect(phone.getByText('此项必填。')).toHaveCount(1);
    await expect(phone.getByLabel('内容')).toBeFocused();
  });

  await test.step('an empty supplies request: what is needed is marked and has focus', async () => {
    await phone.goto('/my-household');
    await phone.getByRole('button', { name: '提交申请' }).click();
    await expect(phone.getByText('此项必填。')).toHaveCount(1);
    await expect(phone.getByLabel('需要什么')).toBeFocused();
    await expect(phone.getByLabel('需要什么')).toBeInViewport();
    await phone.screenshot({ path: '/tmp/trial-all-errors-supplies.png', fullPage: true });
  });
  await phone.context().close();
});

test('3. a notice title says its limit before it is reached, and a refusal says it too', async ({ page }) => {
  await signIn(page, staff);
  await page.goto('/staff/notices/new');

  await test.step('before typing, the title and the body say how long they may be', async () => {
    await expect(page.getByText('最多 120 字')).toBeVisible();
    await expect(page.getByText('最多 30000 字')).toBeVisible();
    await expect(page.getByLabel('标题')).toHaveAttribute('maxlength', '120');
  });

  await test.step('a refusal from the server names the limit next to the field, and the text stays', async () => {
    // As a server with a shorter limit than this app would answer.
    await page.route('**/api/notices', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 422,
            contentType: 'application/json',
            body: JSON.stringify({
              error: { code: 'too_long', message: 'At most 10 characters.', field: 'title', limit: 10 },
            }),
          })
        : route.continue(),
    );
    await page.getByLabel('标题').fill('关于调整2号楼封控措施的通知');
    await page.getByLabel('正文').fill('各位居民：自即日起调整。');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect(page.getByText('内容太长，最多 10 个字。')).toBeVisible();
    await expect(page.getByLabel('标题')).toHaveValue('关于调整2号楼封控措施的通知');
    await expect(page.getByLabel('标题')).toBeFocused();
    await page.screenshot({ path: '/tmp/trial-all-errors-limit.png', fullPage: true });
  });
});

test('19. in English, a resident withdraws a request and the worker reads why in English', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const family = await household(playwright, baseURL!);
  const home = await apiAs(playwright, baseURL!, family);
  expect((await home.post('/api/supplies/requests', { data: { kind: 'medicine', items: 'Ibuprofen' } })).status()).toBe(201);
  await home.dispose();

  await test.step('Mia, reading in English, cancels her request', async () => {
    const phone = await (await browser.newContext({ viewport: { width: 360, height: 800 } })).newPage();
    await signIn(phone, family);
    await phone.goto('/my-household');
    await phone.getByRole('button', { name: 'English' }).click();
    // The saved choice holds across a reload (the rows already drawn keep their language
    // until then).
    await phone.reload();
    await phone.getByRole('button', { name: 'Cancel request' }).click();
    await expect(phone.getByText(/Cancelled/).first()).toBeVisible();
    await phone.context().close();
  });

  await test.step('the grid worker, in English, reads that the resident cancelled, in English', async () => {
    await signIn(page, staff);
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto('/staff/supplies?state=cancelled');
    const row = page.getByRole('listitem').filter({ hasText: family.buildingName });
    await row.getByText('History').click();
    await expect(row.getByText(/Cancelled by the resident/)).toBeVisible();
    await expect(row).not.toContainText('居民取消');
    await page.screenshot({ path: '/tmp/trial-all-errors-cancel-en.png', fullPage: true });
  });

  await test.step('a volunteer, in English, subscribes to a calendar that speaks English', async () => {
    const volunteer = { username: mobile('136'), password: 'calendar-en-2026' };
    const api = await apiAs(playwright, baseURL!);
    const signedUp = await api.post('/api/volunteers/sign-up', {
      data: {
        phone: volunteer.username, password: volunteer.password, name: 'Leo', service_area: 'E2E',
        skills: [], trainings: [], availability: [{ weekday: 1, part: 'morning' }],
      },
    });
    expect(signedUp.status()).toBe(201);
    await api.dispose();
    const phone = await (await browser.newContext({ viewport: { width: 360, height: 800 } })).newPage();
    await signIn(phone, volunteer);
    await phone.goto('/volunteer');
    await phone.getByRole('button', { name: 'English' }).click();
    await phone.getByRole('button', { name: 'Make a calendar link' }).click();
    const link = phone.getByLabel('Calendar link');
    await expect(link).toHaveValue(/\?lang=en$/);
    const feed = await (await phone.request.get(await link.inputValue())).text();
    expect(feed).toContain('X-WR-CALNAME:Shouwang volunteer shifts');
    await phone.screenshot({ path: '/tmp/trial-all-errors-calendar-en.png', fullPage: true });
    await phone.context().close();
  });
  // The language is a cookie: later tests start in Chinese again.
  await page.getByRole('button', { name: '中文' }).click();
});
