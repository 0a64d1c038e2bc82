import { type Browser, type Page } from '@playwright/test';
import { admin, apiAs, expect, mobile, signIn, test } from './fixtures';

async function as(browser: Browser, who: { username: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, who);
  return page;
}

async function shot(page: Page, step: string) {
  await page.screenshot({ path: `test-results/workers-${step}.png`, fullPage: true });
}

/** The Monday of next week, `YYYY-MM-DD` (the app shows weeks Monday to Sunday). */
function nextMonday(): Date {
  const now = new Date(Date.now() + 8 * 3600 * 1000); // the community's day, UTC+8
  const day = (now.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day + 7));
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

test('a grid worker sees the roster the head drew, with a warning where the rest is too short', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const stamp = Date.now().toString(36);
  const worker = { username: `duty-${stamp}`, password: 'duty-worker-2026', display_name: `值班员${stamp}` };
  const monday = nextMonday();
  const tuesday = new Date(monday.getTime() + 24 * 3600 * 1000);
  const mmdd = (d: Date) => ymd(d).slice(5);

  await test.step('given a new grid worker', async () => {
    const boss = await apiAs(playwright, baseURL!, admin);
    const created = await boss.post('/api/users', { data: { ...worker, role: 'staff' } });
    expect(created.status(), await created.text()).toBe(201);
    await boss.dispose();
  });

  const head = await as(browser, admin);
  await test.step('the head puts a night duty on the roster', async () => {
    await head.goto(`/staff/roster?from=${ymd(monday)}`);
    await expect(head.getByRole('heading', { name: '值班表', level: 1 })).toBeVisible();
    await expect(head.getByText(`${mmdd(monday)} 至 ${mmdd(new Date(monday.getTime() + 6 * 86400000))}`)).toBeVisible();
    await expect(head.getByText(/轮休规则：每周不超过 48 小时；两次值班之间至少休息 8 小时；连续值班不超过 6 天。/)).toBeVisible();

    // Nothing chosen, nothing typed: each field says what it needs.
    await head.getByRole('button', { name: '加入值班表' }).click();
    await expect(head.locator('.field', { has: head.getByLabel('工作人员') }).locator('.field-error')).not.toBeEmpty();
    await expect(head.locator('.field', { has: head.getByLabel('岗位') }).locator('.field-error')).not.toBeEmpty();
    await shot(head, '1-empty-form');

    await head.getByLabel('工作人员').selectOption({ label: worker.display_name });
    await head.getByLabel('日期').fill(ymd(monday));
    await head.getByLabel('开始').fill('20:00');
    await head.getByLabel('结束').fill('08:00');
    await head.getByLabel('岗位').fill('值班室');
    await head.getByRole('button', { name: '加入值班表' }).click();
    await expect(head.getByText('已加入值班表。')).toBeVisible();
    const monDay = head.getByRole('region', { name: new RegExp(`^${mmdd(monday)} 周一`) });
    await expect(monDay.getByRole('listitem').filter({ hasText: worker.display_name })).toContainText('20:00–08:00');
  });

  await test.step('then the gate at noon the next day: the form and the roster say the rest is too short', async () => {
    await head.getByLabel('工作人员').selectOption({ label: worker.display_name });
    await head.getByLabel('日期').fill(ymd(tuesday));
    await head.getByLabel('开始').fill('12:00');
    await head.getByLabel('结束').fill('20:00');
    await head.getByLabel('岗位').fill('东门卡口');
    await head.getByRole('button', { name: '加入值班表' }).click();
    await expect(head.getByText('已加入值班表，但超出轮休规则：')).toBeVisible();
    await expect(head.locator('.banner-warning').getByText('距上次值班只休息 4 小时，应至少 8 小时')).toBeVisible();
    const tueDay = head.getByRole('region', { name: new RegExp(`^${mmdd(tuesday)} 周二`) });
    await expect(tueDay.getByRole('listitem').filter({ hasText: worker.display_name })).toContainText('距上次值班只休息 4 小时，应至少 8 小时');
    await shot(head, '2-head-warned');
  });

  await test.step('the worker is told, and sees their duties and the warning', async () => {
    await signIn(page, worker);
    await page.goto('/notifications');
    await expect(page.getByText(`您有新的值班：${mmdd(tuesday)} 12:00 东门卡口`)).toBeVisible();
    await page.goto(`/staff/roster?from=${ymd(monday)}`);
    await expect(page.getByText('您有 1 个班次超出轮休规则，请和负责人商量调整。')).toBeVisible();
    const mine = page.getByRole('listitem').filter({ hasText: '东门卡口' }).filter({ hasText: worker.display_name });
    await expect(mine.getByText('我', { exact: true })).toBeVisible();
    await expect(mine).toContainText('12:00–20:00');
    await expect(mine).toContainText('距上次值班只休息 4 小时，应至少 8 小时');
    // Only the head draws the roster.
    await expect(page.getByRole('button', { name: '加入值班表' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: '移除' })).toHaveCount(0);
    await shot(page, '3-worker-roster');
  });

  await test.step('the head takes the night duty off; the warning goes with it', async () => {
    await head.getByRole('button', { name: new RegExp(`移除 ${worker.display_name} ${mmdd(monday)} 20:00`) }).click();
    const tueDay = head.getByRole('region', { name: new RegExp(`^${mmdd(tuesday)} 周二`) });
    await expect(tueDay.getByRole('listitem').filter({ hasText: worker.display_name })).not.toContainText('距上次值班');
    await expect(head.getByRole('region', { name: new RegExp(`^${mmdd(monday)} 周一`) }).getByText(worker.display_name)).toHaveCount(0);
  });
});

