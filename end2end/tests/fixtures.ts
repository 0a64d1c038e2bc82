import { expect, type Page, test as base } from '@playwright/test';

/** Accounts created by serve.sh. Test-only credentials. */
export const staff = { username: 'e2e-staff', password: 'e2e-staff-password', name: '网格员 测试' };
export const moderator = { username: 'e2e-moderator', password: 'e2e-moderator-password', name: '审核员 测试' };
export const resident = { username: '13800138001', password: 'e2e-resident-password', name: '居民 测试' };
export const admin = { username: 'e2e-admin', password: 'e2e-admin-password', name: '测试管理员' };

/**
 * Every page is watched for Content-Security-Policy violations and uncaught errors:
 * a broken optimiser or a CSP that blocks the app shows up here and nowhere else.
 */
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
        problems.push(`console error: ${text}`);
      }
    });
    await use(page);
    expect(problems, 'the page logged errors').toEqual([]);
  },
});

export { expect };

export async function signIn(page: Page, who: { username: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('用户名或手机号').fill(who.username);
  await page.getByLabel('密码').fill(who.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
}

/** A title no other test uses. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}`;
}
