import { type APIRequestContext, type Page } from '@playwright/test';
import { admin, expect, signIn, test } from './fixtures';

// The staff screens of issue 7: 包保 contacts for vulnerable households, one member's health
// history, and sealed-building runs handed over at the gate.

type Setup = { grid: string; building: string; worker: { username: string; password: string }; rooms: number[] };

/** A grid with one building (楼栋长 李伯) of three rooms, and a worker of its own. */
async function layOut(api: APIRequestContext, tag: string): Promise<Setup & { buildingId: number }> {
  const stamp = `${tag}${Date.now().toString(36)}`;
  const grid = `包保网格${stamp}`;
  const building = `${stamp}号楼`;
  const worker = { username: `care.worker.${stamp}`, password: 'care-worker-2026' };
  expect((await api.post('/api/auth/login', { data: admin })).ok()).toBeTruthy();
  const gridId = (await (await api.post('/api/community/grids', { data: { name: grid } })).json()).id;
  const buildingId = (
    await (
      await api.post(`/api/community/grids/${gridId}/buildings`, {
        data: { name: building, head_name: '李伯', head_phone: '13900000001' },
      })
    ).json()
  ).id;
  const unitId = (await (await api.post(`/api/community/buildings/${buildingId}/units`, { data: { name: '1单元' } })).json()).id;
  expect((await api.post(`/api/community/units/${unitId}/rooms`, { data: { rooms: ['101', '102', '103'] } })).ok()).toBeTruthy();
  const created = await api.post('/api/users', { data: { ...worker, display_name: '包保网格员', role: 'staff' } });
  expect(created.ok()).toBeTruthy();
  const { id } = await created.json();
  expect((await api.put(`/api/community/grids/${gridId}/staff`, { data: { user_ids: [id] } })).status()).toBe(204);
  const structure = await (await api.get('/api/community/structure')).json();
  const rooms = structure.grids
    .find((g: { name: string }) => g.name === grid)
    .buildings[0].units[0].rooms.map((r: { id: number }) => r.id);
  return { grid, building, worker, rooms, buildingId };
}

let phoneSeq = 0;
function phoneNumber(): string {
  phoneSeq += 1;
  return `139${String((Date.now() + phoneSeq) % 1e8).padStart(8, '0')}`;
}

/** Registers a household as its resident would; the returned context is signed in. */
async function register(page: Page, roomId: number, members: object[], phone: string) {
  const registered = await page.request.post('/api/residents/register', {
    data: { room_id: roomId, phone, password: 'my-family-2026', consent_notice: true, consent_sensitive: true, members },
  });
  expect(registered.status()).toBe(201);
}