test('a volunteer checks how they are doing, privately, and the head sees only counts', async ({ page, browser, playwright, baseURL }) => {
  const stamp = Date.now().toString(36);
  const volunteer = { username: mobile('137'), password: 'wellbeing-2026', name: `自评志愿者${stamp}` };

  await test.step('given a volunteer', async () => {
    const helper = await apiAs(playwright, baseURL!);
    const signedUp = await helper.post('/api/volunteers/sign-up', {
      data: {
        phone: volunteer.username, password: volunteer.password, name: volunteer.name, service_area: '全社区',
        skills: [], trainings: [], availability: [{ weekday: 1, part: 'morning' }],
      },
    });
    expect(signedUp.status(), await signedUp.text()).toBe(201);
    await helper.dispose();
  });

  await test.step('the check asks every question before it answers', async () => {
    await signIn(page, volunteer);
    await expect(page.locator('#mainnav').getByRole('link', { name: '身心自评' })).toHaveCount(1);
    await page.goto('/wellbeing');
    await expect(page.getByRole('heading', { name: '身心自评', level: 1 })).toBeVisible();
    await expect(page.getByText('只有您自己能看到答案和结果。')).toBeVisible();
    await page.getByRole('group', { name: '1. 感到紧张、焦虑或烦躁' }).getByLabel('一半以上的天数').check();
    await page.getByRole('button', { name: '查看结果' }).click();
    await expect(page.getByText('请回答这一题')).toHaveCount(3);
    await expect(page.getByRole('group', { name: '2. 不能停止或控制担忧' }).getByRole('radio').first()).toBeFocused();
    await shot(page, '4-unanswered');
  });

  await test.step('answered, the volunteer sees their result and where to get help', async () => {
    await page.getByRole('group', { name: '2. 不能停止或控制担忧' }).getByLabel('一半以上的天数').check();
    await page.getByRole('group', { name: '3. 做事时提不起劲或没有兴趣' }).getByLabel('好几天').check();
    await page.getByRole('group', { name: '4. 感到心情低落、沮丧或绝望' }).getByLabel('好几天').check();
    await page.getByRole('button', { name: '查看结果' }).click();
    const result = page.getByRole('status', { name: '您的结果' });
    await expect(result.getByText('有中度困扰')).toBeVisible();
    await expect(result.getByText('总分 6 / 12')).toBeVisible();
    await expect(result.getByText('焦虑方面的两题得分较高。')).toBeVisible();
    await expect(result.getByRole('link', { name: '全国心理援助热线 12356（24 小时）' })).toHaveAttribute('href', 'tel:12356');
    await expect(page.getByRole('region', { name: '我的记录' }).getByText(/有中度困扰（6 分）/)).toBeVisible();
    await shot(page, '5-result');
  });

  await test.step('the head sees how many took it, never who or what', async () => {
    const head = await as(browser, admin);
    await head.goto('/wellbeing');
    const team = head.getByRole('region', { name: '团队状态（不具名）' });
    await expect(team.getByText(/\d+ 人做过自评/)).toBeVisible();
    await expect(team).not.toContainText(volunteer.name);
    await expect(head.getByRole('region', { name: '我的记录' }).getByText('还没有记录。')).toBeVisible();
    await shot(head, '6-head-summary');
  });

  await test.step('the volunteer erases their checks', async () => {
    await page.getByRole('button', { name: '删除我的全部记录' }).click();
    await expect(page.getByText('已删除。')).toBeVisible();
    await expect(page.getByRole('region', { name: '我的记录' }).getByText('还没有记录。')).toBeVisible();
  });
});
