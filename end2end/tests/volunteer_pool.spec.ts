import { type Browser, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { type Demo, passwordOn as printedPassword, startDemo, stopDemo } from './demo';

/**
 * The street's volunteer pool (跨社区支援): 建设社区 opens a shift to the street, a
 * volunteer of 守望社区 joins the pool from their own page and takes it, and 建设社区's
 * staff see them on the roster, marked as coming from 守望社区. Its own `--demo` server:
 * one street, three communities.
 */
let demo: Demo;

test.beforeAll(async () => {
  demo = await startDemo('pool');
});

test.afterAll(() => stopDemo(demo));

/** Tomorrow's date in the communities (Asia/Shanghai, UTC+8). */
function tomorrow(): string {
  return new Date(Date.now() + 8 * 3_600_000 + 24 * 3_600_000).toISOString().slice(0, 10);
}

async function adminOf(browser: Browser, slug: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${demo.base}/c/${slug}/login`);
  await page.getByLabel('用户名或手机号').fill('admin');
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
  return page;
}

test('a volunteer of 守望社区 takes 建设社区’s street shift; 建设社区 sees them on its roster', async ({
  page,
  browser,
}) => {
  const place = `建设社区北门${Date.now().toString(36)}`;
  const volunteer = { name: '周援手', phone: `139${Date.now().toString().slice(-8)}` };
  const day = tomorrow();

  const jianshe = await test.step('建设社区’s admin opens a shift to the street’s pool', async () => {
    const jianshe = await adminOf(browser, 'jianshe', printedPassword(demo, /建设社区:/));
    await jianshe.goto(`${demo.base}/c/jianshe/staff/shifts`);
    await jianshe.getByLabel('岗位', { exact: true }).selectOption('entrance');
    await jianshe.getByLabel('地点').fill(place);
    await jianshe.getByLabel('日期', { exact: true }).fill(day);
    await jianshe.getByLabel('开始时间').fill('09:00');
    await jianshe.getByLabel('结束时间').fill('11:00');
    await jianshe.getByLabel('名额').fill('2');
    await jianshe.getByLabel('开放给街道志愿者池（街道支援）').check();
    await jianshe.getByRole('button', { name: '创建班次' }).click();
    await expect(jianshe.getByText('已创建 1 个班次。')).toBeVisible();
    return jianshe;
  });

  await test.step('a resident of 守望社区 signs up as a volunteer there, and is approved', async () => {
    await page.goto(`${demo.base}/c/shouwang/volunteer/sign-up`);
    await page.getByLabel('姓名').fill(volunteer.name);
    await page.getByLabel('手机号').fill(volunteer.phone);
    await page.getByLabel('密码').fill('volunteer-password');
    await page.getByLabel('可服务的网格或区域').fill('第一网格');
    await page.getByRole('button', { name: '提交报名' }).click();
    await expect(page.getByText('志愿者状态：待审核')).toBeVisible();

    const shouwang = await adminOf(browser, 'shouwang', printedPassword(demo, /^\s+admin\s+admin\s+password/));
    await shouwang.goto(`${demo.base}/c/shouwang/staff/volunteers?status=pending`);
    const row = shouwang.getByRole('listitem').filter({ hasText: volunteer.name });
    await row.getByRole('button', { name: '通过' }).click();
    await expect(shouwang.getByRole('status').filter({ hasText: `已更新：${volunteer.name}` })).toBeVisible();
    await shouwang.context().close();
  });

  await test.step('on their own page they join the street’s pool and take 建设社区’s shift', async () => {
    await page.goto(`${demo.base}/c/shouwang/volunteer`);
    const pool = page.locator('section').filter({ has: page.getByRole('heading', { name: '街道支援（跨社区）' }) });
    await expect(pool).toContainText('建设社区');
    await pool.getByRole('button', { name: '加入街道志愿者池' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已加入街道志愿者池。' })).toBeVisible();
    const open = page.getByRole('list', { name: '其他社区开放的班次' });
    const card = open.getByRole('listitem').filter({ hasText: place });
    await expect(card).toContainText('建设社区 · 出入口管理/测温扫码');
    await expect(card).toContainText('剩余 2 个名额');
    await card.getByRole('button', { name: '报名' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已报名建设社区的班次。' })).toBeVisible();
    const mine = page.getByRole('list', { name: '我报名的支援班次' });
    await expect(mine.getByRole('listitem').filter({ hasText: place })).toContainText('已报名');
    await page.screenshot({ path: '/tmp/pool-volunteer.png', fullPage: true });
  });

  await test.step('建设社区’s staff see them on the roster, from 守望社区, phone masked', async () => {
    await jianshe.goto(`${demo.base}/c/jianshe/staff/shifts`);
    await jianshe.getByLabel('查看日期').fill(day);
    const shift = jianshe.getByRole('listitem').filter({ hasText: place }).first();
    await expect(shift).toContainText('街道支援');
    const masked = `${volunteer.phone.slice(0, 3)}****${volunteer.phone.slice(-4)}`;
    await expect(shift).toContainText(`${volunteer.name} ${masked} · 已报名`);
    await expect(shift).toContainText('来自守望社区支援');
    await expect(shift).not.toContainText(volunteer.phone);
    await jianshe.screenshot({ path: '/tmp/pool-roster.png', fullPage: true });
    await jianshe.context().close();
  });
});
