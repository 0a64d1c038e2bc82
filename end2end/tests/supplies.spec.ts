import { type Browser, type Page } from '@playwright/test';
import { admin, expect, signIn, staff, test } from './fixtures';

const resident = { username: '13912347001', password: 'sealed-home-2026' };
const volunteer = { username: '13612347001', password: 'delivery-2026', name: '配送志愿者' };

async function as(browser: Browser, who: { username: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, who);
  return page;
}

test('staff seal a building; its resident reports a fever, gets medicine to the door and confirms', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const stamp = Date.now().toString(36);
  const gridName = `E2E物资网格${stamp}`;
  const buildingName = `E2E物资-${stamp}号楼`;

  await test.step('given a building with a registered household, a grid worker and an approved volunteer', async () => {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
    expect((await api.post('/api/auth/login', { data: admin })).ok()).toBeTruthy();
    const csv = ['网格,楼栋,单元,房号', `${gridName},${buildingName},1单元,301`].join('\n');
    expect((await api.post('/api/community/import', { data: { csv } })).ok()).toBeTruthy();
    const structure = await (await api.get('/api/community/structure')).json();
    const grid = structure.grids.find((g: { name: string }) => g.name === gridName);
    const room = grid.buildings[0].units[0].rooms[0];
    const users = await (await api.get('/api/users?role=staff&per_page=100')).json();
    const worker = users.items.find((u: { username: string }) => u.username === staff.username);
    expect((await api.put(`/api/community/grids/${grid.id}/staff`, { data: { user_ids: [worker.id] } })).status()).toBe(204);

    const home = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
    const registered = await home.post('/api/residents/register', {
      data: {
        room_id: room.id, phone: resident.username, password: resident.password,
        consent_notice: true, consent_sensitive: false,
        members: [{ name: '张阿姨', phone: resident.username, relation: 'self', birth_year: 1950 }],
      },
    });
    expect(registered.status()).toBe(201);

    const helper = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
    const signedUp = await helper.post('/api/volunteers/sign-up', {
      data: {
        phone: volunteer.username, password: volunteer.password, name: volunteer.name, service_area: gridName,
        skills: [], trainings: [],
        availability: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, part: 'morning' })),
      },
    });
    expect(signedUp.status()).toBe(201);
    const { id } = await signedUp.json();
    expect((await api.post(`/api/volunteers/${id}/approve`)).ok()).toBeTruthy();
    await Promise.all([api.dispose(), home.dispose(), helper.dispose()]);
  });

  await test.step('the grid worker seals the building', async () => {
    await signIn(page, staff);
    await page.goto('/staff/zones');
    await expect(page.getByRole('heading', { name: '楼栋分区' })).toBeVisible();
    const row = page.getByRole('listitem', { name: `${gridName} · ${buildingName}` });
    await row.getByRole('button', { name: '更改分区' }).click();
    await row.getByLabel('分区').selectOption({ label: '封控区' });
    await row.getByLabel('原因').fill('楼内发现阳性感染者');
    await row.getByRole('button', { name: '设定分区' }).click();
    await expect(row.getByText('已设定，并已发布到信息公告栏。')).toBeVisible();
    await expect(row.getByText(/封控区 · .* 起 · 网格员 测试：楼内发现阳性感染者/)).toBeVisible();
  });

  const home = await as(browser, resident);
  let code = '';
  await test.step('the resident sees the sealed-building home and asks for medicine', async () => {
    await home.goto('/my-household');
    await expect(home.getByRole('heading', { name: `${buildingName} · 封控区` })).toBeVisible();
    await expect(home.getByText('足不出户、服务上门。')).toBeVisible();
    await home.getByLabel('需求类型').selectOption({ label: '药品' });
    await home.getByLabel('需要什么').fill('硝苯地平缓释片 一盒');
    await home.getByRole('button', { name: '提交申请' }).click();
    await expect(home.getByText('已提交，请留意进度通知。')).toBeVisible();
    const codeText = await home.getByText(/取件码：\d{6}/).textContent();
    code = codeText!.replace(/\D/g, '');
    expect(code).toHaveLength(6);
  });

  await test.step('the sealed building asks for a daily check-in: the resident reports a fever', async () => {
    await expect(home.getByRole('heading', { name: '今日健康打卡' })).toBeVisible();
    const her = home.getByRole('listitem', { name: '张阿姨' });
    await her.getByText('填写体温和症状').click();
    await her.getByLabel('体温（℃）').fill('38.5');
    await her.getByRole('button', { name: '提交' }).click();
    await expect(her.getByText('已打卡 · 38.5 ℃ · 发热')).toBeVisible();
  });

  await test.step('the grid worker sees the fever on the worklist', async () => {
    await page.goto('/staff/health');
    await page.getByRole('link', { name: '发热' }).click();
    const entry = page.getByRole('listitem', { name: '张阿姨' });
    await expect(entry.getByText(/38\.5 ℃/)).toBeVisible();
    await entry.getByLabel('跟进记录').fill('已电话联系，药品已申请配送');
    await entry.getByRole('button', { name: '确认并记录' }).click();
    await expect(entry.getByText('已跟进')).toBeVisible();
  });

  await test.step('the grid worker accepts it and assigns it to the volunteer', async () => {
    await page.goto('/staff/supplies');
    const row = page.getByRole('listitem', { name: new RegExp(`${buildingName}.*药品`) });
    await expect(row.getByText('优先')).toBeVisible();
    await row.getByRole('button', { name: '受理' }).click();
    await expect(page.getByRole('listitem', { name: new RegExp(`${buildingName}.*已受理`) })).toBeVisible();
    const accepted = page.getByRole('listitem', { name: new RegExp(`${buildingName}.*已受理`) });
    await accepted.getByLabel('指派志愿者').selectOption({ label: `${volunteer.name}（今日可配送）` });
    await accepted.getByRole('button', { name: '指派', exact: true }).click();
    await expect(page.getByRole('listitem', { name: new RegExp(`${buildingName}.*已派单`) })).toBeVisible();
  });

  const helper = await as(browser, volunteer);
  await test.step('the volunteer sets out and hands it over with the pickup code', async () => {
    await helper.goto('/volunteer/deliveries');
    const row = helper.getByRole('listitem', { name: new RegExp(`${buildingName} 1单元 301`) });
    await expect(row.getByText('硝苯地平缓释片 一盒')).toBeVisible();
    await expect(row.getByText('139****7001')).toBeVisible();
    await row.getByRole('button', { name: '出发配送' }).click();
    const out = helper.getByRole('listitem', { name: /配送中/ });
    await out.getByLabel('取件码').fill(code);
    await out.getByRole('button', { name: '确认送达' }).click();
    await expect(helper.getByRole('listitem', { name: /已送达/ })).toBeVisible();
  });

  await test.step('the resident confirms receipt', async () => {
    await home.reload();
    const row = home.getByRole('listitem', { name: '药品 · 已送达' });
    await row.getByRole('button', { name: '确认收到' }).click();
    await expect(home.getByRole('listitem', { name: '药品 · 已确认收到' })).toBeVisible();
  });
});
