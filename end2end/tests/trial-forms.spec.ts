import { readFileSync } from 'node:fs';
import { type APIRequestContext, type Page, type PlaywrightTestArgs } from '@playwright/test';
import { apiAs, expect, mobile, registerHousehold, signIn, staff, staffBuilding, test } from './fixtures';

// Issue 14, as the trial's resident, volunteer and grid worker met it on a 360 × 800 phone.

/** The community's date (Asia/Shanghai) `days` from today, as YYYY-MM-DD. */
function day(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** A building in the staff account's grid. */
async function building(playwright: PlaywrightTestArgs['playwright'], baseURL: string, stamp: string) {
  return staffBuilding(playwright, baseURL, `E2E表单网格${stamp}`, `E2E表单-${stamp}号楼`, ['101', '102']);
}

/**
 * A household under home observation that asked for medicine, and an approved volunteer
 * who has set out with it; a second request still waits for staff, and a second
 * volunteer waits for approval. What the door and the staff pages need.
 */
async function seedDelivery(playwright: PlaywrightTestArgs['playwright'], baseURL: string) {
  const stamp = Date.now().toString(36);
  const place = await building(playwright, baseURL, stamp);
  const observation = { observation_start: day(-2), observation_end: day(7), category: 'close_contact' };
  const resident = await registerHousehold(
    playwright, baseURL, place.rooms[0], { name: '刘桂芳', birth_year: 1952, risk: observation }, 'trial-family-2026',
  );
  const family = await apiAs(playwright, baseURL, resident);
  const asked = await family.post('/api/supplies/requests', { data: { kind: 'medicine', items: '硝苯地平缓释片 一盒' } });
  expect(asked.ok()).toBeTruthy();
  const request = await asked.json();
  expect((await family.post('/api/supplies/requests', { data: { kind: 'prescription', items: '降压药 一个月' } })).ok()).toBeTruthy();
  const mine = await (await family.get('/api/supplies/mine')).json();
  const code: string = mine.items.find((r: { id: number }) => r.id === request.id).pickup_code;
  await family.dispose();

  const volunteer = { username: mobile('136'), password: 'trial-volunteer-2026', name: `送药志愿者${stamp}` };
  const helper = await apiAs(playwright, baseURL);
  const signedUp = await helper.post('/api/volunteers/sign-up', {
    data: {
      phone: volunteer.username, password: volunteer.password, name: volunteer.name, service_area: place.gridName,
      skills: ['delivery'], trainings: [],
      availability: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, part: 'morning' })),
    },
  });
  expect(signedUp.status()).toBe(201);
  const { id: volunteerId } = await signedUp.json();
  const pending = await (await apiAs(playwright, baseURL)).post('/api/volunteers/sign-up', {
    data: {
      phone: mobile('135'), password: 'trial-volunteer-2026', name: `待审核${stamp}`, service_area: place.gridName,
      skills: ['medical'], trainings: [{ training: 'prevention', completed_on: '2022-04-08' }], availability: [],
    },
  });
  expect(pending.status()).toBe(201);

  const worker = await apiAs(playwright, baseURL, staff);
  expect((await worker.post(`/api/volunteers/${volunteerId}/approve`)).ok()).toBeTruthy();
  const act = async (api: APIRequestContext, data: object) => {
    const response = await api.post(`/api/supplies/requests/${request.id}/actions`, { data });
    expect(response.ok(), await response.text()).toBeTruthy();
  };
  await act(worker, { action: 'accept' });
  await act(worker, { action: 'assign', volunteer_id: volunteerId });
  await worker.dispose();
  expect((await helper.post('/api/auth/login', { data: volunteer })).ok()).toBeTruthy();
  await act(helper, { action: 'dispatch' });
  await helper.dispose();
  return { ...place, resident, volunteer, code, pendingName: `待审核${stamp}` };
}

