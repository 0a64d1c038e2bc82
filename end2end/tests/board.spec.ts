import { expect, resident, signIn, staff, test, unique } from './fixtures';

test('a rumour is checked, debunked live on open boards, printed and found by search', async ({ page, browser }) => {
  const rumour = unique('听说明天全区封控，超市都要关门');
  const debunkTitle = unique('【辟谣】明天全区封控系谣言');

  await test.step('a resident submits a rumour to check from a phone', async () => {
    await signIn(page, resident);
    await page.getByRole('link', { name: '反映情况' }).click();
    await expect(page.getByRole('heading', { name: '反映情况' })).toBeVisible();
    await page.getByLabel('类别').selectOption('rumour_check');
    await page.getByLabel('内容').fill(rumour);
    await page.getByLabel('地点').fill('幸福里小区');
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByText('已提交，工作人员核实后会告诉您结果。')).toBeVisible();
    await page.getByRole('link', { name: '查看我的反映' }).click();
    await expect(page.getByText(rumour)).toBeVisible();
    await expect(page.getByText('待审核')).toBeVisible();
  });

  // A second browser, signed out, keeps the board open the whole time.
  const viewer = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const board = await viewer.newPage();
  await board.goto('/');
  await expect(board.getByRole('heading', { name: '公告栏', level: 1 })).toBeVisible();
  await expect(board.getByText(debunkTitle)).toHaveCount(0);
  // Nothing submitted is public before a moderator acts.
  await expect(board.getByText(rumour)).toHaveCount(0);

  await test.step('a staff member marks it as a rumour and publishes a debunk', async () => {
    const moderator = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const staffPage = await moderator.newPage();
    await signIn(staffPage, staff);
    await staffPage.getByRole('link', { name: '审核' }).click();
    await expect(staffPage.getByRole('heading', { name: '审核反映' })).toBeVisible();
    const item = staffPage.getByRole('article').filter({ hasText: rumour });
    await expect(item.getByText('居民 测试：共 1 条')).toBeVisible();
    await item.getByRole('button', { name: '标记为谣言并辟谣' }).click();
    await item.getByLabel('辟谣标题').fill(debunkTitle);
    await item.getByLabel('辟谣内容').fill('经向街道办核实，**明天全区封控**的说法不实，超市正常营业。请勿转发未经核实的消息。');
    await item.getByLabel('核实人或单位').fill('幸福里街道办');
    await item.getByLabel('核实方式').fill('电话核实');
    await item.getByRole('button', { name: '确定' }).click();
    await expect(staffPage.getByText(rumour)).toHaveCount(0);
    await moderator.close();
  });

  await test.step('the open board shows the debunk without a reload', async () => {
    await expect(board.getByRole('link', { name: new RegExp(debunkTitle.replace(/[【】]/g, '.')) })).toBeVisible({ timeout: 5_000 });
    await expect(board.getByRole('status').filter({ hasText: '有新内容' })).toBeVisible();
  });

  await test.step('the resident sees the verdict with a link to the debunk', async () => {
    await page.reload();
    await expect(page.getByText('已辟谣')).toBeVisible();
    await page.getByRole('link', { name: '查看辟谣' }).click();
    await expect(page.getByRole('heading', { name: debunkTitle })).toBeVisible();
    await expect(page.getByText('核实来源：幸福里街道办（电话核实）')).toBeVisible();
  });

  await test.step('the poster view renders for print, with a QR code back', async () => {
    await board.getByRole('link', { name: new RegExp(debunkTitle.replace(/[【】]/g, '.')) }).click();
    await board.getByRole('link', { name: '打印张贴' }).click();
    await expect(board).toHaveURL(/\/notices\/\d+\/poster$/);
    const poster = board.getByRole('article', { name: '社区公告' });
    await expect(poster.getByRole('heading', { name: debunkTitle })).toBeVisible();
    const qr = poster.getByRole('img', { name: '扫码查看原文与最新信息' });
    await expect(qr).toBeVisible();
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await board.emulateMedia({ media: 'print' });
    await expect(board.getByRole('button', { name: '打印' })).toBeHidden();
    await expect(poster.getByRole('heading', { name: debunkTitle })).toBeVisible();
    await board.emulateMedia({ media: 'screen' });
  });

  await test.step('search finds the debunk by a Chinese phrase, highlighted', async () => {
    await board.goto('/search');
    await board.getByLabel('搜索', { exact: true }).fill('超市正常营业');
    await board.getByRole('button', { name: '搜索' }).click();
    await expect(board.getByText('找到 1 条')).toBeVisible();
    const hit = board.getByRole('listitem').filter({ hasText: debunkTitle });
    await expect(hit.locator('mark')).toHaveText('超市正常营业');
  });

  await viewer.close();
});

test('a forwarded document number is checked on the board', async ({ page }) => {
  await page.goto('/search');
  await page.getByLabel('文号').fill('津民发[2099]1号');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByText('公告栏中没有文号为 津民发〔2099〕1号 的通知。请勿轻信、转发。')).toBeVisible();
});

test('the screen mode shows the board in large type', async ({ page }) => {
  await page.goto('/screen');
  await expect(page.getByRole('link', { name: '退出大屏' })).toBeVisible();
  await expect(page.getByText('守望 · 守望相助')).toBeVisible();
});
