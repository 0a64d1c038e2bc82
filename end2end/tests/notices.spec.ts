import { expect, signIn, staff, test, unique } from './fixtures';

test('staff publish a notice and an anonymous visitor reads it on the board', async ({ page, browser }) => {
  const title = unique('关于开展全员核酸检测的通知');

  await test.step('a staff member signs in', async () => {
    await signIn(page, staff);
    await expect(page).toHaveURL(/\/staff\/notices$/);
    await expect(page.getByRole('heading', { name: '通知管理' })).toBeVisible();
  });

  await test.step('writes the notice, previews it and publishes it', async () => {
    await page.getByRole('link', { name: '新建通知' }).click();
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('分类').selectOption('prevention');
    await page.getByLabel('发布机构').fill('守望社区居委会');
    // Typed with ASCII brackets; stored in the official form.
    await page.getByLabel('发文字号').fill('守社发[2026]7号');
    await page.getByLabel('发文日期').fill('2026-11-20');
    await page.getByLabel('正文').fill('各位居民：\n\n请于**明日上午**到小区广场参加核酸检测。\n\n- 携带身份证\n- 保持一米距离');
    await page.getByRole('tab', { name: '预览' }).click();
    await expect(page.locator('.preview strong')).toHaveText('明日上午');
    await page.getByRole('button', { name: '保存并发布' }).click();
    await expect(page).toHaveURL(/\/notices\/\d+$/);
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expect(page.getByText('守社发〔2026〕7号')).toBeVisible();
  });

  await test.step('an anonymous visitor finds it on the board and opens it', async () => {
    const visitor = await browser.newPage();
    await visitor.goto('/');
    await expect(visitor.getByRole('heading', { name: '公告栏' })).toBeVisible();
    await visitor.getByRole('link', { name: new RegExp(title) }).click();
    await expect(visitor.getByRole('heading', { name: title })).toBeVisible();
    await expect(visitor.getByText('守望社区居委会')).toBeVisible();
    await expect(visitor.locator('.prose li')).toHaveText(['携带身份证', '保持一米距离']);
    await expect(visitor.getByRole('link', { name: '编辑' })).toHaveCount(0);
    await visitor.close();
  });
});

test('the editor explains a bad field next to it, in Chinese', async ({ page }) => {
  await signIn(page, staff);
  await page.goto('/staff/notices/new');
  await page.getByLabel('正文').fill('正文内容');
  await page.getByLabel('发文字号').fill('第13号');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.locator('#notice-title-error')).toHaveText('此项必填。');
  await page.getByLabel('标题').fill(unique('草稿'));
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.locator('#notice-doc-number-error')).toHaveText('发文字号格式应如：津民发〔2020〕13号。');
  await page.getByLabel('发文字号').fill('');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByText('草稿已保存')).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/notices\/\d+\/edit\?saved=1$/);
});

test('a wrong password is refused with one message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('用户名或手机号').fill(staff.username);
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '用户名或密码错误。' })).toBeVisible();
});

test('the board reads in Chinese by default, switches to English and to large text', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  await expect(page.getByRole('heading', { name: '公告栏' })).toBeVisible();
  await page.getByRole('button', { name: '大字' }).click();
  await expect(page.locator('html')).toHaveClass(/large-text/);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Notice board' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Notice board' })).toBeVisible();
  await expect(page.locator('html')).toHaveClass(/large-text/);
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '公告栏' })).toBeVisible();
});

test('a staff page asks an anonymous visitor to sign in', async ({ page }) => {
  await page.goto('/staff/notices');
  await expect(page.getByRole('heading', { name: '需要登录' })).toBeVisible();
  await page.getByRole('link', { name: '登录' }).last().click();
  await expect(page).toHaveURL(/\/login\?next=\/staff\/notices/);
});
