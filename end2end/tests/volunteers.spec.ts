import { readFileSync } from 'node:fs';
import { type Browser, type Page } from '@playwright/test';
import { expect, signIn, staff, test } from './fixtures';

/** Wall-clock date and time in the community (Asia/Shanghai, UTC+8) `minutes` from now. */
function shanghai(minutes: number): { date: string; time: string } {
  const iso = new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** A mainland mobile number no other run uses. */
function phone(prefix: string): string {
  return `${prefix}${Date.now().toString().slice(-8)}`;
}

async function volunteerSignsUp(browser: Browser, name: string, mobile: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/volunteer/sign-up');
  await expect(page.getByRole('heading', { name: '志愿者报名' })).toBeVisible();
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('手机号').fill(mobile);
  await page.getByLabel('密码').fill('volunteer-password');
  await page.getByLabel('可服务的网格或区域').fill('第一网格');
  await page.getByLabel('配送').check();
  await page.getByLabel('周六').check();
  await page.getByLabel('上午').check();
  await page.getByLabel('已完成防控知识培训').check();
  await page.getByLabel('培训日期').fill('2022-04-08');
  await page.getByRole('button', { name: '提交报名' }).click();
  await expect(page.getByRole('heading', { name: '我的志愿服务' })).toBeVisible();
  await expect(page.getByText('志愿者状态：待审核')).toBeVisible();
  return page;
}

async function staffApproves(page: Page, name: string) {
  await page.goto('/staff/volunteers?status=pending');
  const row = page.getByRole('listitem').filter({ hasText: name });
  await expect(row).toContainText('****');
  await row.getByRole('button', { name: '通过' }).click();
  await expect(page.getByRole('status').filter({ hasText: `已更新：${name}` })).toBeVisible();
}

test('volunteers sign up, take a shift, wait in line, move up, check in and out; the hours reach the export', async ({
  page,
  browser,
}) => {
  const place = `东门岗亭${Date.now().toString(36)}`;
  const first = { name: '张守望', phone: phone('139') };
  const second = { name: '李相助', phone: phone('137') };
  const start = shanghai(5);
  const end = shanghai(125);

  const firstPage = await test.step('a volunteer signs up from a phone', async () =>
    volunteerSignsUp(browser, first.name, first.phone),
  );

  await test.step('staff approve them and create a shift with one place', async () => {
    await signIn(page, staff);
    await staffApproves(page, first.name);
    await page.goto('/staff/shifts');
    await page.getByLabel('岗位', { exact: true }).selectOption('entrance');
    await page.getByLabel('地点').fill(place);
    await page.getByLabel('日期', { exact: true }).fill(start.date);
    await page.getByLabel('开始时间').fill(start.time);
    await page.getByLabel('结束时间').fill(end.time);
    await page.getByLabel('名额').fill('1');
    await page.getByRole('button', { name: '创建班次' }).click();
    await expect(page.getByText('已创建 1 个班次。')).toBeVisible();
  });

  await test.step('the volunteer takes the shift', async () => {
    await firstPage.goto('/volunteer/shifts');
    const card = firstPage.getByRole('listitem').filter({ hasText: place });
    await expect(card).toContainText('出入口管理/测温扫码');
    await expect(card).toContainText('名额 0/1');
    await card.getByRole('button', { name: '报名' }).click();
    await expect(card).toContainText('已报名');
    await expect(card).toContainText('名额 1/1');
  });

  const secondPage = await test.step('a second volunteer finds it full and joins the waitlist', async () => {
    const secondPage = await volunteerSignsUp(browser, second.name, second.phone);
    await staffApproves(page, second.name);
    await secondPage.goto('/volunteer/shifts');
    const card = secondPage.getByRole('listitem').filter({ hasText: place });
    await card.getByRole('button', { name: '加入候补' }).click();
    await expect(card).toContainText('候补第 1 位');
    return secondPage;
  });

  await test.step('the first cancels and the second moves up and is told', async () => {
    await firstPage.goto('/volunteer');
    const card = firstPage.getByRole('listitem').filter({ hasText: place });
    await card.getByRole('button', { name: '取消报名' }).click();
    await expect(firstPage.getByRole('status').filter({ hasText: '操作成功。' })).toBeVisible();
    await expect(firstPage.getByText('还没有报名的班次。')).toBeVisible();

    await secondPage.goto('/notifications');
    await expect(secondPage.getByText(`候补成功：您已获得班次名额——出入口管理/测温扫码，${place}`)).toBeVisible();
    await secondPage.goto('/volunteer');
    await expect(secondPage.getByRole('listitem').filter({ hasText: place })).toContainText('已报名');
  });

  await test.step('the second checks in and out at the post', async () => {
    // The shift's card; once the hours are recorded, a line in 我的服务时长 names the place too.
    const card = secondPage.getByRole('listitem').filter({ hasText: place }).first();
    await card.getByRole('button', { name: '签到' }).click();
    await expect(card).toContainText('已签到');
    await card.getByRole('button', { name: '签退' }).click();
    await expect(card).toContainText('已签退');
  });

  await test.step('staff see it on the roster and the hours in the export', async () => {
    await page.goto('/staff/shifts');
    await page.getByLabel('查看日期').fill(start.date);
    const shift = page.getByRole('listitem').filter({ hasText: place }).first();
    await expect(shift).toContainText(`${second.name} ${second.phone.slice(0, 3)}****${second.phone.slice(-4)} · 已签退`);
    await expect(shift).toContainText('已签到 1 人');

    await page.goto('/staff/volunteers');
    await expect(page.getByRole('listitem').filter({ hasText: second.name }).filter({ hasText: '1 个班次' })).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('服务时长（小时）');
    const row = csv.split('\r\n').find((line) => line.includes(second.name));
    expect(row).toBeDefined();
    expect(row).toContain(`${second.phone.slice(0, 3)}****${second.phone.slice(-4)}`);
    expect(row).not.toContain(second.phone);
    expect(row?.split(',')[3]).toBe('1');
  });

  await firstPage.context().close();
  await secondPage.context().close();
});

test('a bad phone number is explained next to the field', async ({ page }) => {
  await page.goto('/volunteer/sign-up');
  await page.getByLabel('姓名').fill('王测试');
  await page.getByLabel('手机号').fill('12345');
  await page.getByLabel('密码').fill('volunteer-password');
  await page.getByLabel('可服务的网格或区域').fill('全社区');
  await page.getByRole('button', { name: '提交报名' }).click();
  await expect(page.locator('#vol-phone-error')).toHaveText('请输入 11 位手机号码。');
});
