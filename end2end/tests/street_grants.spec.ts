import { expect, test } from './fixtures';
import { type Demo, passwordOn as printedPassword, startDemo, stopDemo } from './demo';

/**
 * 建设社区's admin lets the street follow up the community's people under observation for
 * a few days; the street's 李明 reads the list and opens one person; the admin sees each
 * read in the audit log under his name, then revokes, and the street is refused again.
 * Like communities.spec.ts, this starts its own `--demo` server: a street of communities.
 */
let demo: Demo;

test.beforeAll(async () => {
  demo = await startDemo('street-grants');
});

test.afterAll(() => stopDemo(demo));

test('the community grants the street its follow-up list, the street reads it, the grant is revoked', async ({ page }) => {
  // The community's admin grants the street the health follow-up list for three days.
  await page.goto(`${demo.base}/c/jianshe/login`);
  await page.getByLabel('用户名或手机号').fill('admin');
  await page.getByLabel('密码').fill(printedPassword(demo, '建设社区:'));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
  await page.goto(`${demo.base}/c/jianshe/admin/street-access`);
  await expect(page.getByRole('heading', { name: '授权街道查看个人信息', level: 1 })).toBeVisible();
  await expect(page.getByText('尚未授权街道查看任何名单。')).toBeVisible();
  // Without a purpose the grant is refused next to the field.
  await page.getByRole('button', { name: '授权街道查看' }).click();
  await expect(page.getByLabel('用途')).toBeFocused();
  await page.getByLabel('用途').fill('街道协助随访未打卡和发热人员');
  await page.getByLabel('期限').selectOption('3');
  await page.getByRole('button', { name: '授权街道查看' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已授权街道查看：健康随访名单' })).toBeVisible();
  const grant = page.getByRole('listitem', { name: '健康随访名单' });
  await expect(grant).toContainText('生效中');
  await expect(grant).toContainText('街道协助随访未打卡和发热人员');
  await page.screenshot({ path: '/tmp/scale-grant-admin.png', fullPage: true });

  // The street's staff member sees the grant on the dashboard and opens the list.
  await page.goto(`${demo.base}/deployment/login`);
  await page.getByLabel('用户名或手机号').fill('jiedao');
  await page.getByLabel('密码').fill(printedPassword(demo, 'street staff'));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/street\/\d+$/);
  const jianshe = page.getByRole('article', { name: '建设社区' });
  await expect(page.getByRole('article', { name: '东风村' }).getByRole('link', { name: /健康随访名单/ })).toHaveCount(0);
  await jianshe.getByRole('link', { name: '查看健康随访名单（社区已授权）' }).click();
  await expect(page.getByRole('heading', { name: '建设社区 · 健康随访名单', level: 1 })).toBeVisible();
  await expect(page.getByText(/您的每次查看都会记入该社区的审计日志/)).toBeVisible();
  const listUrl = page.url();
  const dashboardUrl = listUrl.replace(/\/communities\/.*$/, '');
  // Each person on the list, the phone masked.
  const first = page.getByRole('listitem').filter({ hasText: /1\d\d\*\*\*\*\d{4}/ }).first();
  await expect(first).toBeVisible();
  await page.screenshot({ path: '/tmp/scale-grant-street-list.png', fullPage: true });

  // Opening one person shows the whole record, the phone in full to call.
  const name = (await first.getByRole('link').textContent())!.trim();
  await first.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name: `${name} · 健康记录`, level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /^1\d{10}$/ })).toBeVisible();
  await page.screenshot({ path: '/tmp/scale-grant-street-person.png', fullPage: true });

  // The admin reads who read, by name, and revokes.
  await page.goto(`${demo.base}/c/jianshe/admin/audit`);
  await expect(page.getByText('street.health_follow_up.view').first()).toBeVisible();
  await expect(page.getByText('和平街道 李明（街道工作人员）').first()).toBeVisible();
  await page.screenshot({ path: '/tmp/scale-grant-audit.png', fullPage: true });
  await page.goto(`${demo.base}/c/jianshe/admin/street-access`);
  await page.getByRole('listitem', { name: '健康随访名单' }).getByRole('button', { name: '撤销授权' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已撤销授权' })).toBeVisible();
  await expect(page.getByRole('listitem', { name: '健康随访名单' })).toContainText('已撤销');

  // The street is refused at once, and told why.
  await page.goto(dashboardUrl);
  await expect(page.getByRole('article', { name: '建设社区' })).toBeVisible();
  await expect(page.getByRole('link', { name: '查看健康随访名单（社区已授权）' })).toHaveCount(0);
  await page.goto(listUrl);
  await expect(page.getByText(/该社区没有授权街道查看这份名单/)).toBeVisible();
  await page.screenshot({ path: '/tmp/scale-grant-refused.png', fullPage: true });
});
