import path from 'node:path';
import { type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { expect, moderator as staff, resident, signIn, test, unique } from './fixtures';

const photo = path.join(__dirname, '..', 'fixtures', 'report-photo.png');

/** The number a queue card is labelled with (第 12 条 → 12). */
async function itemId(card: Locator): Promise<number> {
  const label = (await card.getAttribute('aria-label')) ?? '';
  const id = Number(/第 (\d+) 条/.exec(label)?.[1]);
  expect(id, `an item number in "${label}"`).toBeGreaterThan(0);
  return id;
}

/** A lazy-loaded photo: scrolled to, then really decoded (not a broken image). */
async function expectPhoto(scope: Page | Locator, id: number) {
  const img = scope.getByRole('img', { name: `第 ${id} 条反映附带的照片` });
  await img.scrollIntoViewIfNeeded();
  await expect(img).toBeVisible();
  await expect(img).toHaveAttribute('loading', 'lazy');
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
}

/** Reports sent through the API by whoever `api` is signed in as. */
async function report(api: APIRequestContext, baseURL: string, category: string, text: string) {
  const sent = await api.post('/api/submissions', { data: { category, text }, headers: { Origin: baseURL } });
  expect(sent.status()).toBe(201);
  return (await sent.json()).id as number;
}

test('a report with a photo is seen by staff, verified and shown on the public update page', async ({
  page,
  browser,
}) => {
  const text = unique('东门有人发放蔬菜包，见照片');
  let id = 0;

  await test.step('a resident picks a photo: too large a file is refused before upload', async () => {
    await signIn(page, resident);
    await page.goto('/submit');
    await page.getByLabel('类别').selectOption('supply_drop');
    await page.getByLabel('内容').fill(text);
    const picker = page.getByLabel('照片（选填）');
    await picker.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(5 * 1024 * 1024 + 1) });
    await expect(page.getByText('这张照片超过 5 MB，请换一张或裁剪后再选。')).toBeVisible();
    await expect(page.getByRole('img', { name: '所选照片预览' })).toHaveCount(0);
    await picker.setInputFiles(photo);
    await expect(page.getByText('这张照片超过 5 MB，请换一张或裁剪后再选。')).toHaveCount(0);
    await expect(page.getByRole('img', { name: '所选照片预览' })).toBeVisible();
  });

  await test.step('the upload fails once: the report is kept and the photo is retried', async () => {
    await page.route('**/api/submissions/*/photo', (route) => route.abort());
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByText('已提交，工作人员核实后会告诉您结果。')).toBeVisible();
    const failed = page.getByRole('alert').filter({ hasText: '反映已提交，但照片没有传上去' });
    await expect(failed).toBeVisible();
    await page.unroute('**/api/submissions/*/photo');
    await failed.getByRole('button', { name: '重新上传照片' }).click();
    await expect(failed).toHaveCount(0);
    await expect(page.getByRole('img', { name: '所选照片预览' })).toHaveCount(0);
  });

  await test.step('the resident sees the photo on their own report', async () => {
    await page.getByRole('link', { name: '查看我的反映' }).click();
    const mine = page.getByRole('listitem').filter({ hasText: text });
    await expect(mine.getByText('待审核')).toBeVisible();
    await expect(mine.getByRole('img')).toHaveCount(1);
  });

  await test.step('staff see the photo in the queue and verify the report', async () => {
    const moderator = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const staffPage = await moderator.newPage();
    await signIn(staffPage, staff);
    await staffPage.goto('/staff/moderation?status=pending&category=supply_drop');
    const card = staffPage.getByRole('article').filter({ hasText: text });
    id = await itemId(card);
    await expectPhoto(card, id);
    await card.getByRole('button', { name: '核实发布' }).click();
    await card.getByLabel('核实人或单位').fill('物业公司');
    await card.getByLabel('核实方式').fill('现场查看');
    await card.getByRole('button', { name: '确定' }).click();
    await expect(staffPage.getByText(text)).toHaveCount(0);
    await staffPage.goto('/staff/moderation/log');
    await expect(staffPage.getByRole('listitem').filter({ hasText: `审核员 测试 · 核实发布 第 ${id} 条` })).toBeVisible();
    await moderator.close();
  });

  await test.step('anyone sees the photo on the published update', async () => {
    const visitor = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const board = await visitor.newPage();
    await board.goto(`/updates/${id}`);
    await expect(board.getByText(text)).toBeVisible();
    await expect(board.getByText('来源：物业公司（现场查看）')).toBeVisible();
    await expectPhoto(board, id);
    // Sized for the phone: never wider than the screen.
    const box = await board.getByRole('img', { name: `第 ${id} 条反映附带的照片` }).boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    await visitor.close();
  });
});

