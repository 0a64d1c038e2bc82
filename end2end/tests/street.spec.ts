import { expect, test, unique } from './fixtures';
import { type Demo, passwordOn as printedPassword, startDemo, stopDemo } from './demo';

/**
 * The street office (街道) tells its communities' residents something once: its staff
 * member publishes a notice to two of the street's three boards, sees it on one with the
 * street's mark, not on the third, reads every board on one page, and withdraws it.
 * Like communities.spec.ts, this spec starts its own `--demo` server (one street, three
 * communities), because the shared e2e server holds a single community.
 */
let demo: Demo;

test.beforeAll(async () => {
  demo = await startDemo('street');
});

test.afterAll(() => stopDemo(demo));

test('street staff publish to two of three boards, read every board, and withdraw', async ({ page }) => {
  const title = unique('关于全街道暂停农贸集市的通知');

  // Signing in above the communities: the operators' own header, no community menu.
  await page.goto(`${demo.base}/deployment/login`);
  await page.getByLabel('用户名或手机号').fill('jiedao');
  await page.getByLabel('密码').fill(printedPassword(demo, 'street staff'));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/street\/\d+$/);
  const streetPath = new URL(page.url()).pathname;
  // The dashboard says when its figures were taken (in the background, every half minute).
  await expect(page.getByText(/^截至 \d{2}:\d{2}$/)).toBeVisible();
  await page.screenshot({ path: '/tmp/street-dashboard.png', fullPage: true });
  const nav = page.getByRole('navigation', { name: '街道导航' });
  await expect(nav.getByRole('link', { name: '发布通知' })).toBeVisible();
  await expect(page.getByRole('link', { name: '居民登记' })).toHaveCount(0);

  // Write once, for 守望社区 and 建设社区 but not 东风村.
  await nav.getByRole('link', { name: '发布通知' }).click();
  await expect(page.getByRole('heading', { name: '向社区发布通知', level: 1 })).toBeVisible();
  await expect(page.getByText('发布单位：和平街道')).toBeVisible();
  await page.getByLabel('标题').fill(title);
  await page.getByLabel('正文').fill('即日起全街道农贸集市暂停开放，**恢复时间另行通知**。');
  // The body's Markdown, previewed as the boards will show it, then back to writing.
  await page.getByRole('tab', { name: '预览' }).click();
  await expect(page.getByText('恢复时间另行通知', { exact: true })).toBeVisible();
  await page.screenshot({ path: '/tmp/street-publish-preview.png', fullPage: true });
  await page.getByRole('tab', { name: '编辑' }).click();
  await expect(page.getByLabel('正文')).toHaveValue(/\*\*恢复时间另行通知\*\*/);
  await page.getByLabel('东风村').uncheck();
  await page.screenshot({ path: '/tmp/street-publish.png', fullPage: true });
  await page.getByRole('button', { name: '发布', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '已发布到 2 个社区的公告栏。' })).toBeVisible();
  const sent = page.getByRole('article', { name: title });
  await expect(sent).toContainText('守望社区');
  await expect(sent).toContainText('建设社区');
  await expect(sent).not.toContainText('东风村');

  // On 建设社区's board at once, signed by the street and marked.
  await page.goto(`${demo.base}/c/jianshe/`);
  const card = page.locator('article', { has: page.getByRole('heading', { name: title }) });
  await expect(card).toBeVisible();
  await expect(card.getByText('街道发布')).toBeVisible();
  await expect(card).toContainText('和平街道');
  await page.screenshot({ path: '/tmp/street-jianshe-board.png', fullPage: true });
  // Not on 东风村's.
  await page.goto(`${demo.base}/c/dongfeng/`);
  await expect(page.getByRole('heading', { name: '公告栏', level: 1 })).toBeVisible();
  await expect(page.locator('.notice-card').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: title })).toHaveCount(0);

  // Every board of the street on one page, each notice under its community's name. The
  // board just left may still be taking over from its prerendered page (a navigation of
  // its own): let it settle, or the next navigation is aborted (net::ERR_ABORTED).
  await page.waitForLoadState('networkidle');
  await page.goto(`${demo.base}${streetPath}/boards`);
  await expect(page.getByRole('heading', { name: '和平街道 · 各社区公告', level: 1 })).toBeVisible();
  for (const name of ['守望社区', '建设社区', '东风村']) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }
  const ours = page.locator('article', { has: page.getByRole('heading', { name: title }) });
  await expect(ours).toHaveCount(2);
  await expect(ours.first()).toContainText('街道发布');
  await page.screenshot({ path: '/tmp/street-boards.png' });

  // Withdrawn from both boards at once.
  await page.getByRole('navigation', { name: '街道导航' }).getByRole('link', { name: '发布通知' }).click();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('article', { name: title }).getByRole('button', { name: '从所有社区撤回' }).click();
  await expect(page.getByRole('article', { name: title })).toContainText('已撤回');
  await page.screenshot({ path: '/tmp/street-withdrawn.png', fullPage: true });
  await page.goto(`${demo.base}/c/jianshe/`);
  await expect(page.locator('.notice-card').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: title })).toHaveCount(0);
});
