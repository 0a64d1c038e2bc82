import { type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { admin, expect, signIn, test } from './fixtures';

// Issue 14, items 9–13: what a grid worker and two residents met in the trial.

type Setup = { grid: string; building: string; worker: { username: string; password: string }; rooms: number[] };

/** A grid with one building of three rooms, and a grid worker of its own. */
async function layOut(api: APIRequestContext, tag: string): Promise<Setup> {
  const stamp = `${tag}${Date.now().toString(36)}`;
  const grid = `试点网格${stamp}`;
  const building = `${stamp}号楼`;
  const worker = { username: `trial.worker.${stamp}`, password: 'trial-worker-2026' };
  expect((await api.post('/api/auth/login', { data: admin })).ok()).toBeTruthy();
  const gridId = (await (await api.post('/api/community/grids', { data: { name: grid } })).json()).id;
  const buildingId = (await (await api.post(`/api/community/grids/${gridId}/buildings`, { data: { name: building } })).json()).id;
  const unitId = (await (await api.post(`/api/community/buildings/${buildingId}/units`, { data: { name: '1单元' } })).json()).id;
  expect((await api.post(`/api/community/units/${unitId}/rooms`, { data: { rooms: ['301', '302', '303'] } })).ok()).toBeTruthy();
  const created = await api.post('/api/users', { data: { ...worker, display_name: '试点网格员', role: 'staff' } });
  expect(created.ok()).toBeTruthy();
  const { id } = await created.json();
  expect((await api.put(`/api/community/grids/${gridId}/staff`, { data: { user_ids: [id] } })).status()).toBe(204);
  const structure = await (await api.get('/api/community/structure')).json();
  const rooms = structure.grids
    .find((g: { name: string }) => g.name === grid)
    .buildings[0].units[0].rooms.map((r: { id: number }) => r.id);
  return { grid, building, worker, rooms };
}

function phoneNumber(): string {
  return `137${String(Date.now() % 1e8).padStart(8, '0')}`;
}

async function residentIn(browser: Browser, baseURL: string, roomId: number, name: string): Promise<Page> {
  const page = await (await browser.newContext({ extraHTTPHeaders: { Origin: baseURL } })).newPage();
  const phone = phoneNumber();
  const registered = await page.request.post('/api/residents/register', {
    data: {
      room_id: roomId, phone, password: 'trial-home-2026', consent_notice: true, consent_sensitive: false,
      members: [{ name, phone, relation: 'self', birth_year: 1958 }],
    },
  });
  expect(registered.status()).toBe(201);
  return page;
}

test('a grid worker seals a building once, keeps the household private and gives residents a number to call', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
  const s = await layOut(api, 'z');
  const home = await residentIn(browser, baseURL!, s.rooms[1], '孙桂兰');

  await signIn(page, s.worker);
  await page.goto('/staff/zones');
  const row = page.getByRole('listitem', { name: `${s.grid} · ${s.building}` });
  await row.getByRole('button', { name: '更改分区' }).click();
  await row.getByLabel('分区').selectOption({ label: '封控区' });

  // She first writes what she knows; the preview shows what the whole community would read.
  await row.getByLabel('公开原因').fill('1单元302住户孙桂兰发热');
  await row.getByRole('button', { name: '预览公告' }).click();
  const preview = row.getByRole('region', { name: '公众将看到的公告' });
  await expect(preview.getByText(`${s.building}调整为封控区`)).toBeVisible();
  await expect(preview.getByText('房号：302')).toBeVisible();
  await expect(preview.getByText('住户姓名：孙桂兰')).toBeVisible();
  await page.screenshot({ path: '/tmp/zones-preview-warning.png', fullPage: true });

  // Publishing it as it is is refused until she confirms; she moves the detail to the note.
  await row.getByRole('button', { name: '设定分区' }).click();
  await expect(row.getByText('公开原因可能暴露住户信息（房号、电话或姓名）。请删去，或勾选确认后再发布。')).toBeVisible();
  await row.getByLabel('公开原因').fill('楼内出现阳性病例');
  await row.getByLabel('内部备注').fill('1单元302住户孙桂兰发热，已转运');
  await row.getByLabel('楼栋联系人').fill('王楼长');
  await row.getByLabel('联系电话').fill('13900000009');
  await row.getByRole('button', { name: '预览公告' }).click();
  await expect(preview.getByText(/原因：楼内出现阳性病例/)).toBeVisible();
  await expect(preview.getByText(/联系电话：王楼长 13900000009/)).toBeVisible();
  await expect(preview.getByText('孙桂兰')).toHaveCount(0);
  await expect(preview.getByRole('alert')).toHaveCount(0);

  await row.getByRole('button', { name: '设定分区' }).click();
  await expect(row.getByText('已设定，并已发布到信息公告栏。')).toBeVisible();
  // The form is empty again: a second tap cannot publish the same thing by accident.
  await expect(row.getByLabel('公开原因')).toHaveValue('');
  await expect(row.getByLabel('内部备注')).toHaveValue('');
  await expect(row.getByText('内部备注：1单元302住户孙桂兰发热，已转运')).toBeVisible();
  await page.screenshot({ path: '/tmp/zones-set.png', fullPage: true });

  // The same decision typed again is refused, not pinned twice.
  await row.getByLabel('公开原因').fill('楼内出现阳性病例');
  await row.getByRole('button', { name: '设定分区' }).click();
  await expect(row.getByText('这栋楼已是这个分区，原因和预计解除时间也相同，没有重复发布。')).toBeVisible();

  // On the public board: one notice for the building, and no household in it.
  const board = await (await playwright.request.newContext({ baseURL })).get('/api/notices?per_page=100');
  const published = (await board.json()).items.filter((n: { title: string }) => n.title === `${s.building}调整为封控区`);
  expect(published).toHaveLength(1);
  expect(JSON.stringify(published)).not.toContain('孙桂兰');

  // The resident of the sealed building can call someone with one tap.
  await home.goto('/my-household');
  await expect(home.getByRole('heading', { name: `${s.building} · 封控区` })).toBeVisible();
  const call = home.getByRole('link', { name: '联系电话：王楼长 13900000009' });
  await expect(call).toHaveAttribute('href', 'tel:13900000009');
  await home.screenshot({ path: '/tmp/zones-resident.png', fullPage: true });

  // A phone revealed in the ledger is a number to tap too.
  await page.goto('/staff/residents');
  await page.getByRole('button', { name: '显示完整号码 孙桂兰' }).click();
  await expect(page.getByRole('link', { name: /^137\d{8}$/ })).toHaveAttribute('href', /^tel:137\d{8}$/);
  await api.dispose();
});

