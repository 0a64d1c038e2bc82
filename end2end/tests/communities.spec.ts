import { expect, test } from './fixtures';
import { type Demo, passwordOn as printedPassword, startDemo, stopDemo } from './demo';

/**
 * A street office runs one deployment for its communities. This spec starts its own
 * server with `--demo` (one street, three communities, one a village), because the shared
 * e2e server holds a single community whose board is at `/`.
 */
let demo: Demo;

test.beforeAll(async () => {
  demo = await startDemo('communities');
});

test.afterAll(() => stopDemo(demo));

test('a resident opens the site, chooses the village, and reads its board', async ({ page }) => {
  await page.goto(`${demo.base}/`);
  await expect(page.getByRole('heading', { name: '守望 · 选择您的社区' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '和平街道' })).toBeVisible();
  for (const name of ['守望社区', '建设社区', '东风村']) {
    await expect(page.getByRole('link', { name })).toBeVisible();
  }
  await page.screenshot({ path: '/tmp/communities-directory.png', fullPage: true });
  await page.getByRole('link', { name: '东风村' }).click();
  await expect(page).toHaveURL(`${demo.base}/c/dongfeng/`);
  await expect(page.getByRole('heading', { name: '公告栏', level: 1 })).toBeVisible();
  // The village's own notices, loaded through its own address.
  await expect(page.locator('.notice-card').first()).toBeVisible();
  // A link inside the app stays inside the village.
  await page.getByRole('link', { name: '搜索' }).first().click();
  await expect(page).toHaveURL(/\/c\/dongfeng\/search/);
});

test('a community admin signs in at the community address and sees only its ledger', async ({ page }) => {
  const password = printedPassword(demo, '建设社区:');
  await page.goto(`${demo.base}/c/jianshe/login`);
  await page.getByLabel('用户名或手机号').fill('admin');
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
  await expect(page).toHaveURL(/\/c\/jianshe\/staff\/notices/);
  await page.goto(`${demo.base}/c/jianshe/staff/residents`);
  await expect(page.getByRole('heading', { name: '居民台账', level: 1 })).toBeVisible();
  // Signed in at 建设社区 is not signed in at the first community.
  await page.goto(`${demo.base}/staff/residents`);
  await expect(page.getByRole('link', { name: '登录' }).first()).toBeVisible();
});

test('the platform admin adds a community and its admin, ready at its address', async ({ page }) => {
  await page.goto(`${demo.base}/deployment/login`);
  await page.getByLabel('用户名或手机号').fill('platform');
  await page.getByLabel('密码').fill(printedPassword(demo, 'deployment admin'));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(`${demo.base}/deployment`);
  await expect(page.getByRole('heading', { name: '和平街道' })).toBeVisible();

  await page.getByLabel('社区名称').fill('光明社区');
  await page.getByLabel(/网址名/).fill('Guang Ming');
  await page.getByLabel('首位管理员用户名').fill('guangming-admin');
  await page.getByLabel('首位管理员姓名').fill('光明社区管理员');
  await page.getByLabel('首位管理员密码').fill('short');
  await page.getByRole('button', { name: '新增社区' }).click();
  // Both mistakes at once, each next to its field.
  await expect(page.locator('.field', { has: page.getByLabel(/网址名/) })).toContainText(/./);
  await expect(page.getByLabel(/网址名/)).toBeFocused();
  await page.getByLabel(/网址名/).fill('guangming');
  await page.getByLabel('首位管理员密码').fill('guangming-password-1');
  await page.getByRole('button', { name: '新增社区' }).click();
  await expect(page.getByRole('status').filter({ hasText: '/c/guangming/' })).toBeVisible();
  await page.screenshot({ path: '/tmp/communities-admin.png', fullPage: true });

  await page.goto(`${demo.base}/c/guangming/login`);
  // The community's file is created and migrated on this first visit: let the page settle
  // before typing, or a late render can clear the field.
  await page.waitForLoadState('networkidle');
  await page.getByLabel('用户名或手机号').fill('guangming-admin');
  await page.getByLabel('密码').fill('guangming-password-1');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
});

test('street staff read every community of the street at a glance and take the report', async ({ page }) => {
  await page.goto(`${demo.base}/deployment/login`);
  await page.getByLabel('用户名或手机号').fill('jiedao');
  await page.getByLabel('密码').fill(printedPassword(demo, 'street staff'));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/street\/\d+$/);
  await expect(page.getByRole('heading', { name: '和平街道 · 街道看板', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: '全街道合计' })).toBeVisible();
  for (const name of ['守望社区', '建设社区', '东风村']) {
    await expect(page.getByRole('heading', { name, exact: false }).first()).toBeVisible();
  }
  await page.screenshot({ path: '/tmp/communities-street.png', fullPage: true });
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出报表 (Excel)' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
});
