import { execFileSync } from 'node:child_process';
import { type APIRequestContext, type Browser, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import { admin, expect, signIn, test } from './fixtures';

// What residents, a volunteer and grid workers met in the trial at 360 × 800 (issue 14,
// items 5, 14–19 and 22), each told as that person's story.

type Playwright = PlaywrightWorkerArgs['playwright'];

/** Beijing's calendar day, `offset` days from today. */
const day = (offset: number) =>
  new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

let counter = 0;
/** A mobile number no other test uses. */
function mobile(prefix: string): string {
  counter += 1;
  return `${prefix}${String((Date.now() + counter * 7919) % 1e8).padStart(8, '0')}`;
}

/**
 * The admin's API session, signed in once for the file: the sign-in limit per account
 * would refuse a sign-in per step.
 */
let adminSession: APIRequestContext | undefined;
async function adminApi(playwright: Playwright, baseURL: string): Promise<APIRequestContext> {
  if (!adminSession) {
    adminSession = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
    expect((await adminSession.post('/api/auth/login', { data: admin })).ok()).toBeTruthy();
  }
  return adminSession;
}
test.afterAll(async () => {
  await adminSession?.dispose();
});

interface Place {
  gridName: string;
  buildingName: string;
  worker: { username: string; password: string };
  /** Room ids by unit, in order: [[1单元's], [2单元's]]. */
  rooms: number[][];
  buildingId: number;
}

/** A grid with one building of `units` units (rooms 101 and 102 in each) and its own worker. */
async function place(playwright: Playwright, baseURL: string, label: string, units = 1): Promise<Place> {
  const stamp = `${Date.now().toString(36)}${(counter += 1)}`;
  const gridName = `${label}网格${stamp}`;
  const buildingName = `${label}-${stamp}号楼`;
  const worker = { username: `trial.worker.${stamp}`, password: 'trial-worker-2026' };
  const api = await adminApi(playwright, baseURL);
  const lines = ['网格,楼栋,单元,房号'];
  for (let u = 1; u <= units; u += 1) {
    lines.push(`${gridName},${buildingName},${u}单元,101`, `${gridName},${buildingName},${u}单元,102`);
  }
  expect((await api.post('/api/community/import', { data: { csv: lines.join('\n') } })).ok()).toBeTruthy();
  const created = await api.post('/api/users', { data: { ...worker, display_name: `${label}网格员`, role: 'staff' } });
  expect(created.ok()).toBeTruthy();
  const { id } = await created.json();
  const structure = await (await api.get('/api/community/structure')).json();
  const grid = structure.grids.find((g: { name: string }) => g.name === gridName);
  expect((await api.put(`/api/community/grids/${grid.id}/staff`, { data: { user_ids: [id] } })).status()).toBe(204);
  const building = grid.buildings[0];
  return {
    gridName,
    buildingName,
    worker,
    buildingId: building.id,
    rooms: building.units.map((u: { rooms: { id: number }[] }) => u.rooms.map((r) => r.id)),
  };
}

interface Household {
  username: string;
  password: string;
}

/** A household registered from its own phone; `members` beyond the first are family. */
async function household(
  playwright: Playwright,
  baseURL: string,
  roomId: number,
  members: Record<string, unknown>[],
): Promise<Household> {
  const phone = mobile('139');
  const password = 'my-family-2026';
  const home = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  const registered = await home.post('/api/residents/register', {
    data: {
      room_id: roomId, phone, password, consent_notice: true, consent_sensitive: true,
      members: members.map((m, i) => (i === 0 ? { ...m, phone } : m)),
    },
  });
  expect(registered.status()).toBe(201);
  await home.dispose();
  return { username: phone, password };
}

async function phoneOf(browser: Browser, who: { username: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 800 } })).newPage();
  await signIn(page, who);
  return page;
}