test('a volunteer taps 提交报名 on an empty form and is shown every missing field, starting at the top', async ({ page }) => {
  await page.goto('/volunteer/sign-up');
  await expect(page.getByRole('heading', { name: '志愿者报名' })).toBeVisible();
  await test.step('the name says its limit before she types', async () => {
    await expect(page.getByText('最多 20 字')).toBeVisible();
  });
  await test.step('she scrolls down and taps 提交报名 with nothing filled', async () => {
    await page.getByRole('button', { name: '提交报名' }).click();
    // Name, phone, password and service area: all four at once, not one per tap.
    await expect(page.getByText('此项必填。')).toHaveCount(4);
    await expect(page.getByLabel('姓名')).toBeFocused();
    await expect(page.getByLabel('姓名')).toBeInViewport();
  });
  await test.step('a name pasted from a chat, 62 characters long, is counted, not cut silently', async () => {
    await page.getByLabel('姓名').fill('张'.repeat(62));
    await expect(page.getByLabel('姓名')).toHaveValue('张'.repeat(20));
    await expect(page.getByText('20/20 字')).toBeVisible();
  });
});

test('a resident registers her family; the phone closes the tab midway and nothing is lost; she checks a summary', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const place = await building(playwright, baseURL!, Date.now().toString(36));
  const context = await browser.newContext();
  let phone = await context.newPage();
  const posted: string[] = [];
  context.on('request', (r) => {
    if (r.method() !== 'GET') posted.push(r.url());
  });

  await test.step('she chooses her room; the wizard says it has five steps', async () => {
    await phone.goto('/register');
    await expect(phone.getByText('第 1 步，共 5 步')).toBeVisible();
    await phone.getByLabel('楼栋').selectOption({ label: place.buildingName });
    await phone.getByLabel('单元').selectOption({ label: '1单元' });
    await phone.getByLabel('房号').selectOption({ label: '102' });
    await phone.getByRole('button', { name: '下一步' }).click();
    await expect(phone.getByText('第 2 步，共 5 步')).toBeVisible();
  });

  await test.step('skipping the notice says which box to tick, not a sentence about sensitive data', async () => {
    await phone.getByRole('button', { name: '下一步' }).click();
    await expect(phone.getByText('请先阅读上面的告知，并勾选“我已阅读并同意以上告知”。')).toBeVisible();
    await expect(phone.getByText(/敏感/).filter({ hasText: '填写此项' })).toHaveCount(0);
    await phone.getByLabel('我已阅读并同意以上告知').check();
    await phone.getByRole('button', { name: '下一步' }).click();
    await expect(phone.getByText('第 3 步，共 5 步')).toBeVisible();
  });

  await test.step('the name field says its limit of 30; a pasted 62-character name is counted to 30', async () => {
    await expect(phone.getByText('最多 30 字')).toBeVisible();
    await phone.getByLabel('姓名', { exact: true }).fill('刘'.repeat(62));
    await expect(phone.getByText('30/30 字')).toBeVisible();
    await phone.getByLabel('姓名', { exact: true }).fill('刘桂芳');
  });

  await test.step('a birth year of 1890 is refused with the range, next to the field, and stays typed', async () => {
    await phone.getByLabel('手机号', { exact: true }).fill('13912345601');
    await phone.getByLabel('出生年份').fill('1890');
    await phone.getByRole('button', { name: '再添加一位成员' }).click();
    await expect(phone.getByText(/出生年份应在 1900–\d{4} 年之间/)).toBeVisible();
    await expect(phone.getByText('日期无效。')).toHaveCount(0);
    await expect(phone.getByLabel('出生年份')).toHaveValue('1890');
    await expect(phone.getByLabel('出生年份')).toBeFocused();
    await phone.getByLabel('出生年份').fill('1952');
    await phone.getByRole('button', { name: '再添加一位成员' }).click();
    await expect(phone.getByRole('heading', { name: '第 2 位成员' })).toBeVisible();
    // A second member is not a new step: the count does not grow.
    await expect(phone.getByText('第 3 步，共 5 步')).toBeVisible();
    await phone.getByLabel('姓名', { exact: true }).fill('刘小明');
  });

  await test.step('she switches to a chat app to copy a number; the phone closes the tab', async () => {
    const again = await context.newPage();
    await phone.close();
    phone = again;
    await phone.goto('/register');
    await expect(phone.getByText('已恢复您上次在本机填写的内容。')).toBeVisible();
    await expect(phone.getByRole('heading', { name: '第 2 位成员' })).toBeVisible();
    await expect(phone.getByLabel('姓名', { exact: true })).toHaveValue('刘小明');
    await phone.getByLabel('与登记人关系').selectOption('child');
    await phone.getByLabel('出生年份').fill('1980');
    await phone.getByRole('button', { name: '下一步' }).click();
    await expect(phone.getByText('第 4 步，共 5 步')).toBeVisible();
    await expect(phone.getByLabel('登录手机号')).toHaveValue('13912345601');
    await phone.getByLabel('设置密码').fill('trial-family-2026');
    await phone.getByRole('button', { name: '下一步' }).click();
  });

  await test.step('a summary to check before anything is sent', async () => {
    await expect(phone.getByText('第 5 步，共 5 步')).toBeVisible();
    await expect(phone.getByRole('heading', { name: '核对信息' })).toBeVisible();
    await expect(phone.getByText(`${place.buildingName} 1单元 102`)).toBeVisible();
    await expect(phone.getByText('刘桂芳 · 本人 · 1952')).toBeVisible();
    await expect(phone.getByText(/刘小明 · .* · 1980/)).toBeVisible();
    await phone.screenshot({ path: '/tmp/forms-review.png', fullPage: true });
    // Nothing personal has reached the server yet.
    expect(posted.filter((url) => url.includes('/api/residents'))).toEqual([]);
    await phone.getByRole('button', { name: '提交登记' }).click();
    await expect(phone.getByRole('heading', { name: '登记成功' })).toBeVisible();
    expect(await phone.evaluate(() => localStorage.getItem('shouwang.registration_draft'))).toBeNull();
  });
  await context.close();
});

