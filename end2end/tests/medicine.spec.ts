import path from 'node:path';
import { type Browser, type Page } from '@playwright/test';
import { admin, apiAs, expect, mobile, registerHousehold, signIn, staff, staffBuilding, test } from './fixtures';

const bagPhoto = path.join(__dirname, '..', 'fixtures', 'report-photo.png');

async function as(browser: Browser, who: { username: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, who);
  return page;
}

async function shot(page: Page, step: string) {
  await page.screenshot({ path: `test-results/medicine-${step}.png`, fullPage: true });
}

test('a volunteer fetches a sealed-in patient’s regular medicine with her insurance card, and gives the card back', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const stamp = Date.now().toString(36);
  const place = await staffBuilding(playwright, baseURL!, `E2E配药网格${stamp}`, `E2E配药-${stamp}号楼`, ['301']);
  const address = new RegExp(`${place.buildingName} 1单元 301`);
  const volunteer = { username: mobile('136'), password: 'medicine-run-2026', name: `代配药志愿者${stamp}` };
  let resident = { username: '', password: '' };

  await test.step('given a sealed building, a registered household and an approved volunteer', async () => {
    resident = await registerHousehold(playwright, baseURL!, place.rooms[0], { name: '王大爷', birth_year: 1948 }, 'chronic-home-2026');
    const worker = await apiAs(playwright, baseURL!, staff);
    const building = (await (await worker.get('/api/community/structure')).json()).grids
      .find((g: { name: string }) => g.name === place.gridName).buildings[0];
    const sealed = await worker.put(`/api/zones/buildings/${building.id}`, {
      data: { zone: 'sealed', reason: '楼内发现阳性感染者', planned_end: '2099-01-01T00:00:00Z' },
    });
    expect(sealed.ok(), await sealed.text()).toBeTruthy();

    const helper = await apiAs(playwright, baseURL!);
    const signedUp = await helper.post('/api/volunteers/sign-up', {
      data: {
        phone: volunteer.username, password: volunteer.password, name: volunteer.name, service_area: place.gridName,
        skills: ['delivery'], trainings: [],
        availability: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, part: 'morning' })),
      },
    });
    expect(signedUp.status()).toBe(201);
    const { id } = await signedUp.json();
    const boss = await apiAs(playwright, baseURL!, admin);
    expect((await boss.post(`/api/volunteers/${id}/approve`)).ok()).toBeTruthy();
    await Promise.all([worker.dispose(), helper.dispose(), boss.dispose()]);
  });

  const home = await as(browser, resident);
  let code = '';
  await test.step('the resident asks for two regular medicines; a card number in the notes is refused', async () => {
    await home.goto('/my-household');
    await expect(home.getByRole('heading', { name: '代配药', exact: true })).toBeVisible();
    await expect(home.getByText('守望不会询问、也不会保存医保卡号')).toBeVisible();
    const first = home.getByRole('group', { name: '第 1 种药' });
    await first.getByLabel('药品名称').fill('硝苯地平缓释片');
    await first.getByLabel('规格（选填）').fill('30mg');
    await first.getByLabel('数量').fill('2盒');
    await home.getByRole('button', { name: '再加一种药' }).click();
    const second = home.getByRole('group', { name: '第 2 种药' });
    await second.getByLabel('药品名称').fill('二甲双胍片');
    await second.getByLabel('规格（选填）').fill('0.5g');
    await second.getByLabel('数量').fill('3盒');
    await home.getByLabel('常去医院').fill('区中心医院');
    await home.getByRole('checkbox', { name: '医保卡' }).check();
    await home.getByLabel('备注（选填）').fill('医保卡号 1234567890123');
    await home.getByRole('button', { name: '提交代配药申请' }).click();
    await expect(home.getByText('这里像是填了卡号。守望不保存医保卡号等卡号，请删去，志愿者取药时直接用卡。')).toBeVisible();
    await expect(home.getByLabel('备注（选填）')).toBeFocused();
    await shot(home, '1-card-number-refused');

    await home.getByLabel('备注（选填）').fill('上门前请先打电话');
    await home.getByRole('button', { name: '提交代配药申请' }).click();
    await expect(home.getByText(/已提交，请留意进度通知。志愿者上门取卡时/)).toBeVisible();
    const mine = home.getByRole('listitem', { name: '慢性病处方药 · 已提交' });
    await expect(mine.getByText('硝苯地平缓释片 30mg ×2盒', { exact: true })).toBeVisible();
    await expect(mine.getByText('二甲双胍片 0.5g ×3盒', { exact: true })).toBeVisible();
    await expect(mine.getByText('常去医院：区中心医院')).toBeVisible();
    await expect(mine.getByRole('listitem', { name: '医保卡 · 在居民手中' })).toBeVisible();
    code = (await mine.getByText(/取件码：\d{6}/).textContent())!.replace(/\D/g, '');
    expect(code).toHaveLength(6);
    await shot(home, '2-requested');
  });

  await test.step('the grid worker accepts the run and assigns the volunteer', async () => {
    await signIn(page, staff);
    await page.goto('/staff/supplies');
    const row = page.getByRole('listitem', { name: new RegExp(`${place.buildingName}.*慢性病处方药`) });
    await row.getByRole('button', { name: '受理' }).click();
    const accepted = page.getByRole('listitem', { name: new RegExp(`${place.buildingName}.*已受理`) });
    await accepted.getByLabel('指派志愿者').selectOption({ label: `${volunteer.name}（今日可配送）` });
    await accepted.getByRole('button', { name: '指派', exact: true }).click();
    const assigned = page.getByRole('listitem', { name: new RegExp(`${place.buildingName}.*已派单`) });
    await assigned.getByText('代配药详情（药品与卡证）').click();
    await expect(assigned.getByText('硝苯地平缓释片 30mg ×2盒', { exact: true })).toBeVisible();
    await expect(assigned.getByRole('listitem', { name: '医保卡 · 在居民手中' })).toBeVisible();
    await shot(page, '3-assigned');
  });

  const helper = await as(browser, volunteer);
  await test.step('the volunteer collects the card at the door, and the resident confirms in her own app', async () => {
    await helper.goto('/volunteer/deliveries');
    const run = helper.getByRole('listitem', { name: address });
    await expect(run.getByText('常去医院：区中心医院')).toBeVisible();
    await expect(run.getByText('二甲双胍片 0.5g ×3盒', { exact: true })).toBeVisible();
    await run.getByRole('button', { name: '已收到医保卡' }).click();
    await expect(run.getByText('志愿者已确认收到，等居民确认交出。')).toBeVisible();

    await home.reload();
    const card = home.getByRole('listitem', { name: /^医保卡 · / });
    await expect(card.getByText('志愿者已确认收到，等居民确认交出。')).toBeVisible();
    await card.getByRole('button', { name: '我已交给志愿者' }).click();
    await expect(home.getByRole('listitem', { name: '医保卡 · 志愿者保管中' })).toBeVisible();
    await expect(home.getByText(`保管人：${volunteer.name}`)).toBeVisible();
    await expect(home.getByText('卡证拿回到手后再点“我已收回”。')).toBeVisible();
    await shot(home, '4-card-with-volunteer');
  });

  await test.step('the grid worker sees the card on the custody list', async () => {
    await page.getByRole('link', { name: '卡证保管' }).click();
    await expect(page.getByRole('heading', { name: '卡证保管' })).toBeVisible();
    const held = page.getByRole('listitem', { name: new RegExp(`${place.buildingName} 1单元 301 · 医保卡 · 志愿者保管中`) });
    await expect(held.getByText(`保管人：${volunteer.name}`)).toBeVisible();
    await expect(held.getByText(/应在 .* 前归还/)).toBeVisible();
    await shot(page, '5-custody-list');
  });

  await test.step('at the pharmacy the volunteer photographs the bag, then delivers with the pickup code', async () => {
    await helper.reload();
    const run = helper.getByRole('listitem', { name: address });
    await run.getByLabel('拍药袋照片').setInputFiles(bagPhoto);
    await run.getByRole('button', { name: '上传药袋照片' }).click();
    const photo = run.getByRole('img', { name: '药房拍的药袋照片' });
    await expect(photo).toBeVisible();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await expect(run.getByText(/药袋照片，拍摄于/)).toBeVisible();
    await shot(helper, '6-bag-photo');

    await run.getByRole('button', { name: '出发配送' }).click();
    const out = helper.getByRole('listitem', { name: /配送中/ });
    await out.getByLabel('取件码', { exact: true }).fill(code);
    await out.getByRole('button', { name: '确认送达' }).click();
    await expect(helper.getByRole('listitem', { name: /已送达/ })).toBeVisible();
  });

  await test.step('the volunteer gives the card back, typing the resident’s code for her', async () => {
    const delivered = helper.getByRole('listitem', { name: /已送达/ });
    await delivered.getByLabel('居民取件码（选填）').fill('000000');
    await delivered.getByRole('button', { name: '已归还医保卡' }).click();
    await expect(delivered.getByText('取件码不对。请向住户再核对一遍 6 位取件码。')).toBeVisible();
    await delivered.getByLabel('居民取件码（选填）').fill(code);
    await delivered.getByRole('button', { name: '已归还医保卡' }).click();
    await expect(delivered.getByRole('listitem', { name: '医保卡 · 已归还' })).toBeVisible();
    await shot(helper, '7-card-returned');
  });

  await test.step('the resident checks what arrived: one medicine short, with a word on what is missing', async () => {
    await home.reload();
    const mine = home.getByRole('listitem', { name: '慢性病处方药 · 已送达' });
    await expect(mine.getByRole('listitem', { name: '医保卡 · 已归还' })).toBeVisible();
    await expect(mine.getByRole('img', { name: '药房拍的药袋照片' })).toBeVisible();
    await expect(mine.getByRole('button', { name: '确认收到', exact: true })).toHaveCount(0);
    await mine.getByRole('group', { name: '硝苯地平缓释片 30mg ×2盒' }).getByRole('radio', { name: '齐全' }).check();
    await mine.getByRole('group', { name: '二甲双胍片 0.5g ×3盒' }).getByRole('radio', { name: '不全' }).check();
    await mine.getByRole('button', { name: '核对完毕，确认收到' }).click();
    await expect(mine.getByText('此项必填。')).toBeVisible();
    await shot(home, '8-arrival-note-required');
    await mine.getByLabel(/哪里不对/).fill('二甲双胍片只有 2 盒，少了 1 盒');
    await mine.getByRole('button', { name: '核对完毕，确认收到' }).click();
    const confirmed = home.getByRole('listitem', { name: '慢性病处方药 · 已确认收到' });
    await expect(confirmed.getByText('居民说明： 二甲双胍片只有 2 盒，少了 1 盒')).toBeVisible();
    await expect(confirmed.getByText('不全', { exact: true })).toBeVisible();
    await shot(home, '9-arrival-checked');
  });

  await test.step('the grid worker is told of the shortfall, and no card is left out', async () => {
    await page.goto('/staff/medicine');
    await expect(page.getByRole('heading', { name: '卡证保管' })).toBeVisible();
    await expect(page.getByRole('listitem', { name: new RegExp(place.buildingName) })).toHaveCount(0);
    await page.goto('/notifications');
    await expect(page.getByText('有居民核对代配药时发现药品缺少或不全，请查看。').first()).toBeVisible();
    await shot(page, '10-staff-told');
  });
});