test('5. a grid worker sees first that a father is running out of blood-pressure pills', async ({
  page,
  playwright,
  baseURL,
}) => {
  const here = await place(playwright, baseURL!, '物资');
  const older = await household(playwright, baseURL!, here.rooms[0][0], [
    { name: '赵大米', relation: 'self', birth_year: 1980 },
  ]);
  const daughter = await household(playwright, baseURL!, here.rooms[0][1], [
    { name: '钱女儿', relation: 'self', birth_year: 1985 },
  ]);

  await test.step('a neighbour asked for cold medicine earlier; the daughter asks for her father\'s pills today', async () => {
    for (const [who, body] of [
      [older, { kind: 'medicine', urgency: 'normal', items: '感冒灵颗粒 一盒' }],
      [daughter, { kind: 'medicine', urgency: 'urgent', items: '硝苯地平缓释片 一盒', notes: '父亲高血压，药快吃完了' }],
    ] as const) {
      const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
      expect((await api.post('/api/auth/login', { data: who })).ok()).toBeTruthy();
      expect((await api.post('/api/supplies/requests', { data: body })).status()).toBe(201);
      await api.dispose();
    }
  });

  await test.step('the grid worker opens the supplies page: the urgent request, with its note, comes first', async () => {
    await signIn(page, here.worker);
    await page.goto('/staff/supplies');
    const rows = page.getByRole('listitem').filter({ hasText: here.buildingName });
    await expect(rows).toHaveCount(2);
    const first = rows.first();
    await expect(first).toContainText('紧急');
    await expect(first).toContainText('硝苯地平缓释片 一盒');
    await expect(first.getByText('居民备注： 父亲高血压，药快吃完了')).toBeVisible();
    await expect(rows.nth(1)).toContainText('感冒灵颗粒 一盒');
    await expect(rows.nth(1)).not.toContainText('紧急');
    await page.screenshot({ path: '/tmp/resident-5-supplies.png', fullPage: true });
  });
});

test('14. a resident sees on the board that a long notice asks for a receipt, and confirms it at the top', async ({
  page,
  playwright,
  baseURL,
}) => {
  const here = await place(playwright, baseURL!, '回执');
  const resident = await household(playwright, baseURL!, here.rooms[0][0], [
    { name: '孙阿姨', relation: 'self', birth_year: 1960 },
  ]);
  const title = `关于全员核酸检测的紧急通知 ${Date.now().toString(36)}`;

  await test.step('staff publish a long notice and ask every household for a receipt', async () => {
    const api = await adminApi(playwright, baseURL!);
    const paragraphs = Array.from({ length: 30 }, (_, i) => `第${i + 1}条：请各户按时完成核酸检测，保持安全距离，配合工作人员。`);
    const created = await api.post('/api/notices', { data: { title, body: paragraphs.join('\n\n') } });
    expect(created.status()).toBe(201);
    const { id } = await created.json();
    expect((await api.post(`/api/notices/${id}/publish`)).ok()).toBeTruthy();
    expect((await api.put(`/api/notices/${id}/receipts`, { data: { required: true } })).ok()).toBeTruthy();
  });

  const phone = page;
  await signIn(phone, resident);
  await test.step('the board card says a receipt is asked', async () => {
    await phone.goto('/');
    const card = phone.getByRole('article').filter({ has: phone.getByRole('heading', { name: title }) });
    await expect(card.getByText('需回执·请阅知')).toBeVisible();
    await phone.screenshot({ path: '/tmp/resident-14-board.png' });
    await card.getByRole('link').click();
  });

  await test.step('the 已阅知 button is on the first screen, before the long text', async () => {
    const button = phone.getByRole('button', { name: '已阅知' });
    await expect(button).toBeVisible();
    const box = await button.boundingBox();
    expect(box!.y + box!.height).toBeLessThan(800);
    await phone.screenshot({ path: '/tmp/resident-14-notice.png' });
    await button.click();
    await expect(phone.getByText(/确认阅知/)).toBeVisible();
  });
});