test('at the door a wrong pickup code and a temperature of 45 are each explained next to their field', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const seeded = await seedDelivery(playwright, baseURL!);
  await test.step('the volunteer mistypes the code; it stays in the box with what to do', async () => {
    await signIn(page, seeded.volunteer);
    await page.goto('/volunteer/deliveries');
    const row = page.getByRole('listitem', { name: new RegExp(`${seeded.buildingName} 1单元 101.*配送中`) });
    const wrong = seeded.code.slice(0, 5) + String((Number(seeded.code[5]) + 1) % 10);
    await row.getByLabel('取件码').fill(wrong);
    await row.getByRole('button', { name: '确认送达' }).click();
    await expect(row.getByText('取件码不对。请向住户再核对一遍 6 位取件码。')).toBeVisible();
    await expect(row.getByLabel('取件码')).toHaveValue(wrong);
    await expect(page.getByText('请从选项中选择。')).toHaveCount(0);
    await page.screenshot({ path: '/tmp/forms-pickup.png', fullPage: true });
    await row.getByLabel('取件码').fill(seeded.code);
    await row.getByRole('button', { name: '确认送达' }).click();
    await expect(page.getByRole('listitem', { name: /已送达/ })).toBeVisible();
  });
  await test.step('the resident types 45 for her temperature and is told the range', async () => {
    const home = await (await browser.newContext()).newPage();
    await signIn(home, seeded.resident);
    await home.goto('/my-household');
    const her = home.getByRole('listitem', { name: '刘桂芳' });
    await her.getByText('填写体温和症状').click();
    await her.getByLabel('体温（℃）').fill('45');
    await her.getByRole('button', { name: '提交' }).click();
    await expect(her.getByText('体温应在 34.0–43.0℃ 之间，请重新测量后填写。')).toBeVisible();
    await expect(her.getByLabel('体温（℃）')).toHaveValue('45');
  });
});

/** Every visible button on the page: its height, and whether its label broke into one character per line. */
async function measureButtons(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('button, a.button, .button'))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
      const label = (element.textContent ?? '').trim();
      if (box.height < 43.5) problems.push(`"${label}" is ${box.height.toFixed(1)} px high`);
      // Count the characters on each line the label is laid out in.
      const perLine = new Map<number, number>();
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          if (/\s/.test(text[i])) continue;
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getBoundingClientRect();
          if (rect.height === 0) continue;
          const top = Math.round(rect.top);
          perLine.set(top, (perLine.get(top) ?? 0) + 1);
        }
      }
      const counts = Array.from(perLine.values());
      if (counts.length > 1 && Math.min(...counts) === 1) {
        problems.push(`"${label}" breaks into ${counts.length} lines (${counts.join('/')})`);
      }
    }
    return problems;
  });
}

async function visitAndMeasure(page: Page, paths: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await expect(page.getByText('正在加载…')).toHaveCount(0);
    for (const problem of await measureButtons(page)) problems.push(`${path}: ${problem}`);
  }
  return problems;
}