test('at half past midnight Beijing time the poster is dated the new day', async ({ page }) => {
  // 00:30 on 7 December in Beijing is still 16:30 on the 6th in UTC (and in a phone set to UTC).
  await page.clock.setFixedTime(new Date('2026-12-06T16:30:00Z'));
  await page.goto('/poster');
  await expect(page.getByRole('heading', { name: '今日公告栏 · 2026-12-07' })).toBeVisible();
  await page.clock.setFixedTime(new Date('2026-12-07T15:30:00Z'));
  await page.goto('/poster');
  await expect(page.getByRole('heading', { name: '今日公告栏 · 2026-12-07' })).toBeVisible();
});

test('a resident who asked whether a rumour was true is not counted as its spreader, and her question gets a reply', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
  const s = await layOut(api, 'm');
  const asker = await residentIn(browser, baseURL!, s.rooms[0], '周阿姨');
  const stamp = Date.now().toString(36);
  const post = async (category: string, text: string) => {
    const response = await asker.request.post('/api/submissions', { data: { category, text } });
    expect(response.status()).toBe(201);
    return (await response.json()).id as number;
  };
  const staffApi = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
  expect((await staffApi.post('/api/auth/login', { data: s.worker })).ok()).toBeTruthy();

  // She asked whether the lockdown rumour was true; staff answered it with a debunk.
  const asked = await post('rumour_check', `群里说明天全区封控，是真的吗？${stamp}`);
  const debunked = await staffApi.post(`/api/submissions/${asked}/rumour`, {
    data: { title: `【辟谣】全区封控系谣言${stamp}`, body: '经向街道核实，该消息不实。', source_who: '街道办', source_how: '电话核实' },
  });
  expect(debunked.ok()).toBeTruthy();
  // Then she asks a question.
  const question = `封控期间孩子的疫苗可以推迟吗？${stamp}`;
  await post('question', question);

  await signIn(page, s.worker);
  await page.goto('/staff/moderation');
  const card = page.getByRole('article').filter({ hasText: question });
  await expect(card.getByText(/谣言 0/)).toBeVisible();
  await card.getByRole('button', { name: '回复', exact: true }).click();
  await card.getByLabel('回复内容').fill('可以推迟，解封后到社区卫生服务中心补种。');
  await page.screenshot({ path: '/tmp/zones-moderation-reply.png', fullPage: true });
  await card.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText(question)).toHaveCount(0);

  await page.goto('/staff/moderation/log');
  await expect(page.getByText('回复').first()).toBeVisible();

  await asker.goto('/submissions/mine');
  const mine = asker.getByRole('listitem').filter({ hasText: question });
  await expect(mine.getByText('已回复')).toBeVisible();
  await expect(mine.getByText('回复：可以推迟，解封后到社区卫生服务中心补种。')).toBeVisible();
  await asker.screenshot({ path: '/tmp/zones-my-submissions.png', fullPage: true });
  await asker.goto('/notifications');
  await expect(asker.getByText('您的咨询已有回复，请在“我的提交”查看。')).toBeVisible();
  await Promise.all([api.dispose(), staffApi.dispose()]);
});