test('15. a son comes down in his unit\'s slot, while his mother on the door list is told to stay home', async ({
  page,
  playwright,
  baseURL,
}) => {
  const here = await place(playwright, baseURL!, '核酸');
  const family = await household(playwright, baseURL!, here.rooms[0][0], [
    { name: '王建国', relation: 'self', birth_year: 1975 },
    { name: '王奶奶', relation: 'parent', birth_year: 1940, groups: ['elderly_alone'] },
  ]);
  const unitId = await test.step('the grid worker schedules tomorrow\'s round', async () => {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
    expect((await api.post('/api/auth/login', { data: here.worker })).ok()).toBeTruthy();
    const structure = await (await api.get('/api/community/structure')).json();
    const unit = structure.grids
      .find((g: { name: string }) => g.name === here.gridName)
      .buildings[0].units[0];
    const round = await api.post('/api/testing/rounds', {
      data: {
        name: '第4轮全员核酸检测', date: day(1), place: '小区东门广场',
        building_ids: [here.buildingId], slots: [{ unit_id: unit.id, start: '08:00', end: '08:20' }],
      },
    });
    expect(round.status()).toBe(201);
    await api.dispose();
    return unit.id;
  });
  expect(unitId).toBeGreaterThan(0);

  const phone = page;
  await signIn(phone, family);
  await test.step('each person reads one instruction that is right for them', async () => {
    await phone.goto('/my-household');
    const slot = phone.getByRole('region', { name: '核酸检测安排' });
    await expect(slot.getByText('08:00–08:20')).toBeVisible();
    const son = slot.getByRole('listitem', { name: '王建国' });
    await expect(son).toContainText('待检测 · 请按上面的时段下楼到采样点');
    const mother = slot.getByRole('listitem', { name: '王奶奶' });
    await expect(mother).toContainText('工作人员将上门采样，请在家等候，无需下楼');
    await expect(mother).not.toContainText('下楼到采样点');
    // The queueing notes are addressed to those who come down, not to everyone.
    await expect(slot.getByText('下楼采样的家人请注意：')).toBeVisible();
    await slot.screenshot({ path: '/tmp/resident-15-testing.png' });
  });
});

test('16. after reporting 38.6 ℃ the household is told who will call, what to do now and the hotline', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const here = await place(playwright, baseURL!, '发热');
  const observation = { observation_start: day(-2), observation_end: day(7), category: 'close_contact' };
  const family = await household(playwright, baseURL!, here.rooms[0][0], [
    { name: '周先生', relation: 'self', birth_year: 1978, risk: observation },
  ]);
  await test.step('the admin sets the community\'s duty hotline beside the health worklist', async () => {
    await signIn(page, admin);
    await page.goto('/staff/health');
    await page.getByText('社区值班电话').click();
    await page.getByLabel('值班电话').fill('022-2345 6789');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByText('已保存')).toBeVisible();
    await expect(page.getByLabel('值班电话')).toHaveValue('022-23456789');
  });

  const phone = await phoneOf(browser, family);
  await test.step('he reports 38.6 ℃ and reads what happens next', async () => {
    await phone.goto('/my-household');
    const him = phone.getByRole('listitem', { name: '周先生' });
    await him.getByText('填写体温和症状').click();
    await him.getByLabel('体温（℃）').fill('38.6');
    await him.getByRole('button', { name: '提交' }).click();
    await expect(him.getByText('已打卡 · 38.6 ℃ · 发热')).toBeVisible();
    const next = him.getByRole('note', { name: '接下来怎么办' });
    await expect(next).toContainText('网格员已收到提醒，会尽快给您打电话');
    await expect(next).toContainText('请居家休息，不要外出');
    await expect(next).toContainText('拨打 120');
    await expect(next.getByRole('link', { name: '022-23456789' })).toHaveAttribute('href', 'tel:022-23456789');
    await him.screenshot({ path: '/tmp/resident-16-fever.png' });
  });
});