test('staff reject several reports at once and the submitter sees the reason', async ({ page, browser, baseURL }) => {
  const texts = [unique('3号楼停水了吗'), unique('5号楼也停水了')];
  const reason = '已由物业统一通知，今晚 8 点恢复供水';

  await signIn(page, resident);
  for (const text of texts) {
    await report(page.request, baseURL!, 'outage', text);
  }

  const moderator = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const staffPage = await moderator.newPage();
  const ids: number[] = [];
  await test.step('staff tick both reports in the batch panel and reject them with a reason', async () => {
    await signIn(staffPage, staff);
    await staffPage.goto('/staff/moderation?status=pending&category=outage');
    for (const text of texts) {
      ids.push(await itemId(staffPage.getByRole('article').filter({ hasText: text })));
    }
    await staffPage.getByText('批量处理（勾选多条，一次核实或不予采纳）').click();
    for (const id of ids) {
      await staffPage.getByLabel(`选择第 ${id} 条`).check();
    }
    await staffPage.getByLabel('原因（提交人可见）').fill(reason);
    await staffPage.getByRole('button', { name: '批量不予采纳' }).click();
    for (const text of texts) {
      await expect(staffPage.getByRole('article').filter({ hasText: text })).toHaveCount(0);
    }
  });

  await test.step('the moderation log lists both rejections', async () => {
    await staffPage.goto('/staff/moderation/log');
    for (const id of ids) {
      await expect(staffPage.getByRole('listitem').filter({ hasText: `审核员 测试 · 不予采纳 第 ${id} 条` })).toBeVisible();
    }
    await moderator.close();
  });

  await test.step('the submitter sees both reports refused, with the reason', async () => {
    await page.goto('/submissions/mine');
    for (const text of texts) {
      const mine = page.getByRole('listitem').filter({ hasText: text });
      await expect(mine.getByText('未采纳', { exact: true })).toBeVisible();
      await expect(mine.getByText(`未采纳原因：${reason}`)).toBeVisible();
    }
  });
});

test('staff block an abusive submitter and lift the block from the moderation log', async ({
  page,
  playwright,
  baseURL,
}) => {
  const stamp = Date.now().toString().slice(-8);
  const phone = `137${stamp}`;
  const name = `刷屏者${stamp.slice(-4)}`;
  const text = unique('转发：明天全市停止一切供应');
  const volunteer = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
  const signedUp = await volunteer.post('/api/volunteers/sign-up', {
    data: { phone, password: 'spam-account-2026', name, service_area: '全社区', skills: [] },
  });
  expect(signedUp.status()).toBe(201);
  await report(volunteer, baseURL!, 'closure', text);

  await test.step('staff block the submitter from their report', async () => {
    await signIn(page, staff);
    await page.goto('/staff/moderation?status=pending&category=closure');
    const card = page.getByRole('article').filter({ hasText: text });
    await card.getByRole('button', { name: '限制提交' }).click();
    await card.getByLabel('限制原因').fill('一小时内重复提交二十条无关内容');
    await card.getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('article').filter({ hasText: text }).getByText('已限制提交')).toBeVisible();
    const refused = await volunteer.post('/api/submissions', { data: { category: 'other', text: '再发一条' } });
    expect(refused.status()).toBe(403);
  });

  await test.step('the log shows the block; lifting it lets them report again', async () => {
    await page.goto('/staff/moderation/log');
    const blocked = page.getByRole('listitem').filter({ hasText: '审核员 测试 · 限制提交' }).first();
    await expect(blocked).toBeVisible();
    await blocked.getByRole('button', { name: '解除限制' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: '审核员 测试 · 解除限制' }).first()).toBeVisible();
    await report(volunteer, baseURL!, 'other', unique('限制解除后的正常反映'));
  });
  await volunteer.dispose();
});

test('a superseded notice is flagged when its document number is looked up', async ({ page }) => {
  const serial = Number(Date.now().toString().slice(-5));
  const older = { title: unique('关于暂停小区出入的通知'), doc: `守防发〔2026〕${serial}号` };
  const newer = { title: unique('关于恢复小区有序出入的通知'), doc: `守防发〔2026〕${serial + 1}号` };

  async function publish(notice: { title: string; doc: string }) {
    await page.goto('/staff/notices/new');
    await page.getByLabel('标题').fill(notice.title);
    await page.getByLabel('发布机构').fill('守望社区疫情防控指挥部');
    await page.getByLabel('发文字号').fill(notice.doc);
    await page.getByLabel('发文日期').fill('2026-11-20');
    await page.getByLabel('正文').fill(`${notice.title}，请各位居民知悉。`);
    await page.getByRole('button', { name: '保存并发布' }).click();
    await expect(page.getByRole('heading', { name: notice.title })).toBeVisible();
    return Number(/\/notices\/(\d+)$/.exec(page.url())?.[1]);
  }

  await signIn(page, staff);
  const newerId = await publish(newer);
  await publish(older);

  await test.step('staff record on the older notice that the newer one replaces it', async () => {
    await page.getByText('已被新通知取代？').click();
    await page.getByLabel('新通知编号').fill(String(newerId));
    await page.getByRole('button', { name: '记录取代关系' }).click();
    await expect(page.getByText('已记录：查询本通知文号时会显示已被取代。')).toBeVisible();
  });

  await test.step('a resident checking the old document number is pointed to the new one', async () => {
    await page.goto('/search');
    await page.getByLabel('文号').fill(older.doc);
    await page.getByRole('button', { name: '查询' }).click();
    const answer = page.getByRole('status').filter({ hasText: '公告栏中有这份通知：' });
    await expect(answer.getByRole('link', { name: older.title })).toBeVisible();
    await expect(answer.getByText('已被新通知取代：')).toBeVisible();
    await answer.getByRole('link', { name: new RegExp(newer.title) }).click();
    await expect(page.getByRole('heading', { name: newer.title })).toBeVisible();
  });
});
