import { apiAs, expect, layOutGrid, type Member, registerThrough, signIn, staff, test, unique } from './fixtures';

const password = 'my-family-2026';

test('staff ask for receipts of an important notice and follow up at the door', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const stamp = Date.now().toString(36);
  const gridName = `回执网格${stamp}`;
  const buildingName = `回执-${stamp}号楼`;
  const title = unique('关于全员核酸检测的重要通知');
  const phones = ['101', '102', '103'].map((_, i) => `1391235${stamp.slice(-3).replace(/\D/g, '0').padStart(3, '0')}${i}`);

  await test.step('a building of three rooms, each with a registered household', async () => {
    const grid = await layOutGrid(playwright, baseURL!, gridName, buildingName, ['1单元/101', '1单元/102', '1单元/103']);
    for (const [i, room] of grid.buildings[0].units[0].rooms.entries()) {
      const household = await apiAs(playwright, baseURL!);
      const members: Member[] = [{ name: `住户${room.name}`, phone: phones[i], relation: 'self', birth_year: 1970 }];
      if (room.name === '103') {
        members.push({ name: '独居老人', relation: 'parent', birth_year: 1938, groups: ['elderly_alone'] });
      }
      await registerThrough(household, baseURL!, room.id, phones[i], password, members);
      await household.dispose();
    }
  });

  await test.step('staff publish an important notice', async () => {
    await signIn(page, staff);
    await page.goto('/staff/notices/new');
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('正文').fill('请各户今晚 8 点前到小区广场参加核酸检测。');
    await page.getByRole('button', { name: '保存并发布' }).click();
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await page.getByLabel('重要通知（需住户确认阅知）').check();
    await expect(page.getByRole('link', { name: '查看回执情况' })).toBeVisible();
  });
  const noticeUrl = page.url();

  await test.step('a resident acknowledges it with one tap', async () => {
    const phone = await browser.newPage();
    await signIn(phone, { username: phones[0], password });
    await phone.goto(noticeUrl);
    await expect(phone.getByText('这是一则重要通知，请阅读后点击确认。')).toBeVisible();
    await phone.getByRole('button', { name: '已阅知' }).click();
    await expect(phone.getByText(/已于 .+ 确认阅知/)).toBeVisible();
    await phone.close();
  });

  await test.step('staff see the building at 1 of 3 and follow up on the other two', async () => {
    await page.getByRole('link', { name: '查看回执情况' }).click();
    const building = page.getByRole('listitem', { name: new RegExp(buildingName) });
    await expect(building).toContainText('已回执 1 / 3 户');
    await building.getByRole('link', { name: '跟进名单' }).click();
    await expect(page.getByRole('listitem', { name: '1单元 103' })).toBeVisible();
    await expect(page.getByRole('listitem', { name: '1单元 102' })).toBeVisible();
    await expect(page.getByRole('listitem', { name: '1单元 101' })).toHaveCount(0);
    // The elderly person living alone comes first.
    await expect(page.locator('li.follow-up').first()).toHaveAttribute('aria-label', '1单元 103');
    await expect(page.getByRole('listitem', { name: '1单元 103' })).toContainText('独居/空巢老人');
  });

  await test.step('a receipt recorded at the door raises the count', async () => {
    const door = page.getByRole('listitem', { name: '1单元 103' });
    await door.getByLabel('上门回执备注').fill('老人口头确认，已讲解');
    await door.getByRole('button', { name: '记录上门回执' }).click();
    await expect(page.getByRole('listitem', { name: '1单元 103' })).toHaveCount(0);
    await expect(page.getByRole('listitem', { name: new RegExp(buildingName) })).toContainText('已回执 2 / 3 户');
  });
});