test('17. a grid worker reads each unit\'s doors and their status on the coverage map without hovering', async ({
  page,
  playwright,
  baseURL,
}) => {
  const here = await place(playwright, baseURL!, '覆盖', 2);
  await household(playwright, baseURL!, here.rooms[1][0], [{ name: '吴先生', relation: 'self', birth_year: 1970 }]);

  await signIn(page, here.worker);
  await page.goto('/staff/residents');
  const map = page.getByRole('region').filter({ has: page.getByRole('heading', { name: '入户摸排覆盖' }) });
  await test.step('a legend says what each mark means', async () => {
    const legend = map.getByRole('list', { name: '图例' });
    await expect(legend).toContainText('未 未摸排');
    await expect(legend).toContainText('自 自主登记');
  });
  await test.step('room 101 of 1单元 and of 2单元 are told apart, each with its status printed', async () => {
    const unitOne = map.getByRole('list', { name: `${here.buildingName} 1单元` });
    const unitTwo = map.getByRole('list', { name: `${here.buildingName} 2单元` });
    await expect(map.getByText('1单元', { exact: true })).toBeVisible();
    await expect(unitOne.getByRole('listitem', { name: /101 未摸排/ })).toHaveText('101未');
    await expect(unitTwo.getByRole('listitem', { name: /101 自主登记/ })).toHaveText('101自');
  });
  const building = map.locator('.coverage-building').filter({ hasText: here.buildingName });
  await building.screenshot({ path: '/tmp/resident-17-coverage.png' });
  await map.getByRole('list', { name: '图例' }).screenshot({ path: '/tmp/resident-17-legend.png' });
});

test('18. a volunteer copies the calendar link with one tap', async ({ page, playwright, baseURL }) => {
  const volunteer = { username: mobile('136'), password: 'calendar-2026' };
  await test.step('an approved volunteer', async () => {
    const helper = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
    const signedUp = await helper.post('/api/volunteers/sign-up', {
      data: {
        phone: volunteer.username, password: volunteer.password, name: '日历志愿者', service_area: '全社区',
        skills: [], trainings: [], availability: [{ weekday: 1, part: 'morning' }],
      },
    });
    expect(signedUp.status()).toBe(201);
    const { id } = await signedUp.json();
    const api = await adminApi(playwright, baseURL!);
    expect((await api.post(`/api/volunteers/${id}/approve`)).ok()).toBeTruthy();
    await helper.dispose();
  });

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const phone = page;
  await signIn(phone, volunteer);
  await phone.goto('/volunteer');
  await phone.getByRole('button', { name: '生成订阅链接' }).click();
  const link = phone.getByRole('textbox', { name: '日历订阅链接' });
  await expect(link).toHaveValue(/\/api\/volunteers\/calendar\/.+\.ics$|^http.+/);
  const url = await link.inputValue();
  await phone.getByRole('button', { name: '复制链接' }).click();
  await expect(phone.getByText('已复制')).toBeVisible();
  expect(await phone.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await phone.screenshot({ path: '/tmp/resident-18-calendar.png', fullPage: true });
});

test('19. in English, the fever check-in and the supply history read in English', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const here = await place(playwright, baseURL!, '英文');
  const observation = { observation_start: day(-2), observation_end: day(7), category: 'close_contact' };
  const family = await household(playwright, baseURL!, here.rooms[0][0], [
    { name: 'Anna', relation: 'self', birth_year: 1990, risk: observation },
    { name: 'Otto', relation: 'parent', birth_year: 1950, risk: observation },
  ]);
  const volunteerName = '英文志愿者';

  await test.step('a request is assigned to a volunteer', async () => {
    const home = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
    expect((await home.post('/api/auth/login', { data: family })).ok()).toBeTruthy();
    const created = await home.post('/api/supplies/requests', { data: { kind: 'medicine', items: 'Paracetamol' } });
    expect(created.status()).toBe(201);
    const { id } = await created.json();
    const helper = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
    const signedUp = await helper.post('/api/volunteers/sign-up', {
      data: {
        phone: mobile('135'), password: 'english-2026', name: volunteerName, service_area: here.gridName,
        skills: [], trainings: [], availability: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, part: 'morning' })),
      },
    });
    const volunteerId = (await signedUp.json()).id;
    const api = await adminApi(playwright, baseURL!);
    expect((await api.post(`/api/volunteers/${volunteerId}/approve`)).ok()).toBeTruthy();
    expect((await api.post(`/api/supplies/requests/${id}/actions`, { data: { action: 'accept' } })).ok()).toBeTruthy();
    const assigned = await api.post(`/api/supplies/requests/${id}/actions`, {
      data: { action: 'assign', volunteer_id: volunteerId },
    });
    expect(assigned.ok()).toBeTruthy();
    await Promise.all([helper.dispose(), home.dispose()]);
  });

  const phone = await phoneOf(browser, family);
  await test.step('Anna reports a fever for herself and all is well for her father, then switches to English', async () => {
    await phone.goto('/my-household');
    const anna = phone.getByRole('listitem', { name: 'Anna' });
    await anna.getByText('填写体温和症状').click();
    await anna.getByLabel('体温（℃）').fill('38.6');
    await anna.getByRole('button', { name: '提交' }).click();
    await expect(anna.getByText('已打卡 · 38.6 ℃ · 发热')).toBeVisible();
    const otto = phone.getByRole('listitem', { name: 'Otto' });
    await otto.getByRole('button', { name: '正常' }).click();
    await expect(otto.getByText('已打卡 · 全部正常')).toBeVisible();

    await phone.getByRole('button', { name: 'English' }).click();
    await expect(anna.getByText('38.6 ℃ · Fever')).toBeVisible();
    await expect(anna).toContainText('Myself');
    await expect(otto).toContainText('Parent');
    await expect(otto).toContainText('All well');
    for (const chinese of ['本人', '父母', '发热', '全部正常']) {
      await expect(phone.getByRole('region', { name: "Today's health check-in" })).not.toContainText(chinese);
    }
    await phone.screenshot({ path: '/tmp/resident-19-health-en.png', fullPage: true });
  });

  await test.step('the grid worker, in English, reads the request\'s history in English', async () => {
    await signIn(page, here.worker);
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto('/staff/supplies?state=assigned');
    const row = page.getByRole('listitem').filter({ hasText: here.buildingName });
    await row.getByText('History').click();
    await expect(row.getByText(`Assigned to ${volunteerName}`)).toBeVisible();
    await expect(row).not.toContainText('指派给');
    await page.screenshot({ path: '/tmp/resident-19-history-en.png', fullPage: true });
    // The language is a cookie: later tests start in Chinese again.
    await page.getByRole('button', { name: '中文' }).click();
  });
});