test('staff name a 包保 contact for an elderly-alone household and log a visit', async ({ page, browser, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
  const s = await layOut(api, 'c');
  const home = await (await browser.newContext({ extraHTTPHeaders: { Origin: baseURL! } })).newPage();
  const phone = phoneNumber();
  await register(home, s.rooms[0], [
    { name: '赵大爷', phone, relation: 'self', birth_year: 1938, groups: ['elderly_alone'] },
  ], phone);

  await signIn(page, s.worker);
  await page.getByRole('link', { name: '包保联系', exact: true }).click();
  await expect(page.getByRole('heading', { name: '包保联系', level: 1 })).toBeVisible();
  const row = page.getByRole('listitem', { name: `赵大爷 · ${s.grid} ${s.building} 1单元 101` });
  await expect(row.getByText('独居/空巢老人')).toBeVisible();
  await expect(row.getByText('尚未指定包保责任人')).toBeVisible();

  await row.getByText('指定或更换包保责任人').click();
  await row.getByLabel('责任人姓名').fill('李志愿');
  await row.getByLabel('责任人手机号').fill('13700001234');
  await row.getByLabel('联系间隔').selectOption({ label: '每 48 小时联系一次' });
  await row.getByRole('button', { name: '保存包保安排' }).click();
  await expect(row.getByText('包保责任人：李志愿 137****1234 · 每 48 小时联系一次')).toBeVisible();
  await expect(row.getByText(/尚未联系 · 下次联系：/)).toBeVisible();

  await row.getByLabel('联系方式').selectOption({ label: '上门' });
  await row.getByLabel('联系情况').fill('上门看望，老人身体正常');
  await row.getByRole('button', { name: '记录联系' }).click();
  await expect(row.getByText(/上次联系：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)).toBeVisible();
  await api.dispose();
});

test('staff open a member’s health history from the worklist and see the fever', async ({ page, browser, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
  const s = await layOut(api, 'h');
  const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
  const home = await (await browser.newContext({ extraHTTPHeaders: { Origin: baseURL! } })).newPage();
  const phone = phoneNumber();
  await register(home, s.rooms[0], [
    { name: '钱建国', phone, relation: 'self', birth_year: 1975,
      risk: { observation_start: day(-2), observation_end: day(5), category: 'close_contact' } },
  ], phone);
  const me = await (await home.request.get('/api/residents/me')).json();
  const checkedIn = await home.request.post('/api/health/me/check-ins', {
    data: { member_id: me.members[0].id, temperature: 38.4, symptoms: ['cough'], note: '夜里咳嗽' },
  });
  expect(checkedIn.ok()).toBeTruthy();

  await signIn(page, s.worker);
  await page.getByRole('link', { name: '健康监测', exact: true }).click();
  await page.getByRole('listitem', { name: '钱建国' }).getByRole('link', { name: '钱建国' }).click();
  await expect(page.getByRole('heading', { name: '钱建国 · 健康记录' })).toBeVisible();
  await expect(page.getByText(`居家医学观察：${day(-2)} 至 ${day(5)}`)).toBeVisible();
  await expect(page.getByText('38.4 ℃ · 咳嗽')).toBeVisible();
  await expect(page.getByText('发热', { exact: true })).toBeVisible();
  await expect(page.getByText('夜里咳嗽')).toBeVisible();
  await expect(page.getByText(/打卡人：/)).toBeVisible();
  await api.dispose();
});

test('staff put a sealed building’s two orders in one run and hand it over at the gate', async ({ page, browser, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
  const s = await layOut(api, 'r');
  const worker = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
  expect((await worker.post('/api/auth/login', { data: s.worker })).ok()).toBeTruthy();
  const sealed = await worker.put(`/api/zones/buildings/${s.buildingId}`, {
    data: { zone: 'sealed', reason: '楼内发现阳性感染者', planned_end: '2099-01-01T00:00:00Z' },
  });
  expect(sealed.ok()).toBeTruthy();
  for (const [i, name] of ['孙阿姨', '周叔叔'].entries()) {
    const home = await (await browser.newContext({ extraHTTPHeaders: { Origin: baseURL! } })).newPage();
    const phone = phoneNumber();
    await register(home, s.rooms[i], [{ name, phone, relation: 'self', birth_year: 1960 }], phone);
    const asked = await home.request.post('/api/supplies/requests', {
      data: { kind: 'grocery', urgency: 'normal', items: `大米一袋 ${name}` },
    });
    expect(asked.status()).toBe(201);
    const { id } = await asked.json();
    expect((await worker.post(`/api/supplies/requests/${id}/actions`, { data: { action: 'accept' } })).ok()).toBeTruthy();
  }

  await signIn(page, s.worker);
  await page.getByRole('link', { name: '封控楼配送' }).click();
  await expect(page.getByRole('heading', { name: '封控楼栋配送' })).toBeVisible();
  await page.getByLabel('封控楼栋').selectOption({ label: `${s.grid} ${s.building}` });
  await expect(page.getByLabel(/大米一袋 孙阿姨/)).toBeChecked();
  await expect(page.getByLabel(/大米一袋 周叔叔/)).toBeChecked();
  await expect(page.getByLabel('楼门口接收人')).toHaveValue('');
  await page.getByRole('button', { name: '创建配送批次' }).click();
  await expect(page.getByText('该楼栋暂无已受理、待配送的订单。')).toBeVisible();
  const run = page.getByRole('listitem', { name: new RegExp(`第 \\d+ 批 · ${s.building}`) });
  await expect(run.getByText('接收人：李伯')).toBeVisible();
  await expect(run.getByText('已派单')).toHaveCount(2);

  await run.getByRole('button', { name: '记录楼门口交接' }).click();
  await expect(run.getByText(/已于 .* 在楼门口交接/)).toBeVisible();
  await expect(run.getByText('配送中')).toHaveCount(2);
  await expect(run.getByText(`${s.building} 1单元 101 · 生活物资`)).toBeVisible();
  await Promise.all([api.dispose(), worker.dispose()]);
});