test('on every staff and volunteer page, every button is a full tap target and no label breaks one character per line', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const seeded = await seedDelivery(playwright, baseURL!);
  await test.step('the grid worker goes through every page of hers', async () => {
    await signIn(page, staff);
    const problems = await visitAndMeasure(page, [
      '/', '/staff/notices', '/staff/notices/new', '/staff/moderation', '/staff/moderation/log',
      '/staff/receipts', '/staff/residents', '/staff/volunteers?status=pending', '/staff/shifts',
      '/staff/zones', '/staff/supplies', '/staff/health', '/staff/testing', '/staff/care', '/staff/runs',
      '/notifications', '/submit', '/submissions/mine',
    ]);
    await page.goto('/staff/supplies');
    await page.screenshot({ path: '/tmp/forms-supplies.png', fullPage: true });
    expect(problems).toEqual([]);
  });
  await test.step('the approved volunteer goes through every page of his', async () => {
    const helper = await (await browser.newContext()).newPage();
    await signIn(helper, seeded.volunteer);
    const problems = await visitAndMeasure(helper, [
      '/volunteer', '/volunteer/shifts', '/volunteer/deliveries', '/notifications', '/submit', '/submissions/mine',
    ]);
    await helper.goto('/volunteer/deliveries');
    await helper.screenshot({ path: '/tmp/forms-deliveries.png', fullPage: true });
    expect(problems).toEqual([]);
  });
});

test('a grid worker approving volunteers sees each one’s skills and training', async ({ page, playwright, baseURL }) => {
  const seeded = await seedDelivery(playwright, baseURL!);
  await signIn(page, staff);
  await page.goto('/staff/volunteers?status=pending');
  const row = page.getByRole('listitem').filter({ hasText: seeded.pendingName });
  await expect(row.getByText('技能：医护')).toBeVisible();
  await expect(row.getByText(/培训：防控知识培训（2022-04-08）/)).toBeVisible();
  await page.screenshot({ path: '/tmp/forms-approve.png', fullPage: true });
});

test('the grid worker’s navigation is one row with a menu, in normal and in large text', async ({ page }) => {
  await signIn(page, staff);
  await page.goto('/staff/residents');
  const nav = page.getByRole('navigation', { name: '主菜单' });
  const height = async (locator: ReturnType<Page['getByRole']>) => (await locator.boundingBox())!.height;

  await test.step('the navigation takes one row, not five', async () => {
    expect(await height(nav)).toBeLessThanOrEqual(60);
  });
  await test.step('the menu button opens the whole list, and a choice closes it', async () => {
    await page.getByRole('button', { name: '菜单' }).click();
    await expect(page.getByRole('link', { name: '包保联系', exact: true })).toBeInViewport();
    await page.screenshot({ path: '/tmp/forms-menu.png', fullPage: false });
    await page.getByRole('link', { name: '包保联系', exact: true }).click();
    await expect(page.getByRole('button', { name: '菜单' })).toHaveAttribute('aria-expanded', 'false');
    expect(await height(nav)).toBeLessThanOrEqual(60);
  });
  await test.step('in 大字 mode the header stays one row and the navigation one row', async () => {
    await page.getByRole('button', { name: '大字' }).click();
    await expect(page.locator('html')).toHaveClass(/large-text/);
    const banner = page.getByRole('banner');
    // One row at 125 %: the 60 px brand and 10 px of padding above and below.
    expect(await height(banner)).toBeLessThanOrEqual(84);
    const brand = (await banner.getByRole('link').first().boundingBox())!;
    const tool = (await page.getByRole('button', { name: '大字' }).boundingBox())!;
    expect(Math.abs(brand.y + brand.height / 2 - (tool.y + tool.height / 2))).toBeLessThan(8);
    expect(await height(nav)).toBeLessThanOrEqual(80);
    await page.screenshot({ path: '/tmp/forms-large.png', fullPage: false });
    await page.getByRole('button', { name: 'English' }).click();
    expect(await height(banner)).toBeLessThanOrEqual(84);
    await page.screenshot({ path: '/tmp/forms-large-en.png', fullPage: false });
  });
});

test('every Chinese message addresses people as 您, never 你', async () => {
  const zh = readFileSync(`${__dirname}/../../app/locales/zh.json`, 'utf8');
  const lines = zh.split('\n').filter((line) => line.includes('你'));
  expect(lines).toEqual([]);
});