test('22. the board poster prints on one A4 sheet, each notice once', async ({ page, playwright, baseURL }) => {
  const stamp = Date.now().toString(36);
  const repeated = `2号楼调整为封控区 ${stamp}`;
  await test.step('the board holds many long notices, one of them published twice', async () => {
    const api = await adminApi(playwright, baseURL!);
    const long = Array.from({ length: 12 }, () => '请居民朋友们做好个人防护，减少外出，配合社区做好各项防控工作。').join('');
    const titles = [...Array.from({ length: 9 }, (_, i) => `关于做好第${i + 1}项防控工作的通知，请全体居民务必认真阅读并遵照执行 ${stamp}`), repeated, repeated];
    // Pinned, as a street's urgent notices are: other specs' sealed buildings pin their
    // zone notices too, and the poster shows pinned notices first.
    for (const title of titles) {
      const created = await api.post('/api/notices', { data: { title, body: long, pinned: true } });
      expect(created.status()).toBe(201);
      const { id } = await created.json();
      expect((await api.post(`/api/notices/${id}/publish`)).ok()).toBeTruthy();
    }
  });

  await page.goto('/poster');
  await expect(page.getByText(repeated)).toHaveCount(1);
  await page.waitForLoadState('networkidle');
  const file = test.info().outputPath('poster.pdf');
  await page.pdf({ path: file, format: 'A4' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())?.[1]);
  expect(pages, 'pages of the printed poster').toBe(1);
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: '/tmp/resident-22-poster-print.png', fullPage: true });
});
